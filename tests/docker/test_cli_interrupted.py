"""`labcheck run` interrupted by Ctrl-C exits 130, as every labcheck command does (pytest says 2)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.docker]

SPEC = """\
labcheck: 1
lab: {id: interrupted, title: Interrumpido, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: first
        title: Primero
        run: echo uno
        expect: {exit_code: 0}
      - id: long
        title: Uno que tarda
        run: sleep 120
        timeout: 3m
        expect: {exit_code: 0}
"""


def _steps_recorded(evidence: Path) -> int:
    try:
        return len(json.loads(evidence.read_text(encoding="utf-8"))["steps"])
    except (OSError, ValueError, KeyError):
        return 0


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "labcheck",
        "run",
        "lab.yaml",
        "--target",
        "host=unix:///var/run/docker.sock",
    ]
    child = subprocess.Popen(
        [*command, "--out", "out", "--", "-p", "no:randomly"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    evidence = tmp_path / "out" / "evidence.json"
    deadline = time.monotonic() + 120
    while _steps_recorded(evidence) < 1 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # waiting for the first step to be kept, not measuring anything
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, out[-2000:] + err[-2000:]
    assert "Traceback" not in out + err
