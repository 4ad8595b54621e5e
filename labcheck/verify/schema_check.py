"""A fast yes/no check of a JSON document against the evidence schema.

jsonschema walks a whole evidence file in ~12 ms, too slow for thousands of bundles, so the
schema is compiled once into plain closures. Only the keywords the evidence schema uses are
supported and any other one refuses to compile, so a schema change can never weaken the check
silently. When a document fails, jsonschema itself explains why (see `bundle.schema_problem`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

_IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description"})
_SUPPORTED = frozenset(
    {"type", "required", "properties", "additionalProperties", "items", "const", "enum", "pattern", "$ref"}
)


class UnsupportedSchema(ValueError):
    pass


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _anything(value: Any) -> bool:
    return True


_ANYTHING: Check = _anything


def _type_check(names: list[str]) -> Check:
    simple: dict[str, type] = {"object": dict, "array": list, "string": str, "null": type(None)}
    if all(name in simple for name in names):
        classes = tuple(simple[name] for name in names)
        return lambda v: isinstance(v, classes)
    type_checks = tuple(_TYPES[name] for name in names)
    return lambda v: any(check(v) for check in type_checks)


def _same_json(a: Any, b: Any) -> bool:
    # JSON equality: 1 == 1.0 but True != 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A predicate equivalent to the schema for the keywords listed in _SUPPORTED."""
    definitions: dict[str, Check] = {}
    root = schema

    def resolve(pointer: str) -> Check:
        if pointer not in definitions:
            if not pointer.startswith("#/"):
                raise UnsupportedSchema(f"only local $ref is supported, not {pointer!r}")
            target: Any = root
            for part in pointer[2:].split("/"):
                target = target[part]
            definitions[pointer] = lambda value: True  # placeholder while compiling (recursion)
            compiled = build(target)
            definitions[pointer] = compiled
        cell = pointer
        return lambda value: definitions[cell](value)

    def build(node: Mapping[str, Any]) -> Check:
        unknown = set(node) - _SUPPORTED - _IGNORED
        if unknown:
            raise UnsupportedSchema(f"schema keyword(s) not supported: {', '.join(sorted(unknown))}")
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(resolve(str(node["$ref"])))
        if "type" in node:
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            checks.append(_type_check(names))
        if "const" in node:
            constant = node["const"]
            checks.append(lambda v: _same_json(v, constant))
        if "enum" in node:
            allowed = tuple(node["enum"])
            checks.append(lambda v: any(_same_json(v, item) for item in allowed))
        if "pattern" in node:
            search = re.compile(str(node["pattern"])).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "items" in node:
            item_check = build(node["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item_check(item) for item in v))
        object_check = _object_check(node, build)
        if object_check is not None:
            checks.append(object_check)
        if not checks:
            return _ANYTHING
        if len(checks) == 1:
            return checks[0]
        all_checks = tuple(checks)
        return lambda v: all(check(v) for check in all_checks)

    return build(schema)


def _object_check(node: Mapping[str, Any], build: Callable[[Mapping[str, Any]], Check]) -> Check | None:
    if not ({"required", "properties", "additionalProperties"} & set(node)):
        return None
    required = tuple(node.get("required", ()))
    properties = {name: build(sub) for name, sub in node.get("properties", {}).items()}
    known_names = frozenset(properties)
    # Properties any value satisfies need no call.
    properties = {name: check for name, check in properties.items() if check is not _ANYTHING}
    extra = node.get("additionalProperties", True)
    extra_check: Check | None
    if extra is True:
        extra_check = None
    elif extra is False:
        extra_check = lambda value: False  # noqa: E731
    else:
        extra_check = build(extra)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name in required:
            if name not in value:
                return False
        for name, item in value.items():
            known = properties.get(name)
            if known is not None:
                if not known(item):
                    return False
            elif extra_check is not None and name not in known_names and not extra_check(item):
                return False
        return True

    return check
