"""What a check checked, and how it failed, as a teacher reads it.

The phrase is made at report time from the rule the evidence stores (so old evidence reads as well
as new): the author's own words (`says:`) first, then labcheck's words for the rule; a regular
expression with no plain reading is named, and the expression itself goes to the «Detalles»
appendix. A failure shows what was missing and the lines of the output around where it should have
been, never a Python repr or raw JSON.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from labcheck import patterns
from labcheck.checks.check_words import check_words, filled_rule, until_words
from labcheck.checks.phrases import (
    exit_code_phrase,
    joined,
    output_kind,
    output_phrase,
    rule_pattern,
    state_expectation,
    state_phrase,
    stream_name,
)
from labcheck.checks.registry import state_kinds
from labcheck.evidence import reasons
from labcheck.i18n import Translator, spanish
from labcheck.report.model import Check, Step

CONTEXT_LINES = 2  # lines shown on each side of where the expected line should have been
SHOWN_LINE = 160  # characters of one output line in a failure
SHOWN_VALUE = 300


@dataclass(frozen=True)
class Phrase:
    words: str
    pattern: str | None  # the regular expression behind the words, for the «Detalles» appendix
    said_by_author: bool


def _state_rule(check: Check) -> tuple[str, Mapping[str, object]] | None:
    for kind in state_kinds():
        params = check.rule.get(kind)
        if isinstance(params, Mapping):
            return kind, params
    return None


def phrase(check: Check, t: Translator | None = None) -> Phrase:
    """What the check checked, in t's language (Spanish by default); the author's `says:` is theirs."""
    t = t or spanish()
    rule = filled_rule(check)
    pattern = rule_pattern(rule)
    if check.says:
        return Phrase(check.says + _on(check, t), pattern, True)
    if check.code == "exit_code" and "exit_code" in rule:
        return Phrase(exit_code_phrase(rule["exit_code"], t), None, False)
    if check.family == "until":
        return Phrase(until_words(output_phrase(rule, t=t) or check.code, t), pattern, False)
    if "stream" in rule:
        words = output_phrase(rule, words_only=True, t=t)
        if words is not None:
            return Phrase(words, pattern, False)
        said = stream_name(str(rule.get("stream")), t)
        if output_kind(rule) == "not_matches":
            words = t.format(
                "{said} does not show what was expected (the pattern is in «Details»)", said=said
            )
        else:
            words = t.format("{said} shows what was expected (the pattern is in «Details»)", said=said)
        return Phrase(words, pattern, False)
    state = _state_rule(check)
    if state is not None:
        return Phrase(state_phrase(*state, t) + _on(check, t), None, False)
    return Phrase(check_words(check, t), pattern, False)


def _on(check: Check, t: Translator) -> str:
    return t.format(" (on {node})", node=check.on) if check.on else ""


# ---------------------------------------------------------------- failures


@dataclass(frozen=True)
class Excerpt:
    """Some lines of the output, numbered from 1, with the one that matters marked."""

    first: int
    lines: tuple[str, ...]
    marked: int | None  # line number (1-based) that is the nearest to, or holds, what was looked for


@dataclass(frozen=True)
class Mismatch:
    said: str  # one sentence: what happened instead
    excerpt: Excerpt | None = None


def _short(text: str, limit: int = SHOWN_VALUE) -> str:
    return text if len(text) <= limit else text[:limit] + " ⋯"


def plain_value(value: object, t: Translator | None = None) -> str:
    """A recorded value as words: lists joined, mappings as «key: value», no quotes or braces."""
    t = t or spanish()
    if value is None:
        return t.gettext("nothing")
    if isinstance(value, bool):
        return t.gettext("yes") if value else t.gettext("no")
    if isinstance(value, list):
        return _short(", ".join(plain_value(item, t) for item in value)) if value else t.gettext("none")
    if isinstance(value, Mapping):
        return _short("; ".join(f"{key}: {plain_value(item, t)}" for key, item in value.items()))
    return _short(str(value))


def _output_lines(check: Check, step: Step) -> list[str]:
    text = step.text if check.stream in (None, "output") else str(check.observed or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n") if text.strip() else []


def _around(lines: Sequence[str], index: int) -> Excerpt:
    low, high = max(0, index - CONTEXT_LINES), min(len(lines), index + CONTEXT_LINES + 1)
    return Excerpt(low + 1, tuple(_short(line, SHOWN_LINE) for line in lines[low:high]), index + 1)


def _nearest(lines: Sequence[str], wanted: str) -> int | None:
    """The line most like the wanted text: where it should have been."""
    if not lines or not wanted.strip():
        return None
    best, best_score = None, (0.0, 0)
    target = wanted.strip()
    for index, line in enumerate(lines[:2000]):
        matcher = difflib.SequenceMatcher(None, line.strip(), target, autojunk=False)
        # Alike lines ("row 10", "row 17" for "row 17 of 30") are told apart by the longest run
        # of characters they share with the wanted text (ratio() has found the blocks already).
        score = (matcher.ratio(), max(block.size for block in matcher.get_matching_blocks()))
        if score > best_score:
            best, best_score = index, score
    return best if best_score[0] >= 0.3 else None


def _holding(lines: Sequence[str], needle: str, *, regex: bool, ignore_case: bool) -> int | None:
    for index, line in enumerate(lines[:2000]):
        if regex:
            try:
                if patterns.search(needle, line, ignore_case=ignore_case):
                    return index
            except patterns.PatternTimeout:
                return None
        elif (needle.lower() in line.lower()) if ignore_case else (needle in line):
            return index
    return None


def _start(lines: Sequence[str]) -> Excerpt | None:
    if not lines:
        return None
    shown = tuple(_short(line, SHOWN_LINE) for line in lines[: 2 * CONTEXT_LINES + 1])
    return Excerpt(1, shown, None)


def _output_mismatch(check: Check, step: Step, t: Translator) -> Mismatch:
    rule = filled_rule(check)
    kind = output_kind(rule)
    lines = _output_lines(check, step)
    said = stream_name(str(rule.get("stream", "output")), t)
    ignore_case = bool(rule.get("ignore_case"))
    if check.reason_code == reasons.PATTERN_TIMEOUT:
        return Mismatch(check.reason or t.gettext("the regular expression took too long and was given up"))
    if kind == "lines":
        lines_said = t.counted(len(lines), "line", "lines")
        return Mismatch(t.format("{said} has {lines}", said=said, lines=lines_said), _start(lines))
    if kind == "distinct_matches":
        found = check.observed if isinstance(check.observed, list) else []
        shown = plain_value(found, t) if found else t.gettext("none")
        count = t.counted(len(found), "distinct value", "distinct values")
        return Mismatch(t.format("{count} found: {values}", count=count, values=shown))
    if not lines:
        return Mismatch(t.format("{said} is empty", said=said))
    value = str(rule.get(kind or "", ""))
    if kind in ("not_contains", "not_matches"):
        at = _holding(lines, value, regex=kind == "not_matches", ignore_case=ignore_case)
        if at is None:
            return Mismatch(t.format("{said} does show it", said=said), _start(lines))
        return Mismatch(t.format("it appears on line {line}", line=at + 1), _around(lines, at))
    if kind == "equals":
        lines_said = t.counted(len(lines), "line", "lines")
        return Mismatch(t.format("{said} is different ({lines})", said=said, lines=lines_said), _start(lines))
    # contains, matches: where it should have been.
    wanted = value
    if kind == "matches":
        words = output_phrase(rule, words_only=True, t=t)
        wanted = words.split("«", 1)[-1].rstrip("»") if words and "«" in words else value
    at = _nearest(lines, wanted)
    if kind == "contains":
        missing = t.format("«{value}» does not appear", value=_short(wanted))
    else:
        missing = t.gettext("no line holds what was expected")
    if at is None:
        said_start = t.format("{missing}; this is how {said} starts:", missing=missing, said=said)
        return Mismatch(said_start, _start(lines))
    closest = t.format("{missing}; the closest is on line {line}:", missing=missing, line=at + 1)
    return Mismatch(closest, _around(lines, at))


def _state_mismatch(check: Check, t: Translator) -> Mismatch:
    if check.reason is not None:
        return Mismatch(check.reason)
    if isinstance(check.observed, str) or check.observed is None:
        return Mismatch(plain_value(check.observed, t))
    known = state_kinds().get(check.code.partition(".")[2])
    words = known.words(t.language) if known is not None else {}
    expected = check.expected if isinstance(check.expected, Mapping) else {}
    actual = check.observed if isinstance(check.observed, Mapping) else {}
    if actual.get("exists") is False and expected.get("exists") is not False:
        return Mismatch(t.gettext("it does not exist on the engine"))
    differences = [
        t.format(
            "{expected} was expected and there is {actual}",
            expected=state_expectation(key, wanted, words, t),
            actual=state_expectation(key, actual[key], words, t),
        )
        for key, wanted in expected.items()
        if key in actual and actual[key] != wanted and not isinstance(wanted, Mapping)
    ]
    if differences:
        return Mismatch(joined(differences, t))
    found = [
        state_expectation(key, item, words, t)
        for key, item in actual.items()
        if key in ("exists", "layers", "status")
    ]
    said = joined(found, t) if found else plain_value(actual, t)
    return Mismatch(t.format("the engine says: {facts}", facts=said))


def mismatch(check: Check, step: Step, t: Translator | None = None) -> Mismatch:
    """How the check failed, in t's language (Spanish by default)."""
    t = t or spanish()
    if check.family == "exit_code":
        if step.timed_out:
            return Mismatch(t.gettext("the command did not finish: it ran out of time"))
        return Mismatch(t.format("it ended with exit code {code}", code=plain_value(check.observed, t)))
    if check.family in ("output", "until"):
        return _output_mismatch(check, step, t)
    if check.family == "state":
        return _state_mismatch(check, t)
    if check.family == "capture":
        # Why, as the evidence's reason in the report's words; older evidence kept a sentence instead.
        why = check.reason if check.reason is not None else plain_value(check.observed, t)
        return Mismatch(t.format("it could not be captured: {value}", value=why))
    return Mismatch(
        t.format(
            "{expected} was expected; {actual} was found",
            expected=plain_value(check.expected, t),
            actual=plain_value(check.observed, t),
        )
    )
