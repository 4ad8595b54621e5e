"""`labcheck record` proposes the state each step changed (read through the SDK before and after
it, on the kit): the recorded checks pass on the kit, and fail once the commands change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.spec.loader import load_lab

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

SPEC = """\
labcheck: 1
lab: {id: record-state, title: Record the state, language: en, version: "1"}
nodes: [{name: node1}]
images: [{ref: alpine, standin: {library: alpine}}]
sections:
  - number: "1"
    title: State
    steps:
      - id: start-web
        title: A container that keeps running
        run: docker container run -d --name web alpine sleep 600
        expect:
          exit_code: 0
      - id: one-off
        title: A container that runs once
        run: docker container run alpine true
        expect:
          exit_code: 0
      - id: make-volume
        title: A named volume
        run: docker volume create notes
        expect:
          exit_code: 0  # the author's own
      - id: swarm-init
        title: A one-node Swarm
        run: docker swarm init --advertise-addr $(hostname -i)
        expect:
          exit_code: 0
      - id: service
        title: A service of two replicas
        run: docker service create --detach --name pinger --replicas 2 alpine sleep 600
        expect:
          exit_code: 0
"""


def _labcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", *args]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=1200)


def _states(lab_dir: Path) -> dict[str, list[tuple[str, dict[str, object]]]]:
    lab = load_lab(lab_dir)
    return {step.id: [(check.kind, dict(check.params)) for check in step.state_checks] for step in lab.steps}


def test_recorded_state_passes_on_the_kit_and_fails_when_the_commands_change(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    spec = pack / "lab.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    recorded = _labcheck("record", "pack", "--runs", "2", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    text = spec.read_text(encoding="utf-8")
    assert "          exit_code: 0  # the author's own\n" in text  # never rewritten
    assert "# recorded: the same in all 2 reference runs: created" in text
    states = _states(pack)
    assert ("container", {"ref": "web", "status": "running"}) in states["start-web"]
    # Its random name differs from run to run: the container is counted instead.
    assert ("containers", {"image": "alpine", "count": 2, "running": 1}) in states["one-off"]
    assert ("volume", {"name": "notes", "exists": True, "driver": "local"}) in states["make-volume"]
    assert ("swarm", {"active": True, "nodes": 1, "managers": 1, "workers": 0}) in states["swarm-init"]
    assert ("service", {"name": "pinger", "replicas": 2, "running": 2}) in states["service"]

    passed = _labcheck("run", "pack", "--out", "run-1", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    changed = (
        text.replace("--name web alpine sleep 600", "--name web alpine true")
        .replace("docker volume create notes", "docker volume create other")
        .replace("--replicas 2", "--replicas 1")
    )
    spec.write_text(changed, encoding="utf-8")
    failed = _labcheck("run", "pack", "--out", "run-2", cwd=tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    evidence = json.loads((tmp_path / "run-2" / "evidence.json").read_text(encoding="utf-8"))
    outcomes = {step["id"]: step["outcome"] for step in evidence["steps"]}
    assert outcomes == {
        "start-web": "failed",
        "one-off": "failed",  # one alpine container fewer is running
        "make-volume": "failed",
        "swarm-init": "passed",
        "service": "failed",
    }
    for step in evidence["steps"]:
        if step["outcome"] == "failed":
            failing = {check["code"] for check in step["checks"] if check["verdict"] == "failed"}
            # The recorded state check fails (beside any recorded output line of it).
            assert any(code.startswith("state.") for code in failing), (step["id"], failing)
