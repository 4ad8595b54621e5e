"""Which steps of the spec a run was asked to run, and why each of the others did not run.

The evidence keeps it under `run.selection` (so the chain head binds it): the report's cover
says a partial run is partial, and `labcheck verify` counts a step not run as not run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from labcheck.evidence import model
from labcheck.spec.model import Lab

# Why a step of the spec did not run.
DESELECTED = "deselected"  # pytest's selection left it out (-k, -m, --deselect, another plugin)
LAST_FAILED = "last-failed"  # --lf: only the steps that failed the last time were run
STOPPED = "stopped"  # the run stopped early (-x, --maxfail, --stepwise, a session timeout)
INTERRUPTED = "interrupted"  # Ctrl-C or a signal ended the run before it
NOT_REACHED = "not-reached"  # the run ended before it, for another reason
REASONS = (DESELECTED, LAST_FAILED, STOPPED, INTERRUPTED, NOT_REACHED)


@dataclass(frozen=True)
class NotRun:
    """A step of the spec that this run did not run: the reason's code and its facts (the
    options that left it out, what stopped the run); the words are the report's."""

    step_id: str
    reason: str  # one of REASONS
    facts: Mapping[str, str] = field(default_factory=dict)

    def to_model(self, lab: Lab) -> model.NotRun:
        step = next(step for step in lab.steps if step.id == self.step_id)
        return model.NotRun(
            id=step.id,
            number=step.number,
            title=str(step.title),
            section=step.section,
            reason=self.reason,  # type: ignore[arg-type]  # one of REASONS
            facts=dict(self.facts),
        )


def selection_record(lab: Lab, selected: Iterable[str], not_run: Sequence[NotRun]) -> model.Selection:
    """`run.selection` of the evidence: every step of the spec, those selected, those not run."""
    chosen = set(selected)
    return model.Selection(
        spec_steps=[step.id for step in lab.steps],
        selected=[step.id for step in lab.steps if step.id in chosen],
        not_run=[entry.to_model(lab) for entry in _in_spec_order(lab, not_run)],
    )


def _in_spec_order(lab: Lab, entries: Sequence[NotRun]) -> list[NotRun]:
    position = {step.id: index for index, step in enumerate(lab.steps)}
    unique = {entry.step_id: entry for entry in entries if entry.step_id in position}
    return sorted(unique.values(), key=lambda entry: position[entry.step_id])
