"""The README's command lines that need the engine and the kit, run as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.bundled import bundled_labs
from tests.locale_env import ENGLISH, locale_env
from tests.readme_commands import ROOT, block_with

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

VENV_BIN = Path(sys.executable).parent


def _shell(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**locale_env(ENGLISH), "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "COLUMNS": "200"}
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", line],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=2400,
    )


def test_the_install_block_runs_as_written(tmp_path: Path) -> None:
    lines = block_with("labcheck --version")
    assert lines[-1] == "labcheck run ops-stage1"
    for line in lines:
        done = _shell(line, tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == "PDF report: reports/ops-stage1/informe.pdf"
    assert (tmp_path / "reports" / "ops-stage1" / "evidence.json").is_file()


def test_lab_sh_runs_the_bundled_labs_and_ends_with_one_pdf_each(tmp_path: Path) -> None:
    line = block_with("scripts/lab.sh")[0]
    assert line == "scripts/lab.sh"
    pdfs = [ROOT / "reports" / lab.id / "informe.pdf" for lab in bundled_labs()]
    assert len(pdfs) >= 2
    started = {pdf: pdf.stat().st_mtime if pdf.exists() else 0.0 for pdf in pdfs}
    done = _shell(line, ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    last = done.stdout.rstrip().splitlines()[-len(pdfs) :]
    assert last == [f"PDF: {pdf.resolve()}" for pdf in sorted(pdfs)]
    for pdf in pdfs:
        assert pdf.stat().st_mtime > started[pdf]  # made by this run, not left by an earlier one
