"""Rules that cannot fail in practice, found from a reference run: each rule is judged again, with
the existing judges, on mutated copies of what its step printed (the lines it matches removed;
for `lines`, a line more and a line less; the output of each other step instead), and the exit
code check on a changed exit code. A rule that still passes does not tell this output apart.

Only positive rules are mutated (contains, matches, equals, distinct_matches, lines): a
`not_contains` holds on most texts by design."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from labcheck import i18n, patterns
from labcheck.authoring.evidence_view import RunView, StepRun
from labcheck.authoring.findings import Finding, PlacedRule, exit_code_key, placed_rules
from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.spec.model import Lab, Matcher
from labcheck.spec.placeholders import substitute_known

_MAX_REMOVALS = 1000
_ADDED_LINE = "labcheck lint: a line that was not printed"


@dataclass(frozen=True)
class DynamicReport:
    findings: tuple[Finding, ...]
    steps_judged: int
    steps_not_passed: tuple[str, ...]  # in the evidence but not passed there: not re-judged


def _span(matcher: Matcher, text: str, values: Mapping[str, str]) -> tuple[int, int] | None:
    """Where the rule finds what it wants in the text (None once it is gone)."""
    if matcher.kind == "contains":
        needle = substitute_known(str(matcher.value), values)
        haystack, wanted = (text.lower(), needle.lower()) if matcher.ignore_case else (text, needle)
        start = haystack.find(wanted)
        return None if start < 0 or not wanted else (start, start + len(wanted))
    if matcher.kind in ("matches", "distinct_matches"):
        pattern = matcher.pattern
        filled = substitute_known(pattern, {k: patterns.escape(v) for k, v in values.items()})
        match = patterns.search(filled, text, ignore_case=matcher.ignore_case)
        return None if match is None else match.span()
    if matcher.kind == "equals":
        return (0, len(text)) if text else None
    return None


def without_matching_lines(matcher: Matcher, text: str, values: Mapping[str, str]) -> str:
    """The text with every line the rule matches taken out."""
    for _ in range(_MAX_REMOVALS):
        span = _span(matcher, text, values)
        if span is None:
            break
        start = text.rfind("\n", 0, span[0]) + 1
        end = text.find("\n", max(span[1], span[0] + 1) - 1)
        end = len(text) if end < 0 else end + 1
        if end <= start:
            break
        text = text[:start] + text[end:]
    return text


def _passes(matcher: Matcher, text: str, values: Mapping[str, str]) -> bool:
    return judge_output_rule(matcher.rule(), {matcher.stream: text}, values).passed


def _mutants(matcher: Matcher, text: str, values: Mapping[str, str]) -> list[str]:
    if matcher.kind == "lines":
        lines = text.rstrip("\n").split("\n") if text.strip() else []
        return ["\n".join(lines[:-1]), "\n".join([*lines, _ADDED_LINE])]  # a line less, a line more
    return [without_matching_lines(matcher, text, values)]


def _still_passes(matcher: Matcher) -> str:
    """What the rule survived, said whole (one message per mutation, for the catalogs)."""
    t = i18n.cli()
    if matcher.kind == "lines":
        return t.gettext("still passes on this step's output with a line less and with a line more")
    return t.gettext("still passes on this step's output with the lines it matches removed")


def _rule_findings(
    placed: PlacedRule, run: StepRun, others: list[StepRun], values: Mapping[str, str]
) -> list[Finding]:
    matcher = placed.matcher
    if matcher.kind not in ("contains", "matches", "equals", "distinct_matches", "lines"):
        return []
    text = run.streams.get(matcher.stream, "")
    try:
        if not _passes(matcher, text, values):
            return []  # it fails on the reference run: a problem of the run, not of vacuity
        found = []
        if all(_passes(matcher, mutant, values) for mutant in _mutants(matcher, text, values)):
            found.append(Finding(matcher.location, placed.key, _still_passes(matcher)))
        if others and all(
            _passes(matcher, other.streams.get(matcher.stream, ""), values) for other in others
        ):
            t = i18n.cli()
            said = t.ngettext(
                "passes on the output of the run's one other step: it does not tell this step's output apart",
                "passes on the output of every other step of the run ({count}): "
                "it does not tell this step's output apart",
                len(others),
            )
            found.append(Finding(matcher.location, placed.key, said.format(count=t.number(len(others)))))
        return found
    except patterns.PatternTimeout:
        return []


def dynamic_findings(lab: Lab, run: RunView) -> DynamicReport:
    by_id = {step_run.id: step_run for step_run in run.steps}
    passed = [step_run for step_run in run.steps if step_run.outcome == "passed"]
    values: dict[str, str] = dict(lab.values_for_student(run.student_id))
    captured_by: dict[str, dict[str, str]] = {}
    for recorded in run.steps:
        values.update(recorded.captures)
        captured_by[recorded.id] = dict(values)
    findings: list[Finding] = []
    judged: set[str] = set()
    for placed in placed_rules(lab):
        judged_run = by_id.get(placed.step.id)
        if judged_run is None or judged_run.outcome != "passed":
            continue
        judged.add(judged_run.id)
        others = [other for other in passed if other.command != judged_run.command]
        findings += _rule_findings(placed, judged_run, others, captured_by[judged_run.id])
    for step in lab.steps:
        exit_run = by_id.get(step.id)
        if step.exit_code is None or exit_run is None or exit_run.outcome != "passed":
            continue
        judged.add(step.id)
        changed = 1 if step.exit_code == 0 else 0
        if judge_exit_code(step.exit_code, changed, False).passed:
            where, key = exit_code_key(lab, step)
            said = i18n.cli().format("still passes with the exit code changed to {code}", code=changed)
            findings.append(Finding(where, key, said))
    not_passed = tuple(s.id for s in lab.steps if s.id in by_id and by_id[s.id].outcome != "passed")
    return DynamicReport(tuple(findings), len(judged), not_passed)
