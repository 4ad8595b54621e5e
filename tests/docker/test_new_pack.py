"""`labcheck new`'s starter pack runs green on the offline kit, as written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.docker, pytest.mark.kit]


def _labcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", *args]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900)


def test_the_starter_pack_validates_and_runs_green_on_the_kit(tmp_path: Path) -> None:
    made = _labcheck("new", "starter", "-o", "packs/starter", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert _labcheck("validate", "packs/starter", cwd=tmp_path).returncode == 0
    ran = _labcheck("run", "packs/starter", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    evidence = json.loads((tmp_path / "out" / "evidence.json").read_text(encoding="utf-8"))
    assert [(step["id"], step["outcome"]) for step in evidence["steps"]] == [
        ("say-hello", "passed"),
        ("list-containers", "passed"),
    ]
    judged = [check["code"] for step in evidence["steps"] for check in step["checks"]]
    assert {"exit_code", "output.contains", "output.matches", "state.container", "state.containers"} <= set(
        judged
    )
    assert (tmp_path / "out" / "informe.pdf").stat().st_size > 0
