"""The containers of an image the lab created (those on the engine before it are not counted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind
from labcheck.checks.kinds.engine import same_image
from labcheck.json_values import as_int

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["image"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "image": {"$ref": "#/$defs/text"},
        "count": {"type": "integer", "minimum": 0},
        "min": {"type": "integer", "minimum": 0},
        "running": {"type": "integer", "minimum": 0},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], baseline: Baseline) -> Observation:
    image = str(p["image"])
    expected = {k: v for k, v in p.items() if k != "image"}
    mine = [
        c
        for c in client.api.containers(all=True)
        if c["Id"] not in baseline.container_ids and same_image(image, str(c.get("Image", "")))
    ]
    running = sum(1 for c in mine if c.get("State") == "running")
    ok = (
        ("count" not in expected or len(mine) == expected["count"])
        and ("min" not in expected or len(mine) >= as_int(expected["min"]))
        and ("running" not in expected or running == expected["running"])
    )
    return Observation(ok, expected, {"count": len(mine), "running": running})


KIND = StateKind(
    name="containers",
    schema=SCHEMA,
    probe=probe,
    subject_es="los contenedores de {} creados por el laboratorio",
    subject_key="image",
)
