"""Reading an evidence file defensively: the one reader `labcheck report` and `labcheck verify` share.

An evidence file may have been edited by hand or made by something else entirely, so nothing in
it is trusted until it has passed: the file itself (a regular file, within the size limit),
UTF-8, then the typed model (`labcheck.evidence.model`: JSON, every key and type, numbers in
range; NaN and Infinity are no JSON), then the values the model leaves open (a rule's
parameters, what a check saw) for depth and numbers too long to be labcheck's. A refusal is one
`EvidenceUnreadable` line naming the file and the first problem with its place in the document
(`steps[3].duration_s`); no traceback, whatever the input. The careful word-by-word diagnosis
runs only on the error path, so a good file is read at msgspec's speed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

import msgspec
import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from labcheck import i18n
from labcheck.confined import FileRefused, read_regular
from labcheck.confined import Limits as ReadLimits
from labcheck.errors import EvidenceError
from labcheck.evidence.model import FORMAT, FORMAT_VERSION, Evidence
from labcheck.i18n import N_
from labcheck.refusal_words import refusal_said
from labcheck.resources import packaged_json

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# How deep an open value (a rule, what a check saw) may nest: what orjson encodes under the one list
# _values_are_plain hands it (254 levels in all). A real evidence's values nest 3 levels at most.
MAX_VALUE_DEPTH = 253
MAX_DEPTH = MAX_VALUE_DEPTH + 8  # a whole document: its open values sit 7 levels in at most
MAX_DIGITS = 20  # an integer longer than this is no count, code or size labcheck writes
# Integers in the open values: 64 bits, as orjson encodes them.
_LOWEST = -(2**63)
_HIGHEST = 2**64 - 1
SHOWN_PROBLEMS = 3


class EvidenceUnreadable(EvidenceError):
    """An evidence file that cannot be used: missing, too big, not JSON, or not the evidence format."""


def evidence_schema() -> dict[str, object]:
    return packaged_json("labcheck.evidence", "schema.json")


# ---------------------------------------------------------------- the file


def read_evidence(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Evidence:
    """The evidence of a file named by the user, checked; or EvidenceUnreadable.

    The file is read as labcheck reads every file others control (`labcheck.confined`): a
    regular file (never a FIFO or a device), within the size limit and a time bound."""
    try:
        raw = read_regular(path, ReadLimits(max_bytes))
    except FileRefused as refused:
        raise EvidenceUnreadable(refusal_said(refused)) from None
    return parse_evidence(raw, str(path))


# ---------------------------------------------------------------- bytes to a checked document


@dataclass(frozen=True)
class _Refused:
    """A number JSON may spell but the evidence must not hold, kept to be named by its path."""

    message: str  # a msgid, said in the reader's language once the path is known
    values: tuple[tuple[str, object], ...] = ()

    def said(self, t: i18n.Translator) -> str:
        return t.format(self.message, **dict(self.values))


def _constant(name: str) -> _Refused:
    return _Refused(
        N_("{name} is not a number (the evidence format has no NaN or Infinity)"), (("name", name),)
    )


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(N_("{number} is too large a number (it overflows)"), (("number", _short(text)),))


def _int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_DIGITS else _Refused(_TOO_MANY_DIGITS, (("digits", digits),))


def _loads(text: str) -> tuple[Any, bool]:
    """The JSON value, and whether its strings need a look: only an escape can make a lone surrogate.

    Integers are left to the C parser (a hook on every one would double the time of a verify
    batch); only one too long for int() makes it parse again with the hook that names it."""
    try:
        document = json.loads(text, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        document = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    return document, "\\ud" in text or "\\uD" in text


def parse_evidence(raw: bytes, name: str) -> Evidence:
    """Bytes to the evidence model, or EvidenceUnreadable naming the first problem and its place.

    One typed decode: msgspec checks JSON, UTF-8, every key and type as it parses (measured on
    the real evidence: 0.29 ms, against 0.46 ms for a plain parse then a conversion, and 0.97 ms
    for the standard library's parser alone). Only when it refuses is the text read again,
    slowly, to say what and where."""
    try:
        evidence = _decoder().decode(raw)
    # (msgspec before 0.19 lets invalid UTF-8 through as UnicodeDecodeError.)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError):
        raise EvidenceUnreadable(f"{name}: {_why_unreadable(raw)}") from None
    if not _values_are_plain(evidence):
        t = i18n.cli()
        problems = list(islice(_value_problems(evidence, t), SHOWN_PROBLEMS + 1))
        said = (
            _listing(problems, t) if problems else t.gettext("values nested too deeply or numbers too long")
        )
        raise EvidenceUnreadable(
            f"{name}: " + t.format("cannot be read as evidence: {problems}", problems=said)
        )
    return evidence


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(evidence_schema())


@cache
def _decoder() -> msgspec.json.Decoder[Evidence]:
    return msgspec.json.Decoder(Evidence)


# A JSON document that is not an object, as the refusal names it.
_JSON_KINDS = {
    list: N_("a JSON list"),
    str: N_("a JSON string"),
    int: N_("a JSON number"),
    float: N_("a JSON number"),
    bool: N_("JSON true or false"),
    type(None): N_("JSON null"),
}


def _why_unreadable(raw: bytes) -> str:
    """What is wrong with bytes the model refused, in plain words (only ever on the error path).

    That the file is no JSON, or JSON but no labcheck evidence, is said in the command line's
    language (JSON's own account of where it stops reading stays the parser's, in English); what
    is wrong inside an evidence too, but for the parsers' own details (JSON's, msgspec's)."""
    t = i18n.cli()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return t.format("not UTF-8 text (byte {byte}, on line {line})", byte=error.start, line=line)
    if not text.strip():
        return t.gettext("empty file (no evidence in it)")
    try:
        document, escapes = _loads(text)
    except json.JSONDecodeError as error:
        stripped = text.strip()
        cut_short = stripped.startswith("{") and not stripped.endswith("}")
        where_and_why = {"line": error.lineno, "column": error.colno, "error": error.msg}
        if cut_short or error.pos >= len(stripped):
            return t.format("truncated JSON (line {line}, column {column}: {error})", **where_and_why)
        return t.format("not JSON (line {line}, column {column}: {error})", **where_and_why)
    except RecursionError:
        return t.gettext("JSON that cannot be read: nested too deeply")
    if not isinstance(document, dict):
        found = t.gettext(_JSON_KINDS.get(type(document), N_("a JSON value")))
        return t.format("not an evidence file ({found}, not an object)", found=found)
    problems = list(islice(_walk_problems(document, t, strings=escapes), SHOWN_PROBLEMS + 1))
    if problems:
        return t.format("cannot be read as evidence: {problems}", problems=_listing(problems, t))
    marker = document.get("format")
    if marker != FORMAT:
        return t.format("not a labcheck evidence file (format is {format})", format=_short(repr(marker)))
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        written_by = document.get("labcheck_version")
        shown = _short(repr(version))
        if isinstance(written_by, str):
            return t.format(
                "format_version is {version} (written by labcheck {writer}); this labcheck reads "
                "evidence format {expected}: read it with the labcheck that wrote it, or run the lab again",
                version=shown,
                writer=_short(written_by),
                expected=FORMAT_VERSION,
            )
        return t.format(
            "format_version is {version}; this labcheck reads evidence format {expected}: read it "
            "with the labcheck that wrote it, or run the lab again",
            version=shown,
            expected=FORMAT_VERSION,
        )
    words = schema_problem(document, t)
    if words is not None:
        return words
    try:  # the schema is generated from the model and agrees with it; this is only a safety net
        msgspec.convert(document, Evidence)
    except msgspec.ValidationError as error:
        return t.format(_NOT_THE_FORMAT, problems=_plain_validation(str(error)))
    return t.gettext("does not follow the evidence format")


_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<place>[^`]*)`)?$", re.S)


def _plain_validation(message: str) -> str:
    """msgspec's `Expected `int`, got `str` - at `$.steps[0].exit_code`` as `steps[0].exit_code:
    expected int, got str`: the place first, the way every other problem is named."""
    found = _AT.match(message)
    if found is None:  # pragma: no cover - the pattern matches any text
        return message
    what = found.group("what").replace("`", "")
    what = what[:1].lower() + what[1:]
    place = (found.group("place") or "").lstrip(".")
    return f"{_short(place, 120) or '(top level)'}: {_short(what, 200)}"


def _open_values(evidence: Evidence) -> list[Any]:
    """The values the model leaves open: a rule's parameters, what a check expected and saw, the
    facts of a reason."""
    values: list[Any] = []
    for step in evidence.steps:
        if step.reason is not None:
            values.append(step.reason.params)
        for check in step.checks:
            values += (check.rule, check.expected, check.observed)
            if check.reason is not None:
                values.append(check.reason.params)
    return values


def _values_are_plain(evidence: Evidence) -> bool:
    """The quick yes of _value_problems: one orjson encoding of all the open values, which refuses
    an integer beyond 64 bits and nesting past its recursion limit in C (measured on the real
    evidence: 0.02 ms, against 0.11 ms for the same walk in Python)."""
    try:
        orjson.dumps(_open_values(evidence))
    except orjson.JSONEncodeError:
        return False
    return True


def _value_problems(evidence: Evidence, t: i18n.Translator) -> Iterator[str]:
    """The JSON values the model leaves open (a rule, what a check expected and saw): bounded
    depth, no integer beyond 64 bits. (Lone surrogates never get this far: msgspec refuses them,
    and the error path names them.)"""

    def walk(value: Any, *place: str | int) -> Iterator[str]:
        return _walk_problems(value, t, place, strings=False, max_depth=MAX_VALUE_DEPTH)

    for index, step in enumerate(evidence.steps):
        if step.reason is not None:
            yield from walk(step.reason.params, "steps", index, "reason", "params")
        for number, check in enumerate(step.checks):
            place = ("steps", index, "checks", number)
            yield from walk(check.rule, *place, "rule")
            yield from walk(check.expected, *place, "expected")
            yield from walk(check.observed, *place, "observed")
            if check.reason is not None:
                yield from walk(check.reason.params, *place, "reason", "params")


def _listing(problems: list[str], t: i18n.Translator) -> str:
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    return shown + (t.gettext(" (and more)") if len(problems) > SHOWN_PROBLEMS else "")


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def where(path: Any) -> str:
    """`steps[3].duration_s`: a place in the document as a person would write it."""
    text = ""
    parts = list(path)
    if len(parts) > 12:  # a hostile nesting: its beginning says where it is
        parts = [*parts[:10], "…"]
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "…" or _PLAIN_KEY.match(part):
            text += f".{part}"
        else:
            text += f"[{_short(json.dumps(part, ensure_ascii=True))}]"
    return text.lstrip(".") or "(top level)"


def _is_text(value: str) -> bool:
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_SURROGATE = N_("holds a lone surrogate (an escape like \\ud800 that is no character)")
_KEY_SURROGATE = N_("a key holds a lone surrogate (an escape like \\ud800 that is no character)")
_TOO_MANY_DIGITS = N_("a number of {digits} digits is too large")
_NOT_THE_FORMAT = N_("does not follow the evidence format: {problems}")


def _walk_problems(
    document: Any,
    t: i18n.Translator,
    at: tuple[str | int, ...] = (),
    *,
    strings: bool = True,
    max_depth: int = MAX_DEPTH,
) -> Iterator[str]:
    """Depth (levels below `at`), refused and too large numbers and (with `strings`) lone
    surrogates, without recursion."""
    if not isinstance(document, dict | list):
        return
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, at)]
    while stack:
        value, path = stack.pop()
        if len(path) - len(at) >= max_depth:
            yield f"{where(path)}: " + t.format(
                "nested too deeply (more than {levels} levels)", levels=max_depth
            )
            continue
        children: list[tuple[Any, tuple[str | int, ...]]] = []
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            kind = type(item)
            if kind is dict or kind is list:
                children.append((item, (*path, key)))
            elif kind is _Refused:
                yield f"{where((*path, key))}: {item.said(t)}"
            elif kind is int and not _LOWEST <= item <= _HIGHEST:
                yield f"{where((*path, key))}: " + t.format(_TOO_MANY_DIGITS, digits=len(str(abs(item))))
            elif strings and kind is str and not _is_text(item):
                yield f"{where((*path, key))}: {t.gettext(_SURROGATE)}"
            if strings and type(key) is str and not _is_text(key):
                yield f"{where(path)}: {t.gettext(_KEY_SURROGATE)}"
        stack.extend(reversed(children))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- schema problems in plain words

