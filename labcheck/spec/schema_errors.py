"""Turn jsonschema's errors into messages a teacher can act on: file, line, key, what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from labcheck.checks.registry import state_kind_names
from labcheck.errors import SpecError
from labcheck.spec.yaml_lines import LineMap, Path

_TYPE_NAMES = {
    "object": "a mapping of keys",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
_MATCHER_KEYS = ["contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches"]


def _kind_keys() -> dict[str, list[str]]:
    return {"matcher": _MATCHER_KEYS, "state_check": list(state_kind_names())}


def describe_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def _type_of(value: Any) -> str:
    for name, kind in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kind):
            return _TYPE_NAMES[name]
    return _TYPE_NAMES["null"]


def translate(errors: Iterable[ValidationError], file: str, lines: LineMap) -> list[SpecError]:
    problems = [_translate_one(error, file, lines) for error in errors]
    unique = {(p.line, p.key, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.key))


def _problem(file: str, lines: LineMap, path: Path, message: str) -> SpecError:
    return SpecError(file, lines.line_of(path), describe_path(path), message)


def _translate_one(error: ValidationError, file: str, lines: LineMap) -> SpecError:
    path: Path = tuple(error.absolute_path)
    instance = error.instance
    validator = error.validator
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}

    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        unknown = [key for key in instance if key not in allowed]
        key = str(unknown[0]) if unknown else "?"
        suggestion = difflib.get_close_matches(key, allowed, n=1)
        hint = f"; did you mean '{suggestion[0]}'?" if suggestion else ""
        return _problem(
            file,
            lines,
            (*path, key),
            f"unknown key '{key}'{hint} Allowed here: {', '.join(allowed)}",
        )
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        return SpecError(
            file, lines.line_of(path), describe_path((*path, missing)), f"missing required key '{missing}'"
        )
    if validator in ("oneOf", "anyOf") and isinstance(instance, dict):
        for family, kinds in _kind_keys().items():
            if schema.get(validator) and all("required" in option for option in schema[validator]):
                options = [option["required"][0] for option in schema[validator]]
                if set(options) <= set(kinds) or options == kinds:
                    present = [key for key in options if key in instance]
                    if len(present) != 1:
                        what = "a matcher" if family == "matcher" else "a state check"
                        found = f" (found: {', '.join(present)})" if present else ""
                        return _problem(
                            file, lines, path, f"{what} needs exactly one of: {', '.join(options)}{found}"
                        )
        if error.context:
            return _translate_one(best_match(error.context), file, lines)
    if validator == "oneOf" and error.context:
        return _translate_one(best_match(error.context), file, lines)
    if validator == "type" and "(ms|s|m|h)" in str(schema.get("pattern", "")):
        return _problem(
            file, lines, path, f"expected a duration with its unit, like 30s, 2m or 500ms; got {instance!r}"
        )
    if validator == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
        return _problem(file, lines, path, f"expected {wanted}, got {_type_of(instance)} ({instance!r})")
    if validator == "minItems":
        return _problem(file, lines, path, "is an empty list: an expectation that checks nothing is an error")
    if validator == "minLength":
        return _problem(file, lines, path, "is empty: an empty text or pattern checks nothing")
    if validator == "minProperties":
        return _problem(file, lines, path, "checks nothing: give it at least one thing to check")
    if validator == "pattern":
        if "(ms|s|m|h)" in str(error.validator_value):
            return _problem(
                file,
                lines,
                path,
                f"expected a duration with its unit, like 30s, 2m or 500ms; got {instance!r}",
            )
        return _problem(
            file,
            lines,
            path,
            f"{instance!r} does not have the expected form "
            f"({schema.get('description') or error.validator_value})",
        )
    if validator in ("enum", "const"):
        raw_allowed: Any = error.validator_value
        allowed_values = list(raw_allowed) if validator == "enum" else [raw_allowed]
        return _problem(
            file,
            lines,
            path,
            f"expected one of {', '.join(repr(v) for v in allowed_values)}; got {instance!r}",
        )
    if validator == "format":
        shown = repr(instance) if len(repr(instance)) <= 80 else repr(instance)[:60] + "…"
        reason = f" ({error.cause})" if error.cause is not None else ""
        return _problem(file, lines, path, f"is not a valid regular expression{reason}: {shown}")
    if validator in ("minimum", "maximum"):
        return _problem(file, lines, path, f"{error.message}")
    return _problem(file, lines, path, error.message)
