"""What `labcheck record` proposes for each step from its reference runs: the exit code every run
gave, output lines that every run printed once volatile values are generalised (none that the
echo of the typed input satisfies, none the spec already has), and the state the step changed
(`labcheck.authoring.state_proposals`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from labcheck import i18n
from labcheck.authoring.evidence_view import RunView
from labcheck.authoring.lint_static import echo_of
from labcheck.authoring.sample_output import CandidateRule, all_candidates, pick
from labcheck.authoring.shell_lines import built_tag, pulled_image, tagged_ref
from labcheck.authoring.state_proposals import StateProposal, agreed, proposals_on_node
from labcheck.checks.output import judge_output_rule
from labcheck.json_values import as_mapping
from labcheck.spec.model import Lab, Step


@dataclass
class StepProposal:
    step: Step
    exit_code: int | None = None
    rules: list[CandidateRule] = field(default_factory=list)
    images: list[dict[str, object]] = field(default_factory=list)  # image state checks, as written
    state: list[StateProposal] = field(default_factory=list)  # the other state the step changed
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
            proposal.notes.append(i18n.cli().gettext("not run in every reference run: nothing proposed"))
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
                    i18n.cli().format(
                        "the runs exited {code}, the spec expects {expected}: left as written",
                        code=code,
                        expected=step.exit_code,
                    )
                )
        existing = {(matcher.kind, str(matcher.value)) for matcher in step.matchers}
        values = [_values(lab, run, step.id) for run in runs]
        for matcher in step.matchers:
            streams = [record.streams for record in records if record is not None]
            if not any(
                judge_output_rule(matcher.rule(), st, v).passed for st, v in zip(streams, values, strict=True)
            ):
                proposal.notes.append(
                    i18n.cli().format(
                        "{where}: its {kind} rule fails on every reference run",
                        where=matcher.location,
                        kind=matcher.kind,
                    )
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
        proposal.images = _image_checks(lab, step, runs)
        proposal.state = _state_checks(step, runs, values, proposal.notes)
        proposals.append(proposal)
    return proposals


def _state_checks(
    step: Step, runs: list[RunView], values: list[dict[str, str]], notes: list[str]
) -> list[StateProposal]:
    """The state the step changed on any node, as every run saw it."""
    per_run = []
    for number, (run, known) in enumerate(zip(runs, values, strict=True)):
        seen = run.states.get(step.id)
        if seen is None:
            return []  # a run without engine states (evidence alone, a local target)
        found: list[StateProposal] = []
        said: list[str] = []
        befores, afters = as_mapping(seen["before"]), as_mapping(seen["after"])
        for node in sorted(befores):
            before, after = befores.get(node), afters.get(node)
            if isinstance(before, Mapping) and isinstance(after, Mapping):  # None: engine unanswered
                found += proposals_on_node(step, node, before, after, known, said)
        if number == 0:
            notes.extend(said)
        per_run.append(found)
    return agreed(step, per_run)


def _normal(ref: str) -> str:
    return ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"


_MAY_REMOVE = ("image rm", "rmi", "prune", "image tag", "docker tag", "build")


def _image_checks(lab: Lab, step: Step, runs: list[RunView]) -> list[dict[str, object]]:
    """The image a step builds, tags or pulls, as every run left it (its layer count), unless a
    later step may remove or move that tag, or the step already checks it."""
    made = built_tag(step.run) or tagged_ref(step.run) or pulled_image(step.run)
    if made is None or "${{" in made:
        return []
    ref = _normal(made)
    if any(c.kind == "image" and _normal(str(c.params.get("ref"))) == ref for c in step.state_checks):
        return []
    later = lab.steps[lab.steps.index(step) + 1 :]
    if any(made in other.run and any(word in other.run for word in _MAY_REMOVE) for other in later):
        return []
    counts = set()
    for run in runs:
        facts = [
            image for image in run.images if image.target == step.node and ref in map(_normal, image.tags)
        ]
        if len(facts) != 1:
            return []
        counts.add(facts[0].layers)
    if len(counts) != 1:
        return []
    return [{"ref": made, "exists": True, "layers": counts.pop()}]
