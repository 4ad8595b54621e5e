"""Running `pytest --labcheck` in a child process, as a user would, for the Docker tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def labcheck_command(out: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--labcheck",
        "-p",
        "no:cacheprovider",
        "-q",
        "-ra",
        "--labcheck-out",
        str(out),
        *args,
    ]


def run_labcheck(out: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    command = labcheck_command(out, *args)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