_TYPE_NAMES = {
    "object": N_("an object"),
    "array": N_("a list"),
    "string": N_("a string"),
    "integer": N_("an integer"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("null"),
}


def describe(value: Any, t: i18n.Translator) -> str:
    """What was found, in words: `the string '3 s'`, `an object`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return t.format("the number {value}", value=_short(repr(value)))
    if isinstance(value, str):
        return t.format("the string {value}", value=_short(repr(value)))
    if isinstance(value, list):
        return t.ngettext("a list of {count} item", "a list of {count} items", len(value)).format(
            count=len(value)
        )
    return t.gettext("an object")


def _expected_types(names: Any, t: i18n.Translator) -> str:
    names = names if isinstance(names, list) else [names]
    return t.gettext(" or ").join(
        t.gettext(_TYPE_NAMES[str(name)]) if str(name) in _TYPE_NAMES else str(name) for name in names
    )


def plain_problem(error: ValidationError, t: i18n.Translator) -> str:
    """One jsonschema error as `place: expected …, found …`, in t's language."""
    place = where(error.absolute_path)
    instance, expected = error.instance, error.validator_value
    listed: list[Any] = list(expected) if isinstance(expected, list) else []
    found = describe(instance, t)
    said: str
    if error.validator == "anyOf" and isinstance(error.schema, dict):
        # msgspec writes `X | None` as anyOf [{"type": X}, {"type": "null"}] (or a $ref for X).
        names = [_branch_name(branch, t) for branch in error.schema.get("anyOf", [])]
        said = t.format("expected {wanted}, found {found}", wanted=t.gettext(" or ").join(names), found=found)
    elif error.validator == "type":
        said = t.format("expected {wanted}, found {found}", wanted=_expected_types(expected, t), found=found)
    elif error.validator == "required" and isinstance(instance, dict):
        missing = ", ".join(repr(key) for key in listed if key not in instance)
        said = t.format("the key {keys} is missing", keys=missing)
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = [key for key in instance if key not in known]
        keys = ", ".join(_short(repr(key)) for key in extra[:3])
        said = t.format("unknown key {keys} (not part of the evidence format)", keys=keys)
    elif error.validator == "enum":
        allowed = ", ".join(repr(item) for item in listed)
        said = t.format("expected one of {allowed}, found {found}", allowed=allowed, found=found)
    elif error.validator == "const":
        said = t.format("expected {wanted}, found {found}", wanted=json.dumps(expected), found=found)
    elif error.validator == "pattern":
        said = t.format("expected a string matching {pattern}, found {found}", pattern=expected, found=found)
    else:
        said = _short(error.message, 200)  # jsonschema's own words: no other validator is in the schema
    return f"{place}: {said}"


def _branch_name(branch: Any, t: i18n.Translator) -> str:
    if isinstance(branch, dict) and "type" in branch:
        return _expected_types(branch["type"], t)
    if isinstance(branch, dict) and "enum" in branch:
        return t.format("one of {allowed}", allowed=", ".join(repr(item) for item in branch["enum"]))
    return t.gettext("an object")


def schema_problem(document: Any, t: i18n.Translator) -> str | None:
    """The first problems the published schema finds, in plain words and t's language, as one line."""
    errors = list(islice(_validator().iter_errors(document), SHOWN_PROBLEMS + 1))
    if not errors:
        return None
    return t.format(_NOT_THE_FORMAT, problems=_listing([plain_problem(error, t) for error in errors], t))
