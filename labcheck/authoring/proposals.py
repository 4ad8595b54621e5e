"""What `labcheck record` proposes for each step from its reference runs: the exit code every run
gave, and output lines that every run printed once volatile values are generalised (none that the
echo of the typed input satisfies, none the spec already has)."""

from __future__ import annotations

from dataclasses import dataclass, field

from labcheck.authoring.evidence_view import RunView
from labcheck.authoring.lint_static import echo_of
from labcheck.authoring.sample_output import CandidateRule, all_candidates, pick
from labcheck.checks.output import judge_output_rule
from labcheck.spec.model import Lab, Step


@dataclass
class StepProposal:
    step: Step
    exit_code: int | None = None
    rules: list[CandidateRule] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _values(lab: Lab, run: RunView, step_id: str) -> dict[str, str]:
    values = dict(lab.values_for_student(run.student_id))
    for recorded in run.steps:
        values.update(recorded.captures)
        if recorded.id == step_id:
            break
    return values


def propose(lab: Lab, runs: list[RunView]) -> list[StepProposal]:
    proposals = []
    for step in lab.steps:
        proposal = StepProposal(step)
        records = [next((r for r in run.steps if r.id == step.id), None) for run in runs]
        if any(record is None or record.outcome in ("skipped", "error", "not_run") for record in records):
            proposal.notes.append("not run in every reference run: nothing proposed")
            proposals.append(proposal)
            continue
        texts = [record.streams.get("output", "") for record in records if record is not None]
        codes = {record.exit_code for record in records if record is not None}
        if len(codes) == 1 and None not in codes:
            (code,) = codes
            if step.exit_code is None:
                proposal.exit_code = code
            elif step.exit_code != code:
                proposal.notes.append(
                    f"the runs exited {code}, the spec expects {step.exit_code}: left as written"
                )
        existing = {(matcher.kind, str(matcher.value)) for matcher in step.matchers}
        values = [_values(lab, run, step.id) for run in runs]
        for matcher in step.matchers:
            streams = [record.streams for record in records if record is not None]
            if not any(
                judge_output_rule(matcher.rule(), st, v).passed for st, v in zip(streams, values, strict=True)
            ):
                proposal.notes.append(
                    f"{matcher.location}: its {matcher.kind} rule fails on every reference run"
                )
        echo = echo_of(step, values[0]) if step.uses_pty else None
        kept = []
        for rule in all_candidates(texts[0], 1):
            as_rule = {"stream": "output", rule.kind: rule.value}
            if (rule.kind, rule.value) in existing:
                continue
            if not all(
                judge_output_rule(as_rule, {"output": t}, v).passed
                for t, v in zip(texts, values, strict=True)
            ):
                continue  # not the same in every run
            if echo is not None and judge_output_rule(as_rule, {"output": echo}, values[0]).passed:
                continue  # the echo of what the step types would pass it
            kept.append(rule)
        proposal.rules = pick(kept)
        proposals.append(proposal)
    return proposals
