"""A bundled spec's lab header and nodes, read without the full check of `labcheck.spec.loader`.

A report in the lab's own language needs nothing from the spec but what each node is for. Loading
the whole spec (YAML with line numbers, the JSON Schema, every step) takes a quarter of a second
for the largest bundled lab; this reads the same file with libyaml and takes only `lab` and
`nodes`, about 20 ms. Only for the bundled specs, which the loader checks in full in their tests
and on every run: a value of an unexpected shape here gives nothing, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from labcheck.errors import LabcheckError
from labcheck.spec.model import LabNode
from labcheck.spec.spec_file import read_spec_bytes
from labcheck.spec.texts import local_text

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Glance:
    id: str
    version: str
    nodes: tuple[LabNode, ...]  # each with its description as a LocalText, no tools


def glance(path: Path) -> Glance | None:
    """The lab's id, version and nodes; None when the file cannot be read as a spec."""
    try:
        data = yaml.load(read_spec_bytes(path, str(path)), Loader=_LOADER)
    except (LabcheckError, yaml.YAMLError, ValueError):
        return None
    lab = data.get("lab") if isinstance(data, Mapping) else None
    if not isinstance(lab, Mapping):
        return None
    language = str(lab.get("language", ""))
    nodes = data.get("nodes", [])
    found = tuple(
        LabNode(str(node["name"]), _description(node.get("description"), language), ())
        for node in (nodes if isinstance(nodes, list) else [])
        if isinstance(node, Mapping) and "name" in node
    )
    return Glance(str(lab.get("id", "")), str(lab.get("version", "")), found)


def _description(value: object, language: str) -> str | None:
    if isinstance(value, str) or (
        isinstance(value, Mapping) and all(isinstance(text, str) for text in value.values())
    ):
        return local_text(value, language)
    return None
