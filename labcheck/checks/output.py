"""Rules on what a step printed: contains, matches, equals, line counts."""

from __future__ import annotations

import re
from collections.abc import Mapping

from labcheck import patterns
from labcheck.checks.record import FAILED, PASSED, CheckRecord
from labcheck.evidence import reasons
from labcheck.json_values import as_int, as_mapping
from labcheck.spec.placeholders import PLACEHOLDER

_SHOWN_CHARS = 600
_RULE_WORDS = ("stream", "ignore_case", "description", "says")


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


def output_kind(rule: Mapping[str, object]) -> str:
    """contains, matches, lines, ...: the key of an output rule that is not one of its options."""
    return next(key for key in rule if key not in _RULE_WORDS)


def judge_output_rule(
    rule: Mapping[str, object], streams: Mapping[str, str], values: Mapping[str, str]
) -> CheckRecord:
    """Judge one rule, e.g. {"stream": "output", "contains": "Hello"}, on resolved text streams.
    The record holds the rule's code and what was seen; its words are the report's job."""
    stream = str(rule["stream"])
    text = streams.get(stream) or ""
    kind = output_kind(rule)
    try:
        return _judge(rule, kind, text, values)
    except patterns.PatternTimeout as timeout:
        # Running out of time never counts as a match nor as its absence: the rule fails, named.
        return CheckRecord(
            code=f"output.{kind}",
            stream=stream,
            expected=timeout.pattern,
            observed=None,
            verdict=FAILED,
            reason=reasons.pattern_timeout(timeout.pattern, timeout.timeout_s, len(text)),
            rule=dict(rule),
        )


def ran_out_of_time(check: CheckRecord) -> bool:
    """A rule whose pattern was abandoned: a failure of the text, never a changed verdict."""
    return check.reason is not None and check.reason.code == reasons.PATTERN_TIMEOUT


def _judge(rule: Mapping[str, object], kind: str, text: str, values: Mapping[str, str]) -> CheckRecord:
    raw_value = rule[kind]
    ignore_case = bool(rule.get("ignore_case"))
    folded = text.lower() if ignore_case else text
    passed: bool
    expected: object
    observed: object
    if kind in ("contains", "not_contains"):
        needle = _fill(str(raw_value), values, as_regex=False)
        found = (needle.lower() if ignore_case else needle) in folded
        passed = found if kind == "contains" else not found
        expected = needle
        observed = _shown(text) if not passed or kind == "contains" else None
    elif kind in ("matches", "not_matches"):
        pattern = _fill(str(raw_value), values, as_regex=True)
        match = patterns.search(pattern, text, ignore_case=ignore_case)
        passed = bool(match) if kind == "matches" else match is None
        expected = pattern
        observed = match.group(0) if match else _shown(text)
    elif kind == "equals":
        wanted = _fill(str(raw_value), values, as_regex=False)
        passed = text.strip() == wanted.strip()
        expected, observed = wanted, _shown(text)
    elif kind == "lines":
        count = len(_lines(text))
        bounds = {str(key): as_int(bound) for key, bound in as_mapping(raw_value).items()}
        passed = (
            ("equals" not in bounds or count == bounds["equals"])
            and ("min" not in bounds or count >= bounds["min"])
            and ("max" not in bounds or count <= bounds["max"])
        )
        expected, observed = bounds, count
    elif kind == "distinct_matches":
        wanted_matches = as_mapping(raw_value)
        pattern = _fill(str(wanted_matches["pattern"]), values, as_regex=True)
        distinct = sorted(set(patterns.findall(pattern, text, ignore_case=ignore_case)))
        passed = len(distinct) >= as_int(wanted_matches["min"])
        expected = {"pattern": pattern, "min": wanted_matches["min"]}
        observed = distinct
    else:
        raise ValueError(f"unknown output rule {kind!r}")
    return CheckRecord(
        code=f"output.{kind}",
        stream=str(rule["stream"]),
        expected=expected,
        observed=observed,
        verdict=PASSED if passed else FAILED,
        rule=dict(rule),
    )


def judge_exit_code(expected: int, actual: int | None, timed_out: bool) -> CheckRecord:
    """A step that timed out has no exit code (the step's own record says it timed out)."""
    return CheckRecord(
        code="exit_code",
        expected=expected,
        observed=None if timed_out else actual,
        verdict=PASSED if actual == expected and not timed_out else FAILED,
        rule={"exit_code": expected},
    )
