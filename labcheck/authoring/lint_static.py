"""Rules that cannot fail by construction, found from the spec alone: under a terminal the typed
command and input are echoed into the transcript, so a rule the echo satisfies checks nothing; a
pattern that matches the empty string matches any output; a `lines` rule without a bound counts
nothing."""

from __future__ import annotations

from labcheck import i18n, patterns
from labcheck.authoring.findings import Finding, PlacedRule, placed_rules
from labcheck.checks.output import judge_output_rule
from labcheck.json_values import as_mapping
from labcheck.spec.model import Lab, Step
from labcheck.spec.placeholders import substitute_known

# What a value captured at run time stands as, when judging a rule without a run.
SAMPLE_VALUE = "0123456789ab"
_POSITIVE = ("contains", "matches", "equals", "distinct_matches")


def sample_values(lab: Lab) -> dict[str, str]:
    names = {capture.name for step in lab.steps for capture in step.captures}
    names |= {value.name for value in lab.student_values}
    return dict.fromkeys(names, SAMPLE_VALUE)


def echo_of(step: Step, values: dict[str, str]) -> str:
    """What the terminal shows of the step with no output at all: the command and each typed line."""
    return "\n".join(
        substitute_known(text, values) for text in (step.run, *(line.send for line in step.input))
    )


def _typed_text(step: Step, needle: str, values: dict[str, str], ignore_case: bool) -> str | None:
    """Where the step types the text: "the command" or "input line N" (in the locale's words)."""
    t = i18n.cli()
    for label, text in (
        (t.gettext("the command"), step.run),
        *((t.format("input line {number}", number=n), line.send) for n, line in enumerate(step.input, 1)),
    ):
        filled = substitute_known(text, values)
        if (needle.lower() in filled.lower()) if ignore_case else (needle in filled):
            return label
    return None


def _empty_pattern(placed: PlacedRule, values: dict[str, str]) -> str | None:
    matcher = placed.matcher
    if matcher.kind not in ("matches", "not_matches", "distinct_matches"):
        return None
    pattern = matcher.pattern
    filled = substitute_known(pattern, {k: patterns.escape(v) for k, v in values.items()})
    try:
        if patterns.search(filled, "", ignore_case=matcher.ignore_case) is None:
            return None
    except patterns.PatternTimeout:
        return None
    t = i18n.cli()
    if matcher.kind == "not_matches":
        return t.gettext("the pattern matches the empty string: the rule can never pass")
    return t.gettext("the pattern matches the empty string: any output passes")


def _echoed(placed: PlacedRule, values: dict[str, str]) -> str | None:
    step, matcher = placed.step, placed.matcher
    if not step.uses_pty or matcher.kind not in _POSITIVE:
        return None
    if matcher.kind == "contains":
        needle = substitute_known(str(matcher.value), values)
        if typed := _typed_text(step, needle, values, matcher.ignore_case):
            return i18n.cli().format(
                "contains «{text}», which the step itself types ({where}): the terminal echoes it, "
                "so the rule passes whatever the command prints",
                text=needle,
                where=typed,
            )
    if judge_output_rule(matcher.rule(), {matcher.stream: echo_of(step, values)}, values).passed:
        return i18n.cli().gettext(
            "passes on the echo of the typed command and input alone: the terminal echoes them, "
            "so the rule passes whatever the command prints"
        )
    return None


def _unbounded(placed: PlacedRule) -> str | None:
    matcher = placed.matcher
    if matcher.kind != "lines":
        return None
    bounds = as_mapping(matcher.value)
    if "max" in bounds or "equals" in bounds or bounds.get("min"):
        return None
    return i18n.cli().gettext("a lines rule with no bound: any output passes")


def _rule_finding(placed: PlacedRule, values: dict[str, str]) -> Finding | None:
    """The most basic reason the rule cannot fail, if any (one per rule)."""
    message = _unbounded(placed) or _empty_pattern(placed, values) or _echoed(placed, values)
    return Finding(placed.matcher.location, placed.key, message) if message else None


def static_findings(lab: Lab) -> list[Finding]:
    values = sample_values(lab)
    found: list[Finding] = []
    for placed in placed_rules(lab):
        if finding := _rule_finding(placed, values):
            found.append(finding)
    return found
