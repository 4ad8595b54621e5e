"""A network: it exists, its driver and scope, and which containers it has attached.

Attached containers are those the engine asked lists in the network (for an overlay network,
the containers on that node); a stack's service network is found by its full name
(`<stack>_default`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind
from labcheck.json_values import as_mapping

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "name": {"$ref": "#/$defs/text", "description": "the network's name (or its id)"},
        "exists": {"type": "boolean"},
        "driver": {"$ref": "#/$defs/text", "description": "bridge, overlay, host, ..."},
        "scope": {"enum": ["local", "swarm", "global"]},
        "attached": {"$ref": "#/$defs/text", "description": "a container (name or id) attached to it"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    import docker.errors

    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    try:
        network = client.networks.get(name)
    except docker.errors.NotFound:
        return Observation(
            expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
        )
    attached = _attached(network.attrs)
    observed: dict[str, object] = {
        "exists": True,
        "driver": network.attrs.get("Driver"),
        "scope": network.attrs.get("Scope"),
        "attached": sorted(attached.values()),
    }
    ok = expected.get("exists", True) is True
    for key in ("driver", "scope"):
        if key in expected:
            ok = ok and observed[key] == expected[key]
    if "attached" in expected:
        wanted = str(expected["attached"]).lstrip("/")
        ok = ok and any(
            wanted == container_name or (len(wanted) >= 12 and container_id.startswith(wanted))
            for container_id, container_name in attached.items()
        )
    return Observation(ok, expected, observed)


def _attached(attrs: Mapping[str, object]) -> dict[str, str]:
    """Container id -> name, of every container the network lists (endpoints of other nodes'
    tasks are not containers here, and are left out)."""
    containers = as_mapping(attrs.get("Containers"))
    return {
        str(container_id): str(endpoint.get("Name", ""))
        for container_id, endpoint in containers.items()
        if not str(container_id).startswith("lb-") and isinstance(endpoint, Mapping)
    }


KIND = StateKind(
    name="network",
    schema=SCHEMA,
    probe=probe,
    subject_es="la red {}",
    subject_key="name",
    words_es={"scope": "ámbito «{}»", "attached": "con el contenedor {} conectado"},
)
