"""A judged rule in words (the report's language, Spanish by default), from what the evidence
keeps of it: the author's own words when the spec gives them, else labcheck's phrase of the rule
with the values it was judged with.

Shared by the student's terminal (a failed step's report), the HTML/PDF report and any other
reader of checks: the evidence stores no words of ours, so each says the rule the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from labcheck.checks.phrases import output_kind, rule_phrase
from labcheck.i18n import Translator, spanish


class JudgedRule(Protocol):
    """What a check record and the evidence's Check both hold."""

    @property
    def code(self) -> str: ...

    @property
    def rule(self) -> Mapping[str, object]: ...

    @property
    def expected(self) -> object: ...

    @property
    def says(self) -> str | None: ...

    @property
    def on(self) -> str | None: ...


def filled_rule(check: JudgedRule) -> dict[str, object]:
    """The rule with the run's captured values put in (the evidence keeps them in `expected`)."""
    rule = dict(check.rule)
    kind = output_kind(rule)
    if kind in ("contains", "not_contains", "matches", "not_matches", "equals") and isinstance(
        check.expected, str
    ):
        rule[kind] = check.expected
    elif kind == "distinct_matches" and isinstance(check.expected, Mapping):
        rule[kind] = dict(check.expected)
    return rule


def check_words(check: JudgedRule, t: Translator | None = None) -> str:
    """The rule in t's language (Spanish by default); the author's `says:` as written."""
    t = t or spanish()
    if check.says:
        words = check.says
    elif check.code == "capture":
        words = t.format("capture «{name}»", name=check.rule.get("capture"))
    elif check.code.startswith("until."):
        words = until_words(rule_phrase(filled_rule(check), t) or check.code, t)
    else:
        words = rule_phrase(filled_rule(check), t) or check.code
    return words + t.format(" (on {node})", node=check.on) if check.on else words


def until_words(rule_words: str, t: Translator) -> str:
    """What an `until` step waits for: its rule, and that labcheck then stops the command."""
    return t.format("{rule} (then labcheck stops the command)", rule=rule_words)
