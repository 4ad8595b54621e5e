"""A Swarm service: replicas asked for, tasks running, on how many nodes and on which (by
hostname: `running_on` is the exact set of nodes with a running task, `not_on` one without any)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind
from labcheck.json_values import as_list

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "name": {"$ref": "#/$defs/text"},
        "exists": {"type": "boolean"},
        "replicas": {"type": "integer", "minimum": 0},
        "running": {"type": "integer", "minimum": 0},
        "nodes": {"type": "integer", "minimum": 1, "description": "distinct nodes with a running task"},
        "running_on": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"$ref": "#/$defs/text"},
            "description": "the hostnames of the nodes with a running task, all of them",
        },
        "not_on": {"$ref": "#/$defs/text", "description": "a node (hostname) with no running task"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    matches = [s for s in client.services.list(filters={"name": name}) if s.name == name]
    if not matches:
        return Observation(
            expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
        )
    if expected.get("exists") is False:
        return Observation(False, expected, {"exists": True})
    service = matches[0]
    replicas = service.attrs["Spec"].get("Mode", {}).get("Replicated", {}).get("Replicas")
    running = [
        t
        for t in service.tasks(filters={"desired-state": "running"})
        if t.get("Status", {}).get("State") == "running"
    ]
    observed: dict[str, object] = {
        "replicas": replicas,
        "running": len(running),
        "nodes": len({t.get("NodeID") for t in running}),
    }
    if "running_on" in expected or "not_on" in expected:
        hosts = _hostnames(client)
        on = sorted({hosts.get(str(t.get("NodeID")), str(t.get("NodeID"))) for t in running})
        observed["running_on"] = on
    counted = {k: v for k, v in expected.items() if k not in ("exists", "running_on", "not_on")}
    ok = all(observed.get(key) == value for key, value in counted.items())
    if "running_on" in expected:
        ok = ok and observed["running_on"] == sorted(str(host) for host in as_list(expected["running_on"]))
    if "not_on" in expected:
        ok = ok and str(expected["not_on"]) not in as_list(observed["running_on"])
    shown = {*expected, *(("running_on",) if "not_on" in expected else ())}
    return Observation(ok, expected, {k: v for k, v in observed.items() if k in shown})


def _hostnames(client: docker.DockerClient) -> dict[str, str]:
    return {str(n.id): str(n.attrs.get("Description", {}).get("Hostname", n.id)) for n in client.nodes.list()}


KIND = StateKind(name="service", schema=SCHEMA, probe=probe, subject_es="el servicio {}", subject_key="name")
