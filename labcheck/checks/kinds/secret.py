"""A Swarm secret: it exists, and which service uses it.

Asked of a manager (only managers hold the Swarm's secrets); its value is never read: the
engine does not give it back, and a check has no business printing it.
"""

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
        "name": {
            "$ref": "#/$defs/text",
            "description": "the secret's name (one a stack creates: `<stack>_<secret>`)",
        },
        "exists": {"type": "boolean"},
        "used_by": {"$ref": "#/$defs/text", "description": "a service whose tasks are given it"},
    },
}


def swarm_data_probe(collection: str, spec_key: str) -> Any:
    """The probe of a Swarm object a service is given by name: secrets or configs."""

    def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
        name = str(p["name"])
        expected = {k: v for k, v in p.items() if k != "name"}
        found = [
            item for item in getattr(client, collection).list(filters={"name": name}) if item.name == name
        ]
        if not found:
            return Observation(
                expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
            )
        users = sorted(
            str(service.name)
            for service in client.services.list()
            if any(
                reference.get(f"{spec_key[:-1]}Name") == name
                for reference in service.attrs["Spec"]["TaskTemplate"].get("ContainerSpec", {}).get(spec_key)
                or []
            )
        )
        observed: dict[str, object] = {"exists": True, "used_by": users}
        ok = expected.get("exists", True) is True
        if "used_by" in expected:
            ok = ok and str(expected["used_by"]) in users
        return Observation(ok, expected, observed)

    return probe


KIND = StateKind(
    name="secret",
    schema=SCHEMA,
    probe=swarm_data_probe("secrets", "Secrets"),
    subject_es="el secreto {}",
    subject_key="name",
    words_es={"used_by": "en uso por el servicio {}"},
)
