"""Turn jsonschema's errors into messages a teacher can act on: file, line, key, what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import yaml
from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from labcheck import i18n
from labcheck.checks.registry import state_kind_names
from labcheck.errors import SpecError
from labcheck.i18n import N_
from labcheck.json_values import as_list, as_mapping
from labcheck.spec.yaml_lines import LineMap, Path

_TYPE_NAMES = {
    "object": N_("a mapping of keys"),
    "array": N_("a list"),
    "string": N_("a text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("nothing"),
}
_MATCHER_KEYS = ["contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches"]


def _kind_keys() -> dict[str, list[str]]:
    return {"matcher": _MATCHER_KEYS, "state_check": list(state_kind_names())}


_SHOWN_CHARACTERS = 60


def as_written(value: object) -> str:
    """A value as the spec's author would write it in YAML ('0s', true, {host: ...}), not as
    Python's repr shows it (True, {'host': ...}); long ones are cut."""
    if isinstance(value, str):
        shown = "'" + value.replace("'", "''") + "'"
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    elif value is None:
        shown = "null"
    elif isinstance(value, int | float):
        shown = str(value)
    else:
        flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
        shown = flow.removesuffix("\n").removesuffix("\n...").strip()
    return shown if len(shown) <= _SHOWN_CHARACTERS + 20 else shown[:_SHOWN_CHARACTERS] + "…"


def describe_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def _type_name(name: str) -> str:
    return i18n.cli().gettext(_TYPE_NAMES[name]) if name in _TYPE_NAMES else name


def _type_of(value: object) -> str:
    for name, kind in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kind):
            return _type_name(name)
    return _type_name("null")


def translate(errors: Iterable[ValidationError], file: str, lines: LineMap) -> list[SpecError]:
    problems = [_translate_one(error, file, lines) for error in errors]
    unique = {(p.line, p.key, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.key))


def _problem(file: str, lines: LineMap, path: Path, message: str) -> SpecError:
    return SpecError(file, lines.line_of(path), describe_path(path), message)


def _translate_one(error: ValidationError, file: str, lines: LineMap) -> SpecError:
    t = i18n.cli()  # a spec error is the command line's: it follows the locale
    path: Path = tuple(error.absolute_path)
    instance = error.instance
    validator = error.validator
    schema = as_mapping(error.schema)  # a subschema of the spec's schema (jsonschema types it Any)

    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(as_mapping(schema.get("properties")))
        unknown = [key for key in instance if key not in allowed]
        key = str(unknown[0]) if unknown else "?"
        suggestion = difflib.get_close_matches(key, allowed, n=1)
        allowed_here = ", ".join(allowed)
        if suggestion:
            said = t.format(
                "unknown key '{key}'; did you mean '{suggestion}'? Allowed here: {allowed}",
                key=key,
                suggestion=suggestion[0],
                allowed=allowed_here,
            )
        else:
            said = t.format("unknown key '{key}'. Allowed here: {allowed}", key=key, allowed=allowed_here)
        return _problem(file, lines, (*path, key), said)
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        said = t.format("missing required key '{key}'", key=missing)
        return SpecError(file, lines.line_of(path), describe_path((*path, missing)), said)
    if validator in ("oneOf", "anyOf") and isinstance(instance, dict):
        for family, kinds in _kind_keys().items():
            branches = [as_mapping(option) for option in as_list(schema.get(validator))]
            if branches and all("required" in option for option in branches):
                options = [str(as_list(option["required"])[0]) for option in branches]
                if set(options) <= set(kinds) or options == kinds:
                    present = [key for key in options if key in instance]
                    if len(present) != 1:
                        if family == "matcher":
                            said = t.format("a matcher needs exactly one of: {keys}", keys=", ".join(options))
                        else:
                            said = t.format(
                                "a state check needs exactly one of: {keys}", keys=", ".join(options)
                            )
                        if present:
                            said += " " + t.format("(found: {keys})", keys=", ".join(present))
                        return _problem(file, lines, path, said)
        if error.context:
            return _translate_one(best_match(error.context), file, lines)
    if validator == "oneOf" and error.context:
        return _translate_one(best_match(error.context), file, lines)
    duration = N_("expected a duration with its unit, like 30s, 2m or 500ms; got {value}")
    if validator == "type" and "(ms|s|m|h)" in str(schema.get("pattern", "")):
        return _problem(file, lines, path, t.format(duration, value=as_written(instance)))
    if validator == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else [str(name) for name in as_list(expected)]
        wanted = t.gettext(" or ").join(_type_name(name) for name in names)
        if instance is None:  # `key:` with nothing after it: there is no value to show
            said = t.format("expected {wanted}, but nothing is given", wanted=wanted)
            return _problem(file, lines, path, said)
        said = t.format(
            "expected {wanted}, got {found} ({value})",
            wanted=wanted,
            found=_type_of(instance),
            value=as_written(instance),
        )
        return _problem(file, lines, path, said)
    if validator == "minItems":
        said = t.gettext("is an empty list: an expectation that checks nothing is an error")
        return _problem(file, lines, path, said)
    if validator == "minLength":
        return _problem(file, lines, path, t.gettext("is empty: an empty text or pattern checks nothing"))
    if validator == "minProperties":
        return _problem(file, lines, path, t.gettext("checks nothing: give it at least one thing to check"))
    if validator == "pattern":
        if "(ms|s|m|h)" in str(error.validator_value):
            return _problem(file, lines, path, t.format(duration, value=as_written(instance)))
        # The schema describes a form in English: other languages show the pattern itself.
        described = schema.get("description") if t.language == "en" else None
        said = t.format(
            "{value} does not have the expected form ({form})",
            value=as_written(instance),
            form=described or error.validator_value,
        )
        return _problem(file, lines, path, said)
    if validator in ("enum", "const"):
        raw_allowed: object = error.validator_value
        allowed_values = list(as_list(raw_allowed)) if validator == "enum" else [raw_allowed]
        said = t.format(
            "expected one of {allowed}; got {value}",
            allowed=", ".join(as_written(v) for v in allowed_values),
            value=as_written(instance),
        )
        return _problem(file, lines, path, said)
    if validator == "format":
        shown = as_written(instance)
        if error.cause is not None:
            said = t.format(
                "is not a valid regular expression ({cause}): {value}", cause=error.cause, value=shown
            )
        else:
            said = t.format("is not a valid regular expression: {value}", value=shown)
        return _problem(file, lines, path, said)
    if validator == "minimum":
        said = t.format(
            "{value} is less than the minimum of {limit}", value=instance, limit=error.validator_value
        )
        return _problem(file, lines, path, said)
    if validator == "maximum":
        said = t.format(
            "{value} is more than the maximum of {limit}", value=instance, limit=error.validator_value
        )
        return _problem(file, lines, path, said)
    return _problem(file, lines, path, error.message)
