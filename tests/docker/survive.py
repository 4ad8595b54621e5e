"""Helpers for the tests of runs that meet signals, other runs, timeouts and full disks."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.docker.labrun import ROOT, labcheck_command, node_shell


def write_spec(folder: Path, text: str, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content)
    spec = folder / "lab.yaml"
    spec.write_text(text)
    return spec


def start_run(out: Path, spec: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        labcheck_command(out, "--labcheck-no-report", *args, str(spec)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def evidence_of(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / "evidence.json").read_text())
    return document


def wait_until(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 120,
    run: subprocess.Popen[str] | None = None,
) -> None:
    """Poll condition until it holds; with the run it waits on, give up as soon as that run ends
    without it (a run that died at once would otherwise cost the whole timeout), saying why."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ended = run is not None and run.poll() is not None
        if _holds(condition):
            return
        if ended and run is not None:
            stdout, stderr = run.communicate()
            raise AssertionError(
                f"the run ended (exit {run.returncode}) before {what}:\n{stdout[-2000:]}\n{stderr[-2000:]}"
            )
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except (OSError, ValueError, KeyError):
        return False  # a file half-written or not there yet


def steps_recorded(out: Path) -> int:
    return len(evidence_of(out)["steps"])


def assert_nodes_pristine(nodes: tuple[str, ...] = ("node1", "node2")) -> None:
    for node in nodes:
        assert node_shell(node, "docker ps -aq") == "", f"{node} keeps containers"
        assert node_shell(node, "docker images -aq") == "", f"{node} keeps images"
        assert node_shell(node, "docker info --format '{{.Swarm.LocalNodeState}}'") == "inactive"


def step_processes_on_host() -> str:
    """`docker exec` clients of labcheck's steps still running on this machine."""
    done = subprocess.run(["pgrep", "-af", "labcheck-step.pid"], capture_output=True, text=True, check=False)
    return "\n".join(line for line in done.stdout.splitlines() if "pgrep" not in line)
