"""A Swarm node, by its hostname: its availability (active, pause, drain), role and state.

Asked of a manager: only managers list the Swarm's nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "name": {"$ref": "#/$defs/text", "description": "the node's hostname (node2), or its id"},
        "exists": {"type": "boolean"},
        "availability": {"enum": ["active", "pause", "drain"]},
        "role": {"enum": ["manager", "worker"]},
        "state": {"enum": ["ready", "down", "unknown", "disconnected"]},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    found = [
        node
        for node in client.nodes.list()
        if node.attrs.get("Description", {}).get("Hostname") == name or node.id == name
    ]
    if not found:
        return Observation(
            expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
        )
    attrs = found[0].attrs
    observed: dict[str, object] = {
        "exists": True,
        "availability": attrs.get("Spec", {}).get("Availability"),
        "role": attrs.get("Spec", {}).get("Role"),
        "state": attrs.get("Status", {}).get("State"),
    }
    ok = all(observed.get(key) == value for key, value in expected.items())
    return Observation(ok, expected, {k: v for k, v in observed.items() if k in expected or k == "exists"})


KIND = StateKind(
    name="node",
    schema=SCHEMA,
    probe=probe,
    subject_es="el nodo {}",
    subject_key="name",
    words_es={"availability": "disponibilidad «{}»", "role": "rol «{}»", "state": "estado «{}»"},
)
