"""Rules on what a step printed: contains, matches, equals, line counts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from labcheck import patterns
from labcheck.checks.phrases import exit_code_phrase, output_phrase
from labcheck.checks.record import FAILED, PASSED, CheckRecord
from labcheck.spec.placeholders import PLACEHOLDER

_SHOWN_CHARS = 600
TIMED_OUT = "(tiempo agotado)"
_VERBS = {
    "matches": "coincide con",
    "not_matches": "no coincide con",
    "distinct_matches": "tiene valores distintos de",
}
_STREAM_NAMES = {"output": "la salida", "stdout": "la salida estándar", "stderr": "la salida de errores"}


def _fill(text: str, values: Mapping[str, str], *, as_regex: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1), match.group(0))
        return patterns.escape(value) if as_regex else value

    return PLACEHOLDER.sub(replace, text)


def _shown(text: str) -> str:
    if len(text) <= _SHOWN_CHARS:
        return text
    return "…" + text[-_SHOWN_CHARS:]


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n") if text.strip() else []


def judge_output_rule(
    rule: Mapping[str, Any], streams: Mapping[str, str], values: Mapping[str, str], *, described: bool = True
) -> CheckRecord:
    """Judge one rule, e.g. {"stream": "output", "contains": "Hello"}, on resolved text streams.

    Without `described` the record's description is left empty: phrasing a rule costs more than
    judging it, and `verify`, which judges every rule of every bundle again, needs the words only
    for a rule that fails."""
    stream = str(rule["stream"])
    said = _STREAM_NAMES.get(stream, stream)
    text = streams.get(stream) or ""
    ignore_case = bool(rule.get("ignore_case"))
    folded = text.lower() if rule.get("ignore_case") else text
    kind = next(key for key in rule if key not in ("stream", "ignore_case", "description", "says"))
    raw_value = rule[kind]
    try:
        return _judge(rule, kind, raw_value, said, text, folded, ignore_case, values, described)
    except patterns.PatternTimeout as timeout:
        # Running out of time never counts as a match nor as its absence: the rule fails, named.
        return CheckRecord(
            kind="output",
            stream=stream,
            description=str(
                rule.get("description") or f"{said} {_VERBS.get(kind, kind)} /{timeout.pattern}/"
            ),
            expected=timeout.pattern,
            actual=TIMED_OUT,
            verdict=FAILED,
            reason=(
                f"la expresión regular /{timeout.pattern}/ tardó más de {timeout.timeout_s:g} s "
                f"en {said} ({len(text):,} caracteres) y se abandonó"
            ),
            rule=dict(rule),
        )


def ran_out_of_time(check: CheckRecord) -> bool:
    """A rule whose pattern was abandoned: a failure of the text, never a changed verdict."""
    return bool(check.actual == TIMED_OUT)


def _judge(
    rule: Mapping[str, Any],
    kind: str,
    raw_value: Any,
    said: str,
    text: str,
    folded: str,
    ignore_case: bool,
    values: Mapping[str, str],
    described: bool,
) -> CheckRecord:
    stream = str(rule["stream"])
    phrase = output_phrase if described else _no_phrase
    passed: bool
    expected: Any
    actual: Any
    if kind in ("contains", "not_contains"):
        needle = _fill(str(raw_value), values, as_regex=False)
        found = (needle.lower() if rule.get("ignore_case") else needle) in folded
        passed = found if kind == "contains" else not found
        expected = needle
        actual = _shown(text) if not passed or kind == "contains" else "(no aparece)"
        description = phrase({**rule, kind: needle}) or ""
    elif kind in ("matches", "not_matches"):
        pattern = _fill(str(raw_value), values, as_regex=True)
        match = patterns.search(pattern, text, ignore_case=ignore_case)
        passed = bool(match) if kind == "matches" else match is None
        expected = pattern
        actual = match.group(0) if match else _shown(text)
        description = phrase({**rule, kind: pattern}) or ""
    elif kind == "equals":
        wanted = _fill(str(raw_value), values, as_regex=False)
        passed = text.strip() == wanted.strip()
        expected, actual = wanted, _shown(text)
        description = phrase({**rule, kind: wanted}) or ""
    elif kind == "lines":
        count = len(_lines(text))
        bounds = dict(raw_value)
        passed = (
            ("equals" not in bounds or count == bounds["equals"])
            and ("min" not in bounds or count >= bounds["min"])
            and ("max" not in bounds or count <= bounds["max"])
        )
        expected, actual = bounds, count
        description = phrase(rule) or ""
    elif kind == "distinct_matches":
        pattern = _fill(str(raw_value["pattern"]), values, as_regex=True)
        distinct = sorted(set(patterns.findall(pattern, text, ignore_case=ignore_case)))
        passed = len(distinct) >= int(raw_value["min"])
        expected = {"pattern": pattern, "min": raw_value["min"]}
        actual = distinct
        description = phrase({**rule, kind: {**raw_value, "pattern": pattern}}) or ""
    else:
        raise ValueError(f"unknown output rule {kind!r}")
    return CheckRecord(
        kind="output",
        stream=stream,
        description=str(rule.get("description") or description),
        expected=expected,
        actual=actual,
        verdict=PASSED if passed else FAILED,
        rule=dict(rule),
    )


def _no_phrase(rule: Mapping[str, Any]) -> str | None:
    return None


def judge_exit_code(expected: int, actual: int | None, timed_out: bool) -> CheckRecord:
    return CheckRecord(
        kind="exit_code",
        description=exit_code_phrase(expected),
        expected=expected,
        actual="agotó el tiempo" if timed_out else actual,
        verdict=PASSED if actual == expected and not timed_out else FAILED,
        rule={"exit_code": expected},
    )
