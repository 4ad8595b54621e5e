"""The swarm-compose-secrets and orchestration-hol labs, run for real on the kit, and the state
checks they need (networks, secrets, configs, nodes, where a service's tasks run), each also
shown failing on a real engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.docker.labrun import ROOT, assert_chain_intact, run_labcheck

pytestmark = [pytest.mark.docker, pytest.mark.kit]

SWARM_OBJECTS_SPEC = """\
labcheck: 1
lab: {id: swarm-object-checks, title: Comprobaciones de objetos del Swarm, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: init
        title: Iniciar el Swarm
        run: docker swarm init --advertise-addr $(hostname -i)
        expect:
          state: [{swarm: {active: true}}]
      - id: objects
        title: Una red, un contenedor en ella, un secreto y una configuración
        run: >-
          docker network create -d bridge puente &&
          docker container run -d --name enred --network puente alpine sleep 300 &&
          echo s | docker secret create clave - && echo c | docker config create ajuste -
        expect:
          state:
            - network: {name: puente, driver: bridge, scope: local, attached: enred}
            - secret: {name: clave, exists: true}
            - config: {name: ajuste, exists: true}
      - id: service
        title: Un servicio que usa los dos
        run: docker service create --detach --name srv --secret clave --config ajuste alpine sleep 300
        expect:
          state:
            - secret: {name: clave, used_by: srv}
            - config: {name: ajuste, used_by: srv}
            - node: {name: node1, availability: active, role: manager, state: ready}
            - service: {name: srv, running: 1, running_on: [node1]}
              eventually: {timeout: 1m, interval: 1s}
      - id: wrong
        title: Lo que no es así
        run: "true"
        expect:
          state:
            - secret: {name: clave, used_by: otro}
            - node: {name: node1, availability: drain}
            - network: {name: puente, attached: nadie}
            - service: {name: srv, not_on: node1}
            - config: {name: nada, exists: false}
"""


def _evidence(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    return document


def _checks(step: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [check for check in step["checks"] if check["code"] == code]


def test_swarm_compose_secrets_lab_passes_on_the_kit(tmp_path: Path) -> None:
    done = run_labcheck(tmp_path, str(ROOT / "specs" / "swarm-compose-secrets"))
    assert done.returncode == 0, done.stdout[-3000:]
    evidence = _evidence(tmp_path)
    assert_chain_intact(evidence)
    assert {step["outcome"] for step in evidence["steps"]} == {"passed"}
    steps = {step["id"]: step for step in evidence["steps"]}
    for follow, rule, secret, times in (
        ("service-logs", "until.matches", "shh, this is a secret", 2),
        ("external-logs", "until.contains", "some other secret", 1),
    ):
        # `docker service logs -f` never ends: labcheck stopped it once the secret showed.
        logs = steps[follow]
        assert logs["exit_code"] is None and not logs["timed_out"] and logs["reason"] is None
        (until,) = _checks(logs, rule)
        assert until["verdict"] == "passed" and until["reason"]["code"] == "stopped_when_seen"
        assert logs["transcript"]["text"].count(secret) >= times
    # Two lines of the first service's logs, from two tasks: the Swarm restarted the one that ended.
    (tasks,) = _checks(steps["service-logs"], "output.distinct_matches")
    assert len(tasks["observed"]) >= 2
    (made,) = [c for c in _checks(steps["stack-deploy"], "state.secret")]
    assert made["observed"] == {"exists": True, "used_by": ["secret_test"]}
    (network,) = _checks(steps["stack-deploy"], "state.network")
    assert network["observed"]["driver"] == "overlay" and network["observed"]["scope"] == "swarm"
    external, not_made = _checks(steps["external-deploy"], "state.secret")
    assert external["observed"]["used_by"] == ["external_secret_test"]
    assert not_made["observed"] == {"exists": False} and not_made["verdict"] == "passed"
    assert evidence["run"]["standins"] is True


def test_orchestration_hol_lab_passes_on_the_kit(tmp_path: Path) -> None:
    done = run_labcheck(tmp_path, str(ROOT / "specs" / "orchestration-hol"))
    assert done.returncode == 0, done.stdout[-3000:]
    evidence = _evidence(tmp_path)
    assert_chain_intact(evidence)
    assert {step["outcome"] for step in evidence["steps"]} == {"passed"}
    steps = {step["id"]: step for step in evidence["steps"]}
    (seven,) = _checks(steps["scale-7"], "state.service")
    assert seven["observed"]["running_on"] == ["node1", "node2", "node3"]
    (drained,) = _checks(steps["drain-node2"], "state.node")
    assert drained["observed"]["availability"] == "drain"
    # After the drain, the four tasks run on node1 and node3 only.
    (moved,) = _checks(steps["service-ps-moved"], "state.service")
    assert moved["observed"] == {"running": 4, "running_on": ["node1", "node3"]}
    assert "Shutdown" in steps["service-ps-moved"]["transcript"]["text"]
    assert steps["node-ls-id"]["captures"]["node2_id"] in steps["drain-node2"]["command"]


def test_swarm_object_checks_fail_when_the_engine_says_otherwise(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "lab.yaml"
    spec.parent.mkdir()
    spec.write_text(SWARM_OBJECTS_SPEC, encoding="utf-8")
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    assert done.returncode == 1, done.stdout[-3000:]
    steps = {step["id"]: step for step in _evidence(tmp_path / "out")["steps"]}
    assert [steps[s]["outcome"] for s in ("init", "objects", "service", "wrong")] == [
        "passed",
        "passed",
        "passed",
        "failed",
    ]
    (network,) = _checks(steps["objects"], "state.network")
    assert network["observed"]["attached"] == ["enred"]
    verdicts = {check["code"]: (check["verdict"], check["observed"]) for check in steps["wrong"]["checks"]}
    assert verdicts["state.secret"] == ("failed", {"exists": True, "used_by": ["srv"]})
    assert verdicts["state.node"][0] == "failed" and verdicts["state.node"][1]["availability"] == "active"
    assert verdicts["state.network"][0] == "failed"
    assert verdicts["state.service"] == ("failed", {"running_on": ["node1"]})
    assert verdicts["state.config"] == ("passed", {"exists": False})
