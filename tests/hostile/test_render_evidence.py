"""Malformed evidence given to `labcheck report` and `labcheck verify`: a clean message naming
the place in the document, exit 2 (report) or an error row (verify), never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from labcheck.cli import main
from tests.hostile.render_inputs import MALFORMED, Malformed, dump, first_steps, run_bounded

SPEC = Path(__file__).resolve().parents[2] / "specs" / "ops-stage1"


def _written(case: Malformed, folder: Path) -> Path:
    path = folder / f"{case.name}.json"
    path.write_bytes(case.make())
    return path


@pytest.mark.parametrize("case", MALFORMED, ids=lambda case: case.name)
def test_report_refuses_malformed_evidence_naming_the_place(
    case: Malformed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = _written(case, tmp_path)
    # In process: any exception escaping main() (the tracebacks of issue #10) fails the test.
    assert main(["report", str(evidence), "-o", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith(f"labcheck: {evidence}: ") and "\n" not in message
    for words in case.says:
        assert words in message
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_verify_reports_each_malformed_evidence_as_an_error_row(tmp_path: Path) -> None:
    for case in MALFORMED:
        _written(case, tmp_path)
    outcome = run_bounded(["verify", tmp_path, "--spec", SPEC, "--ids-from-names"])
    assert outcome.returncode == 1, outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr
    for case in MALFORMED:
        row = next(line for line in outcome.stdout.splitlines() if f"/{case.name}.json: " in line)
        for words in case.says:
            assert words in row, case.name


def test_not_utf8_student_name_on_the_command_line_is_refused_by_name(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(first_steps()))
    # José in Latin-1: what a terminal set to ISO-8859-1 passes.
    outcome = run_bounded([b"report", evidence, b"--no-pdf", b"--student-name", b"Jos\xe9"])
    assert outcome.returncode == 2 and "Traceback" not in outcome.stderr
    assert "--student-name: not UTF-8 text (byte 0xe9 at character 4)" in outcome.stderr
    assert not (tmp_path / "informe.html").exists()
    good = run_bounded([b"report", evidence, b"--no-pdf", b"--student-name", "José".encode()])
    assert good.returncode == 0, good.stderr
    assert "José" in (tmp_path / "informe.html").read_text(encoding="utf-8")


def test_output_folder_with_a_non_utf8_name_is_printed_without_a_traceback(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(first_steps()))
    out = os.fsencode(tmp_path) + b"/inform\xe9"
    outcome = run_bounded([b"report", evidence, b"--no-pdf", b"-o", out])
    assert outcome.returncode == 0 and "Traceback" not in outcome.stderr
    assert (Path(os.fsdecode(out)) / "informe.html").is_file()
    assert "inform\ufffd/informe.html" in outcome.stdout


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "too-big", "missing"])
def test_report_reads_only_a_regular_evidence_file_within_the_limit(kind: str, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.json"
    if kind == "fifo":
        os.mkfifo(evidence)  # opening it must not wait for a writer
    elif kind == "folder":
        evidence.mkdir()
    elif kind == "device":
        evidence = Path("/dev/zero")
    elif kind == "too-big":
        with evidence.open("wb") as stream:
            stream.truncate(60 * 1024 * 1024)  # sparse: nothing is read
    outcome = run_bounded(["report", evidence, "--no-pdf", "-o", tmp_path / "out"], cpu_seconds=20)
    assert outcome.returncode == 2 and "Traceback" not in outcome.stderr
    expected = {
        "fifo": "is a FIFO (named pipe), not a regular file: not read",
        "folder": "is a folder, not a regular file: not read",
        "device": "is a character device, not a regular file: not read",
        "too-big": "is too big (60.0 MB; the limit is 50.0 MB)",
        "missing": "no such file",
    }[kind]
    assert f"{evidence}: {expected}" in outcome.stderr
