"""The workspace-secret attack, for real: `labcheck run` with the course's signing key set, on
the offline kit's nodes and on an engine of this machine. The attack is refused before any
node is touched, and a step that prints its environment shows no secret in the evidence, the
HTML or the PDF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.signing.keys import SIGNING_KEY_ENV, PrivateKey
from tests.report.conftest import pdf_text

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    # A real key (labcheck run refuses one that is not): the run signs, and the key never shows.
    SIGNING_KEY_ENV: PrivateKey.generate().pem().decode(),
    "GITHUB_TOKEN": "ghs_the-runners-own-token",
    "CI_JOB_TOKEN": "glcbt-the-job-token",
    "COURSE_DB_PASSWORD_URL": "postgres://teacher:hunter2@db/notas",
}
PROBE = ("LABCHECK_HARMLESS_PROBE", "the-step-did-print-its-environment")

SPEC = """\
labcheck: 1
lab: {id: secrets, title: Secretos, language: es, version: "1"}
nodes: [{name: node1}]
files: [{path: index.js}]
sections:
  - number: "1"
    title: El fichero y el entorno
    steps:
      - id: show-file
        title: Mostrar index.js
        run: cat index.js
        expect: {exit_code: 0}
      - id: show-env
        title: Mostrar el entorno
        run: env; cat /proc/self/environ | tr '\\0' '\\n'; echo "shell=$$"
        expect: {exit_code: 0}
"""


def spec_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "course" / "spec"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(SPEC, encoding="utf-8")
    (folder / "index.js").write_text("console.log('hola')\n", encoding="utf-8")
    return folder


def labcheck_run(spec: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **SECRETS, PROBE[0]: PROBE[1], "LABCHECK_SECRET_ENV": "COURSE_DB_PASSWORD_URL"}
    # Options before the spec: after it, `labcheck run` hands them to pytest (a bug of its own).
    command = [sys.executable, "-m", "labcheck", "run", "--out", str(out), *args, str(spec)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for name, value in SECRETS.items():
            assert value not in text, f"{name} leaked"


@pytest.mark.kit
def test_the_workspace_symlink_to_proc_environ_is_refused(tmp_path: Path) -> None:
    spec = spec_folder(tmp_path)
    workspace = tmp_path / "student"
    workspace.mkdir()
    (workspace / "index.js").symlink_to("/proc/self/environ")
    out = tmp_path / "out"
    done = labcheck_run(spec, out, "--workspace", str(workspace), "--student-id", "mallory")
    assert done.returncode != 0
    assert (
        f"{workspace / 'index.js'}: is a symlink to /proc/self/environ, outside the workspace" in done.stdout
    )
    assert "the run was not started" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    # Nothing ran, so nothing was written that could carry it.
    assert not (out / "evidence.json").exists()
    assert not (out / "informe.html").exists() and not (out / "informe.pdf").exists()
    assert_no_secret(done.stdout, done.stderr)


def _outputs(out: Path) -> tuple[str, str, str]:
    evidence = (out / "evidence.json").read_text(encoding="utf-8")
    html = (out / "informe.html").read_text(encoding="utf-8")
    return evidence, html, pdf_text(out / "informe.pdf")


@pytest.mark.kit
def test_a_step_printing_its_environment_on_a_kit_node_shows_no_secret(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = labcheck_run(spec_folder(tmp_path), out)
    assert done.returncode == 0, done.stdout[-3000:]
    evidence, html, pdf = _outputs(out)
    assert "shell=" in evidence and "TERM=xterm" in evidence  # the step did print its environment
    assert_no_secret(evidence, html, pdf, done.stdout, done.stderr)


def test_a_step_printing_its_environment_on_a_host_target_shows_no_secret(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = labcheck_run(spec_folder(tmp_path), out, "--target", "node1=unix:///var/run/docker.sock")
    assert done.returncode == 0, done.stdout[-3000:]
    evidence, html, pdf = _outputs(out)
    assert f"{PROBE[0]}={PROBE[1]}" in evidence  # labcheck's own environment, minus the secrets
    assert_no_secret(evidence, html, pdf, done.stdout, done.stderr)
