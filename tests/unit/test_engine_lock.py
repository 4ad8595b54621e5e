"""The engines' lock between real processes: who holds it, refusing, waiting, stale locks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from labcheck.kit.engine_lock import EngineBusy, EngineLock, holder_of, kit_nodes_lock

HOLD = textwrap.dedent(
    """
    import sys, time
    from labcheck.kit.engine_lock import EngineLock, kit_nodes_lock
    lock = EngineLock([kit_nodes_lock()], "lab run")
    lock.acquire()
    print("held", flush=True)
    time.sleep(float(sys.argv[1]))
    lock.release()
    """
)


@pytest.fixture(autouse=True)
def kit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "kit"))
    return tmp_path / "kit"


def holder_process(tmp_path: Path, seconds: float) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(seconds)], stdout=subprocess.PIPE, text=True, env=_env(tmp_path)
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "LABCHECK_KIT_HOME": str(tmp_path / "kit")}


def test_a_held_lock_names_its_holder_and_no_wait_is_refused(tmp_path: Path) -> None:
    other = holder_process(tmp_path, 30)
    try:
        holder = holder_of(kit_nodes_lock())
        assert holder is not None and holder.pid == other.pid and holder.purpose == "lab run"
        with pytest.raises(EngineBusy, match=f"in use by pid {other.pid} \\(lab run: .*-c"):
            EngineLock([kit_nodes_lock()], "lab run").acquire(wait=False)
    finally:
        other.kill()
        other.wait()


def test_waiting_says_for_whom_and_gets_the_lock_when_it_is_let_go(tmp_path: Path) -> None:
    other = holder_process(tmp_path, 1.5)
    told: list[str] = []
    lock = EngineLock([kit_nodes_lock()], "lab run")
    notes = lock.acquire(wait=True, say=told.append)
    try:
        assert told == notes and notes[0].startswith(f"waiting for the engines, in use by pid {other.pid}")
        assert other.wait(timeout=10) == 0
        assert holder_of(kit_nodes_lock()) is not None
    finally:
        lock.release()
    assert holder_of(kit_nodes_lock()) is None


def test_a_lock_left_by_a_killed_holder_is_taken_over_and_said_so(tmp_path: Path) -> None:
    other = holder_process(tmp_path, 60)
    other.kill()
    other.wait()
    assert holder_of(kit_nodes_lock()) is None  # the kernel let it go with its holder
    lock = EngineLock([kit_nodes_lock()], "lab run")
    notes = lock.acquire(wait=False)
    lock.release()
    assert len(notes) == 1 and f"stale lock left by pid {other.pid}" in notes[0]
    assert "no longer running" in notes[0]
