"""Which steps of the spec a run was asked to run, and why each of the others did not run.

The evidence keeps it under `run.selection` (so the chain head binds it): the report's cover
says a partial run is partial, and `labcheck verify` counts a step not run as not run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from labcheck.spec.model import Lab

# Why a step of the spec did not run.
DESELECTED = "deselected"  # pytest's selection left it out (-k, -m, --deselect, another plugin)
LAST_FAILED = "last-failed"  # --lf: only the steps that failed the last time were run
STOPPED = "stopped"  # the run stopped early (-x, --maxfail, --stepwise, a session timeout)
INTERRUPTED = "interrupted"  # Ctrl-C or a signal ended the run before it
NOT_REACHED = "not-reached"  # the run ended before it, for another reason
REASONS = (DESELECTED, LAST_FAILED, STOPPED, INTERRUPTED, NOT_REACHED)

# The same reasons in English, for `labcheck verify`'s lines.
REASON_EN = {
    DESELECTED: "left out by the run's pytest selection",
    LAST_FAILED: "left out by --lf (only the last run's failures were run)",
    STOPPED: "the run stopped early before it",
    INTERRUPTED: "the run was interrupted before it",
    NOT_REACHED: "the run ended before it",
}


@dataclass(frozen=True)
class NotRun:
    """A step of the spec that this run did not run, with the reason in the report's words."""

    step_id: str
    reason: str  # one of REASONS
    detail: str  # Spanish, for the report

    def to_json(self, lab: Lab) -> dict[str, Any]:
        step = next(step for step in lab.steps if step.id == self.step_id)
        return {
            "id": step.id,
            "number": step.number,
            "title": step.title,
            "section": step.section,
            "reason": self.reason,
            "detail": self.detail,
        }


def selection_record(lab: Lab, selected: Iterable[str], not_run: Sequence[NotRun]) -> dict[str, Any]:
    """`run.selection` of the evidence: every step of the spec, those selected, those not run."""
    chosen = set(selected)
    return {
        "spec_steps": [step.id for step in lab.steps],
        "selected": [step.id for step in lab.steps if step.id in chosen],
        "not_run": [entry.to_json(lab) for entry in _in_spec_order(lab, not_run)],
    }


def _in_spec_order(lab: Lab, entries: Sequence[NotRun]) -> list[NotRun]:
    position = {step.id: index for index, step in enumerate(lab.steps)}
    unique = {entry.step_id: entry for entry in entries if entry.step_id in position}
    return sorted(unique.values(), key=lambda entry: position[entry.step_id])


def deselected_detail(options: Mapping[str, str | None]) -> str:
    """Why pytest's selection left steps out, naming the options that did it."""
    # Worded to read both as a step's reason and as the heading of a list of steps.
    named = [f"{flag} «{value}»" for flag, value in options.items() if value]
    if not named:
        return "fuera de la selección de esta ejecución"
    return f"fuera de la selección de esta ejecución ({', '.join(named)})"


LAST_FAILED_DETAIL = "con --lf solo se repitieron los pasos que fallaron la vez anterior"
INTERRUPTED_DETAIL = "la ejecución se interrumpió antes"
NOT_REACHED_DETAIL = "la ejecución terminó antes"


def stopped_detail(why: str | None) -> str:
    return "la ejecución se detuvo antes" + (f" ({why})" if why else "")
