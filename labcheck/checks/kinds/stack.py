"""A stack deployed with `docker stack deploy`: how many services it has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["name", "services"],
    "additionalProperties": False,
    "properties": {"name": {"$ref": "#/$defs/text"}, "services": {"type": "integer", "minimum": 0}},
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    services = list(client.services.list(filters={"label": f"com.docker.stack.namespace={p['name']}"}))
    observed = {"services": len(services), "names": sorted(s.name for s in services)}
    return Observation(len(services) == p["services"], {"services": p["services"]}, observed)


KIND = StateKind(name="stack", schema=SCHEMA, probe=probe, subject_es="la pila {}", subject_key="name")
