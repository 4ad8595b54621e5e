"""Checked before any node is touched: the output folder (read-only, too small, filling up during
the run) and the kit's registry. Real tmpfs mounts and a really stopped registry."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from labcheck.kit import registry
from tests.docker.labrun import run_labcheck, wait_for_kit_nodes
from tests.docker.survive import evidence_of, start_run, steps_recorded, wait_until, write_spec

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

SPEC = """\
labcheck: 1
lab: {id: preflight, title: Comprobaciones previas, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Hola
        run: docker container run --rm alpine echo hola
        expect: {output: [{contains: hola}]}
"""

# Steps that print a lot, slowly, so the disk can fill while the run goes on.
CHATTY = """\
labcheck: 1
lab: {id: chatty, title: Mucha salida, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
"""
for index in range(8):
    CHATTY += f"""\
      - id: chatty-{index}
        title: Paso {index}
        run: sleep 1; seq 1 20000
        expect: {{exit_code: 0}}
"""


@contextlib.contextmanager
def tmpfs(folder: Path, *options: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def assert_refused_before_any_step(done: subprocess.CompletedProcess[str], message: str) -> None:
    """Once, in the student's language (run_labcheck runs under a Spanish locale), and nothing ran."""
    output = done.stdout + done.stderr
    assert done.returncode == 2, output[-2000:]
    assert output.count(message) == 1, output[-2000:]
    assert "Traceback" not in output and len(output.splitlines()) < 15
    assert "1 passed" not in output and "failed" not in output


def test_a_read_only_output_folder_is_one_message_before_any_step(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SPEC)
    with tmpfs(tmp_path / "ro", "ro", "size=4m") as folder:
        done = run_labcheck(folder, str(spec))
        assert_refused_before_any_step(done, f"no se puede escribir en la carpeta de salida {folder}")


def test_an_output_folder_without_room_is_one_message_before_any_step(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SPEC)
    with tmpfs(tmp_path / "tiny", "size=256k") as folder:
        done = run_labcheck(folder, str(spec))
        assert_refused_before_any_step(done, f"la carpeta de salida {folder} tiene 0,2 MB libres")


def test_a_disk_that_fills_during_the_run_ends_it_cleanly_keeping_the_last_evidence(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", CHATTY)
    with tmpfs(tmp_path / "small", "size=8m") as out:
        process = start_run(out, spec)
        wait_until(lambda: steps_recorded(out) >= 2, "two steps in the evidence", timeout=180, run=process)
        # Fill what is left, as another program on the same disk would.
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={out / 'filler'}", "bs=64k"], capture_output=True, check=False
        )
        stdout, stderr = process.communicate(timeout=180)
        wait_for_kit_nodes()
        evidence = evidence_of(out)  # whole and readable
        kept = len(evidence["steps"])
        assert 2 <= kept < 8
        assert not list(out.glob("*.partial"))
        assert process.returncode == 1, stdout[-2000:]
        assert "Traceback" not in stdout + stderr and "OSError" not in stdout + stderr
        # The run speaks the test's language (English: conftest pins LANG=C.UTF-8).
        assert "the disk is full" in stdout and "the last complete one is kept" in stdout, stdout[-3000:]
        # The step where it happened says why, in labcheck's words rather than the system's.
        said_at_the_step = f"cannot write the evidence {out / 'evidence.json'} (the disk is full)"
        assert said_at_the_step in stdout, stdout[-3000:]
        assert "No space left on device" not in stdout
        assert "8 passed" not in stdout  # the run stopped instead of running steps it could not keep


LOOPBACK = registry.listeners()[0]


def test_with_the_kit_registry_down_the_run_fails_before_the_first_step(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SPEC)
    assert registry.stop(LOOPBACK)
    try:
        done = run_labcheck(tmp_path / "out", str(spec))
    finally:
        registry.start(LOOPBACK)
    assert_refused_before_any_step(done, f"el registro del kit no responde en {LOOPBACK.address}")
    assert not (tmp_path / "out" / "evidence.json").exists()


def test_a_lab_pulling_an_image_the_kit_lacks_fails_before_the_first_step(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SPEC.replace("run --rm alpine", "run --rm nginx:no-such-tag"))
    done = run_labcheck(tmp_path / "out", str(spec))
    # The image, the lab, the line of the step that pulls it, and how to add a stand-in.
    where = "lab.yaml:8 (paso hello)"
    assert_refused_before_any_step(
        done,
        f"{where}: el laboratorio preflight descarga nginx:no-such-tag, "
        "que el kit sin conexión no puede proporcionar",
    )
    output = done.stdout + done.stderr
    assert "`images:`" in output and "{ref: nginx:no-such-tag, standin: {build: standins/nginx}}" in output
