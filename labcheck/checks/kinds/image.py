"""An image: exists, its layers, untagged, built on another's layers, sharing a base."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind
from labcheck.checks.kinds.engine import image_or_none, layers_of
from labcheck.checks.layers import shared_base_layers, starts_with_layers
from labcheck.json_values import as_int, as_mapping

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["ref"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "ref": {"$ref": "#/$defs/text"},
        "exists": {"type": "boolean"},
        "layers": {"type": "integer", "minimum": 1},
        "first_layers_of": {"$ref": "#/$defs/text"},
        "shares_layers_with": {
            "type": "object",
            "required": ["ref", "count"],
            "additionalProperties": False,
            "properties": {"ref": {"$ref": "#/$defs/text"}, "count": {"type": "integer", "minimum": 1}},
        },
        "untagged": {"type": "boolean"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    image = image_or_none(client, str(p["ref"]))
    expected: dict[str, object] = {k: v for k, v in p.items() if k != "ref"}
    if image is None:
        return Observation(
            expected.get("exists") is False and len(expected) == 1, expected, {"exists": False}
        )
    layers = layers_of(image)
    observed: dict[str, object] = {
        "exists": True,
        "id": image.short_id,
        "tags": image.tags,
        "layers": len(layers),
    }
    ok = expected.get("exists", True) is True
    if "layers" in expected:
        ok = ok and len(layers) == expected["layers"]
    if "untagged" in expected:
        ok = ok and (not image.tags) == expected["untagged"]
    if "first_layers_of" in expected:
        base = image_or_none(client, str(expected["first_layers_of"]))
        base_layers = layers_of(base) if base is not None else []
        observed["first_layers"] = layers[: len(base_layers)]
        observed["base_layers"] = base_layers
        ok = ok and starts_with_layers(layers, base_layers)
    if "shares_layers_with" in expected:
        sharing = as_mapping(expected["shares_layers_with"])
        other_ref = str(sharing["ref"])
        other = image_or_none(client, other_ref)
        shared = shared_base_layers(layers, layers_of(other) if other is not None else [])
        observed["shared_with_" + other_ref] = shared
        ok = ok and shared >= as_int(sharing["count"])
    return Observation(ok, expected, observed)


KIND = StateKind(
    name="image",
    schema=SCHEMA,
    probe=probe,
    subject_es="la imagen {}",
    subject_key="ref",
    words_es={
        "first_layers_of": "empieza por las capas de {}",
        "tags": "etiquetas {}",
        "id": "identificador {}",
    },
)
