"""A Swarm service: replicas asked for, tasks running, and on how many nodes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from labcheck.checks.kinds import Baseline, Observation, StateKind

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "name": {"$ref": "#/$defs/text"},
        "replicas": {"type": "integer", "minimum": 0},
        "running": {"type": "integer", "minimum": 0},
        "nodes": {"type": "integer", "minimum": 1, "description": "distinct nodes with a running task"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, Any], _: Baseline) -> Observation:
    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    matches = [s for s in client.services.list(filters={"name": name}) if s.name == name]
    if not matches:
        return Observation(False, expected, {"exists": False})
    service = matches[0]
    replicas = service.attrs["Spec"].get("Mode", {}).get("Replicated", {}).get("Replicas")
    running = [
        t
        for t in service.tasks(filters={"desired-state": "running"})
        if t.get("Status", {}).get("State") == "running"
    ]
    observed = {
        "replicas": replicas,
        "running": len(running),
        "nodes": len({t.get("NodeID") for t in running}),
    }
    ok = all(observed.get(key) == value for key, value in expected.items())
    return Observation(ok, expected, {k: v for k, v in observed.items() if k in expected})


KIND = StateKind(name="service", schema=SCHEMA, probe=probe, subject_es="el servicio {}", subject_key="name")
