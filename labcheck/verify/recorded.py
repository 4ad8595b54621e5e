"""What `verify` reads off a recorded check or reason, in the words of its findings (the command
line's language: English by default, Spanish under a Spanish locale)."""

from __future__ import annotations

from labcheck import i18n
from labcheck.checks.check_words import JudgedRule
from labcheck.checks.reason_words import reason_words
from labcheck.evidence.model import Check, Reason
from labcheck.i18n import N_, Translator

# An output rule's verb; the stream's name (output, stdout, stderr) is the spec's key, kept as is.
_OUTPUT_RULES = {
    "contains": N_("{stream} contains «{value}»"),
    "not_contains": N_("{stream} does not contain «{value}»"),
    "matches": N_("{stream} matches «{value}»"),
    "not_matches": N_("{stream} does not match «{value}»"),
    "equals": N_("{stream} equals «{value}»"),
    "lines": N_("{stream} has lines «{value}»"),
    "distinct_matches": N_("{stream} has distinct matches of «{value}»"),
}


def family(check: Check) -> str:
    """exit_code, output, state or capture: the part of a check's code before its dot."""
    return check.code.partition(".")[0]


def reason_text(reason: Reason | None, t: Translator | None = None) -> str | None:
    """A recorded reason in words; None when there is none."""
    return None if reason is None else reason_words(reason, (t or i18n.cli()).language)


def rule_words(check: JudgedRule, t: Translator | None = None) -> str:
    """The rule in plain words for a finding, with the values it was judged with (never the
    author's `says:`, which is in the lab's language, not necessarily the reader's)."""
    t = t or i18n.cli()
    kind_of, _, kind = check.code.partition(".")
    if kind_of == "exit_code":
        return t.format("exit code {code}", code=check.expected)
    if kind_of in ("output", "until"):
        stream = str(check.rule.get("stream", "output"))
        rule = _OUTPUT_RULES.get(kind)
        value = _short(check.expected)
        said = t.format(rule, stream=stream, value=value) if rule else f"{stream} {kind} «{value}»"
        return t.format("until {rule}", rule=said) if kind_of == "until" else said
    if kind_of == "capture":
        return t.format("capture {name}", name=repr(check.rule.get("capture")))
    if check.on:
        return t.format(
            "state of {kind} on {node}: {value}", kind=kind, node=check.on, value=_short(check.expected)
        )
    return t.format("state of {kind}: {value}", kind=kind, value=_short(check.expected))


def _short(value: object, limit: int = 120) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"
