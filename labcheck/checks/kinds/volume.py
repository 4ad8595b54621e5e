"""A volume: it exists, its driver, which container mounts it, and a file inside it.

A file is looked for through a container that mounts the volume, running or not (the SDK's
archive of that path), so a volume no container mounts says it cannot be looked into.
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
        "name": {
            "$ref": "#/$defs/text",
            "description": "a volume's name, or a captured ${{ name }} for an anonymous one",
        },
        "exists": {"type": "boolean"},
        "driver": {"$ref": "#/$defs/text"},
        "mounted_by": {"$ref": "#/$defs/text", "description": "a container (name or id) that mounts it"},
        "contains": {
            "$ref": "#/$defs/text",
            "description": "a path inside the volume, read through a container that mounts it",
        },
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    import docker.errors

    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    try:
        volume = client.volumes.get(name)
    except docker.errors.NotFound:
        return Observation(
            expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
        )
    mounts = _mounts(client, name)
    observed: dict[str, object] = {
        "exists": True,
        "driver": volume.attrs.get("Driver"),
        "mountpoint": volume.attrs.get("Mountpoint"),
        "mounted_by": sorted(mounts),
    }
    ok = expected.get("exists", True) is True
    if "driver" in expected:
        ok = ok and observed["driver"] == expected["driver"]
    if "mounted_by" in expected:
        ok = ok and str(expected["mounted_by"]).lstrip("/") in mounts
    if "contains" in expected:
        found = _holds(client, mounts, str(expected["contains"]))
        observed["contains"] = found
        ok = ok and found is True
    return Observation(ok, expected, observed)


def _mounts(client: docker.DockerClient, name: str) -> dict[str, str]:
    """Container name -> where it mounts this volume, over every container (stopped ones too)."""
    found: dict[str, str] = {}
    for container in client.containers.list(all=True, filters={"volume": name}):
        for mount in container.attrs.get("Mounts", []) or []:
            if mount.get("Name") == name:
                found[str(container.name)] = str(mount.get("Destination"))
    return found


def _holds(client: docker.DockerClient, mounts: Mapping[str, str], path: str) -> bool | None:
    """Whether the path is in the volume, read through a container that mounts it; None when no
    container mounts it (the evidence's `mounted_by: []` says why it could not be looked at)."""
    import docker.errors

    if not mounts:
        return None
    container_name, destination = sorted(mounts.items())[0]
    try:
        client.containers.get(container_name).get_archive(f"{destination.rstrip('/')}/{path.lstrip('/')}")
    except docker.errors.NotFound:
        return False
    return True


KIND = StateKind(
    name="volume",
    schema=SCHEMA,
    probe=probe,
    subject_es="el volumen {}",
    subject_key="name",
    words_es={
        "driver": "controlador «{}»",
        "contains": "contiene {}",
        "mounted_by": "lo monta el contenedor {}",
    },
)
