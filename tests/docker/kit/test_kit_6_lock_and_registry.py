"""`kit up` takes the nodes' lock a run holds, and replaces its own registry when it is silent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.kit import api, paths, registry, registry_client
from labcheck.kit.engine_lock import EngineLock, kit_nodes_lock

pytestmark = [pytest.mark.docker, pytest.mark.kit]

LOOPBACK = registry.listeners()[0]
ROOT = Path(__file__).resolve().parents[3]


def registry_pid() -> int:
    return int((paths.registry_dir() / "run" / f"{LOOPBACK.name}.pid").read_text())


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def test_kit_up_waits_for_the_run_holding_the_nodes(kit_up_status: api.KitStatus) -> None:
    run = EngineLock([kit_nodes_lock()], "lab run")
    run.acquire(wait=False)
    said: list[str] = []
    try:
        up = subprocess.Popen(
            [sys.executable, "-m", "labcheck", "kit", "up"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert up.stderr is not None
        # Until it says it waits (however long a loaded machine takes to start Python), or ends.
        for line in up.stderr:
            said.append(line)
            if "waiting for the engines" in line:
                break
        still_waiting = up.poll() is None
    finally:
        run.release()
    _, rest = up.communicate(timeout=300)
    stderr = "".join(said) + rest
    assert still_waiting, stderr
    assert up.returncode == 0, stderr
    assert f"waiting for the engines, in use by pid {os.getpid()} (lab run:" in stderr


def test_kit_up_replaces_its_own_registry_when_it_is_alive_but_silent(kit_up_status: api.KitStatus) -> None:
    silent = registry_pid()
    os.kill(silent, signal.SIGSTOP)
    try:
        assert not registry_client.answers(LOOPBACK.address, timeout=1.0)
        messages: list[str] = []
        status = api.kit_up(progress=messages.append)
        assert status.up, status.to_json()
        assert f"registry started on {LOOPBACK.address}" in messages
        assert registry_client.answers(LOOPBACK.address)
        assert registry_pid() != silent and registry.running(LOOPBACK)
        assert gone(silent)
        # And the next `kit up` knows it for its own: no "something else already answers".
        again: list[str] = []
        assert api.kit_up(progress=again.append).up
        assert not any("registry started" in message for message in again)
    finally:
        if Path(f"/proc/{silent}").exists():
            os.kill(silent, signal.SIGCONT)
