"""Running `pytest --labcheck` in a child process, as a user would, for the Docker tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labcheck.kit.engine_lock import EngineLock, kit_nodes_lock

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
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    wait_for_kit_nodes()
    return done


def wait_for_kit_nodes() -> list[str]:
    """Wait until the kit's nodes are given back (a run does it in the background, holding their
    lock), so a test looks at pristine nodes and never hands the engine on mid-reset."""
    lock = EngineLock([kit_nodes_lock()], "test waiting for the kit nodes")
    notes = lock.acquire(wait=True)
    lock.release()
    return notes
