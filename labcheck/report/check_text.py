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
from typing import Any

from labcheck import patterns
from labcheck.checks.check_words import check_words, filled_rule
from labcheck.checks.phrases import (
    STREAM_NAMES,
    exit_code_phrase,
    joined,
    output_kind,
    output_phrase,
    rule_pattern,
    state_expectation,
    state_phrase,
)
from labcheck.checks.registry import state_kinds
from labcheck.evidence import reasons
from labcheck.plurals import counted
from labcheck.report.model import Check, Step

CONTEXT_LINES = 2  # lines shown on each side of where the expected line should have been
SHOWN_LINE = 160  # characters of one output line in a failure
SHOWN_VALUE = 300


@dataclass(frozen=True)
class Phrase:
    words: str
    pattern: str | None  # the regular expression behind the words, for the «Detalles» appendix
    said_by_author: bool


def _state_rule(check: Check) -> tuple[str, Mapping[str, Any]] | None:
    for kind in state_kinds():
        params = check.rule.get(kind)
        if isinstance(params, Mapping):
            return kind, params
    return None


def phrase(check: Check) -> Phrase:
    rule = filled_rule(check)
    pattern = rule_pattern(rule)
    if check.says:
        return Phrase(check.says + _on(check), pattern, True)
    if check.code == "exit_code" and "exit_code" in rule:
        return Phrase(exit_code_phrase(rule["exit_code"]), None, False)
    if "stream" in rule:
        words = output_phrase(rule, words_only=True)
        if words is not None:
            return Phrase(words, pattern, False)
        said = STREAM_NAMES.get(str(rule.get("stream")), "la salida")
        verb = "no muestra" if output_kind(rule) == "not_matches" else "muestra"
        return Phrase(f"{said} {verb} lo esperado (la expresión regular, en «Detalles»)", pattern, False)
    state = _state_rule(check)
    if state is not None:
        return Phrase(state_phrase(*state) + _on(check), None, False)
    return Phrase(check_words(check), pattern, False)


def _on(check: Check) -> str:
    return f" (en {check.on})" if check.on else ""


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


def plain_value(value: Any) -> str:
    """A recorded value as words: lists joined, mappings as «key: value», no quotes or braces."""
    if value is None:
        return "nada"
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, list):
        return _short(", ".join(plain_value(item) for item in value)) if value else "ninguno"
    if isinstance(value, Mapping):
        return _short("; ".join(f"{key}: {plain_value(item)}" for key, item in value.items()))
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
    best, best_ratio = None, 0.0
    for index, line in enumerate(lines[:2000]):
        ratio = difflib.SequenceMatcher(None, line.strip(), wanted.strip(), autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = index, ratio
    return best if best_ratio >= 0.3 else None


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


def _output_mismatch(check: Check, step: Step) -> Mismatch:
    rule = filled_rule(check)
    kind = output_kind(rule)
    lines = _output_lines(check, step)
    said = STREAM_NAMES.get(str(rule.get("stream", "output")), "la salida")
    ignore_case = bool(rule.get("ignore_case"))
    if check.reason_code == reasons.PATTERN_TIMEOUT:
        return Mismatch(check.reason or "la expresión regular tardó demasiado y se abandonó")
    if kind == "lines":
        count = len(lines)
        return Mismatch(f"{said} tiene {counted(count, 'línea', 'líneas')}", _start(lines))
    if kind == "distinct_matches":
        found = check.observed if isinstance(check.observed, list) else []
        shown = plain_value(found) if found else "ninguno"
        return Mismatch(
            f"se encontraron {counted(len(found), 'valor distinto', 'valores distintos')}: {shown}"
        )
    if not lines:
        return Mismatch(f"{said} está vacía")
    value = str(rule.get(kind or "", ""))
    if kind in ("not_contains", "not_matches"):
        at = _holding(lines, value, regex=kind == "not_matches", ignore_case=ignore_case)
        if at is None:
            return Mismatch(f"{said} sí lo muestra", _start(lines))
        return Mismatch(f"aparece en la línea {at + 1}", _around(lines, at))
    if kind == "equals":
        return Mismatch(f"{said} es otra ({counted(len(lines), 'línea', 'líneas')})", _start(lines))
    # contains, matches: where it should have been.
    wanted = value
    if kind == "matches":
        words = output_phrase(rule, words_only=True)
        wanted = words.split("«", 1)[-1].rstrip("»") if words and "«" in words else value
    at = _nearest(lines, wanted)
    missing = f"no aparece «{_short(wanted)}»" if kind == "contains" else "ninguna línea tiene lo esperado"
    if at is None:
        return Mismatch(f"{missing}; así empieza {said}:", _start(lines))
    return Mismatch(f"{missing}; lo más parecido está en la línea {at + 1}:", _around(lines, at))


def _state_mismatch(check: Check) -> Mismatch:
    if check.reason is not None:
        return Mismatch(check.reason)
    if isinstance(check.observed, str) or check.observed is None:
        return Mismatch(plain_value(check.observed))
    known = state_kinds().get(check.code.partition(".")[2])
    words = known.words_es if known is not None else {}
    expected = check.expected if isinstance(check.expected, Mapping) else {}
    actual = check.observed if isinstance(check.observed, Mapping) else {}
    if actual.get("exists") is False and expected.get("exists") is not False:
        return Mismatch("no existe en el motor")
    differences = [
        f"se esperaba {state_expectation(key, wanted, words)} y hay "
        + state_expectation(key, actual[key], words)
        for key, wanted in expected.items()
        if key in actual and actual[key] != wanted and not isinstance(wanted, Mapping)
    ]
    if differences:
        return Mismatch(joined(differences))
    found = [
        state_expectation(key, item, words)
        for key, item in actual.items()
        if key in ("exists", "layers", "status")
    ]
    return Mismatch(f"el motor dice: {joined(found)}" if found else f"el motor dice: {plain_value(actual)}")


def mismatch(check: Check, step: Step) -> Mismatch:
    if check.family == "exit_code":
        if step.timed_out:
            return Mismatch("el comando no terminó: se agotó el tiempo")
        return Mismatch(f"terminó con el código de salida {plain_value(check.observed)}")
    if check.family == "output":
        return _output_mismatch(check, step)
    if check.family == "state":
        return _state_mismatch(check)
    if check.family == "capture":
        return Mismatch(f"no se pudo capturar: {plain_value(check.observed)}")
    return Mismatch(f"se esperaba {plain_value(check.expected)}; se obtuvo {plain_value(check.observed)}")
