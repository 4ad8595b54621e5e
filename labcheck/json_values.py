"""JSON (and YAML) data read as `object`, narrowed where it is read, so mypy checks every read.

A JSON document is typed `Mapping[str, object]` / `dict[str, object]`: a reader says what it
expects of each value with these helpers (or with isinstance) instead of trusting the shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Any JSON value, as `json.loads` gives it (and as a YAML spec's plain data is).
JsonValue = None | bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"]


def as_mapping(value: object) -> Mapping[str, object]:
    """The value when it is a JSON object, else an empty one (what a lenient reader treats it as)."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> Sequence[object]:
    """The value when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def object_at(document: object, *keys: str) -> dict[str, object]:
    """The object at that path of a document labcheck ships (a schema): it is one by construction,
    so another value is labcheck's own mistake, not the user's."""
    value = document
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        raise TypeError(f"the shipped document has no object at {'/'.join(keys)}")
    return value


def loads_object(text: str | bytes) -> dict[str, object]:
    """`json.loads` of a document that must be a JSON object (TypeError otherwise)."""
    import json

    document = json.loads(text)
    if not isinstance(document, dict):
        raise TypeError("the JSON document is not an object")
    return document


def as_int(value: object) -> int:
    """`int(value)` of a JSON number (or of numeric text), as `int()` reads it; TypeError otherwise."""
    if isinstance(value, int | float | str):
        return int(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")
