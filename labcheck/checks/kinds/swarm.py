"""The engine's Swarm: active, its nodes by role and readiness, its leader."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "active": {"type": "boolean"},
        "nodes": {"type": "integer", "minimum": 0},
        "managers": {"type": "integer", "minimum": 0},
        "workers": {"type": "integer", "minimum": 0},
        "ready": {"type": "integer", "minimum": 0},
        "leader": {"$ref": "#/$defs/text"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    expected = dict(p)
    swarm_info = client.info().get("Swarm", {})
    active = swarm_info.get("LocalNodeState") == "active"
    observed: dict[str, object] = {"active": active}
    if active and swarm_info.get("ControlAvailable"):
        nodes = client.nodes.list()
        observed["nodes"] = len(nodes)
        observed["managers"] = sum(1 for n in nodes if n.attrs["Spec"].get("Role") == "manager")
        observed["workers"] = sum(1 for n in nodes if n.attrs["Spec"].get("Role") == "worker")
        observed["ready"] = sum(1 for n in nodes if n.attrs.get("Status", {}).get("State") == "ready")
        leaders = [
            n.attrs["Description"]["Hostname"]
            for n in nodes
            if n.attrs.get("ManagerStatus", {}).get("Leader")
        ]
        observed["leader"] = leaders[0] if leaders else None
    ok = all(observed.get(key) == value for key, value in expected.items())
    return Observation(ok, expected, {k: v for k, v in observed.items() if k in expected or k == "active"})


KIND = StateKind(
    name="swarm", schema=SCHEMA, probe=probe, subject_es="el Swarm", words_es={"leader": "líder {}"}
)
