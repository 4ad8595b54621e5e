"""The keys of the spec format, by path, read from the schema labcheck validates with: the
shipped `schema.json` with labcheck's own state check kinds in it (an installed plugin's kind is
its own package's to document).

A path starts again at each named object of the schema's `$defs` (`step.timeout`,
`capture.pattern`, `state_check.volume.mounted_by`); keys of the top level start from the root
(`lab.id`, `images[].standin.build`); `[]` is an item of a list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from labcheck.checks.registry import state_kinds
from labcheck.resources import packaged_json
from labcheck.spec.schema_kinds import with_kinds


def format_schema() -> dict[str, Any]:
    own = [kind for kind in state_kinds().values() if kind.probe.__module__.startswith("labcheck.")]
    return with_kinds(packaged_json("labcheck.spec", "schema.json"), own)


def _resolve(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> tuple[dict[str, Any], str]:
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = schema["$defs"][name]
        if "properties" in node:  # a named object: its keys are named after it
            prefix = name
    return node, prefix


def _branches(
    schema: dict[str, Any], node: dict[str, Any], prefix: str
) -> Iterator[tuple[dict[str, Any], str]]:
    node, prefix = _resolve(schema, node, prefix)
    yield node, prefix
    for word in ("oneOf", "anyOf"):
        for branch in node.get(word, []):
            yield from _branches(schema, branch, prefix)


def _properties(
    schema: dict[str, Any], node: dict[str, Any], prefix: str
) -> dict[str, tuple[dict[str, Any], str]]:
    found: dict[str, tuple[dict[str, Any], str]] = {}
    for branch, here in _branches(schema, node, prefix):
        for key, value in branch.get("properties", {}).items():
            found.setdefault(key, (value, f"{here}.{key}" if here else key))
    return found


def all_keys(schema: dict[str, Any]) -> set[str]:
    """Every key path of the format."""
    keys: set[str] = set()
    seen: set[str] = set()

    def walk(node: dict[str, Any], prefix: str) -> None:
        for branch, here in _branches(schema, node, prefix):
            for value, path in _properties(schema, branch, here).values():
                if path in keys:
                    continue
                keys.add(path)
                walk(value, path)
            if "items" in branch and f"{here}[]" not in seen:
                seen.add(f"{here}[]")
                walk(branch["items"], f"{here}[]")

    walk(schema, "")
    return keys


def keys_used(
    schema: dict[str, Any], data: Any, node: dict[str, Any] | None = None, prefix: str = ""
) -> set[str]:
    """The key paths a document (or a part of one, given the schema node it is) writes, and
    `path=value` for each enum value it uses (`capture.from=output`)."""
    node = schema if node is None else node
    used: set[str] = set()
    node, prefix = _resolve(schema, node, prefix)
    if isinstance(data, dict):
        properties = _properties(schema, node, prefix)
        for key, value in data.items():
            if key in properties:
                child, path = properties[key]
                used.add(path)
                resolved, _ = _resolve(schema, child, path)
                if "enum" in resolved and not isinstance(value, (dict, list)):
                    used.add(f"{path}={value}")
                used |= keys_used(schema, value, child, path)
    elif isinstance(data, list):
        for branch, here in _branches(schema, node, prefix):
            if "items" in branch:
                for item in data:
                    used |= keys_used(schema, item, branch["items"], f"{here}[]")
    return used


def enum_values(schema: dict[str, Any], path_def: str, key: str) -> list[str]:
    return [str(value) for value in schema["$defs"][path_def]["properties"][key]["enum"]]
