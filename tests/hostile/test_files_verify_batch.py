"""`labcheck verify` over a folder of submissions that students filled: no FIFO hangs the batch,
no symlink leads out of the folder, nothing too big is read, and «josé» is «josé» in any form."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from labcheck.confined import FileRefused, Limits, read_regular
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from labcheck.verify.batch import find_bundles, verify_all
from labcheck.verify.result import CONSISTENT, ERROR
from labcheck.verify.verifier import VerifyOptions
from tests.hostile.files_inputs import SECRET_KEY, huge_sparse, zero_device
from tests.local_bundle import run_on_this_machine

ROOT = Path(__file__).resolve().parents[2]
PER_STUDENT = ROOT / "tests" / "verify" / "data" / "per-student"
MEMORY_LIMIT = 2 * 1024**3


@pytest.fixture(scope="module")
def lab() -> Lab:
    return load_lab(PER_STUDENT)


def genuine(lab: Lab, student: str, where: Path) -> dict[str, Any]:
    return run_on_this_machine(lab, student, where)


def write_bundle(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def verify_folder(lab: Lab, folder: Path) -> dict[str, Any]:
    found = find_bundles([folder], ids_from_names=True)
    results = [*found.unreadable, *verify_all(lab, found.submissions, VerifyOptions())]
    return {Path(result.path).name: result for result in results}


def test_a_decomposed_file_name_of_a_genuine_bundle_verifies(lab: Lab, tmp_path: Path) -> None:
    composed = unicodedata.normalize("NFC", "josé")
    decomposed = unicodedata.normalize("NFD", "josé")
    assert composed != decomposed
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    write_bundle(genuine(lab, composed, tmp_path / "run"), submissions / f"{decomposed}.json")
    (result,) = verify_folder(lab, submissions).values()
    assert result.verdict == CONSISTENT, result.named_failures()
    assert result.expected_student == composed


def test_a_bundle_whose_own_id_is_decomposed_verifies_under_a_composed_name(lab: Lab, tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "josé")
    submissions = tmp_path / "submissions"
    (submissions / "josé").mkdir(parents=True)
    write_bundle(genuine(lab, decomposed, tmp_path / "run"), submissions / "josé" / "evidence.json")
    (result,) = verify_folder(lab, submissions).values()
    assert result.verdict == CONSISTENT, result.named_failures()


def test_another_students_bundle_is_still_caught(lab: Lab, tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    write_bundle(genuine(lab, "josé", tmp_path / "run"), submissions / "jose.json")
    (result,) = verify_folder(lab, submissions).values()
    assert result.verdict != CONSISTENT
    assert "the bundle is of student «josé», expected «jose»" in " ".join(result.named_failures())


def test_symlinks_out_fifos_devices_and_huge_files_are_named_rows(lab: Lab, tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    outside = tmp_path / "teacher"
    outside.mkdir()
    write_bundle(genuine(lab, "ana", tmp_path / "run-ana"), submissions / "ana.json")
    write_bundle(genuine(lab, "eve", tmp_path / "run-eve"), outside / "eve.json")
    (outside / "notas.json").write_text(json.dumps({"secret": SECRET_KEY}))
    (submissions / "eve.json").symlink_to(outside / "eve.json")
    (submissions / "mallory").symlink_to(outside)
    (submissions / "zed").mkdir()
    (submissions / "zed" / "evidence.json").symlink_to(outside / "notas.json")
    os.mkfifo(submissions / "fifo.json")
    zero_device(submissions / "zero.json")
    huge_sparse(submissions / "huge.json")
    results = verify_folder(lab, submissions)
    assert results["ana.json"].verdict == CONSISTENT
    expected = {
        "eve.json": "is a symlink to",
        "mallory": "outside the submissions folder: not read",
        "evidence.json": "outside the submissions folder: not read",
        "fifo.json": "is a FIFO (named pipe), not a regular file",
        "zero.json": "is a character device, not a regular file",
        "huge.json": "too big (20480.0 MB; the limit is 50.0 MB, see --max-size)",
    }
    for name, message in expected.items():
        assert results[name].verdict == ERROR, name
        assert message in (results[name].error or ""), (name, results[name].error)
    assert SECRET_KEY not in json.dumps([r.to_json() for r in results.values()])


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_fifo_does_not_hang_the_batch_run_by_the_command(lab: Lab, tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    write_bundle(genuine(lab, "ana", tmp_path / "run"), submissions / "ana.json")
    os.mkfifo(submissions / "bob.json")
    (submissions / "carol").mkdir()
    os.mkfifo(submissions / "carol" / "evidence.json")
    zero_device(submissions / "dan.json")
    (submissions / "erin.json").symlink_to("/dev/zero")
    huge_sparse(submissions / "frank.json")
    command = [sys.executable, "-m", "labcheck", "verify", str(submissions), "--spec", str(PER_STUDENT)]
    # A child with a deadline and 2 GB of address space: a blocking open would fail the test
    # (TimeoutExpired) instead of hanging the suite, and reading /dev/zero would die there.
    done = subprocess.run(
        [*command, "--ids-from-names", "--max-size", "4000"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert done.returncode == 1
    assert "bob.json: is a FIFO (named pipe), not a regular file: not read" in done.stdout
    assert "carol/evidence.json: is a FIFO (named pipe)" in done.stdout
    assert "dan.json: is a character device, not a regular file: not read" in done.stdout
    assert "erin.json: is a symlink to /dev/zero, outside the submissions folder: not read" in done.stdout
    assert "frank.json: too big (20480.0 MB; the limit is 4000.0 MB, see --max-size)" in done.stdout
    assert "summary: 1 consistent, 5 errors (of 6)" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_fifo_named_on_the_command_line_is_refused(lab: Lab, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "alone.json")
    command = [
        sys.executable,
        "-m",
        "labcheck",
        "verify",
        str(tmp_path / "alone.json"),
        "--spec",
        str(PER_STUDENT),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "alone.json: is a FIFO (named pipe), not a regular file" in done.stdout


def test_a_read_that_takes_too_long_is_given_up(tmp_path: Path) -> None:
    """The deadline is checked between chunks: with no time at all, the first chunk is the last."""
    (tmp_path / "slow.json").write_text("{}")
    with pytest.raises(FileRefused, match=r"took more than 0 s to read: not read"):
        read_regular(tmp_path / "slow.json", Limits(max_bytes=1024, timeout_s=0))


def test_a_fifo_for_a_signature_envelope_does_not_hang_verify(lab: Lab, tmp_path: Path) -> None:
    """With --pubkey the envelope beside each bundle is read as carefully as the bundle itself."""
    from labcheck.signing.keys import PrivateKey

    submissions = tmp_path / "submissions"
    submissions.mkdir()
    write_bundle(genuine(lab, "ana", tmp_path / "run"), submissions / "ana.json")
    os.mkfifo(submissions / "ana.intoto.jsonl")
    pubkey = tmp_path / "course.pub"
    pubkey.write_bytes(PrivateKey.generate().public.pem())
    command = [sys.executable, "-m", "labcheck", "verify", str(submissions), "--spec", str(PER_STUDENT)]
    done = subprocess.run(
        [*command, "--ids-from-names", "--pubkey", str(pubkey)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "the signature envelope cannot be read" in done.stdout
    assert "ana.intoto.jsonl: is a FIFO (named pipe)" in done.stdout
    assert "Traceback" not in done.stderr
