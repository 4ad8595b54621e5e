"""A partial run's own account of the steps it did not run (`run.selection`), checked.

A step the bundle says was not run (left out by `-k`, `--lf`, stopped by `-x`, interrupted)
counts as not run, never as passed. What the account says must agree with the bundle's own
records and with the course's spec; the chain head binds it, so an edit shows there too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labcheck.checks.reason_words import not_run_en
from labcheck.spec.model import Lab
from labcheck.verify.result import Problem


def _selection(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    selection = document["run"].get("selection")
    return selection if isinstance(selection, Mapping) else None


def not_run_reasons(document: Mapping[str, Any]) -> dict[str, str]:
    """Step id -> why the run says it did not run it, in English (for verify's lines)."""
    selection = _selection(document)
    if selection is None:
        return {}
    return {str(entry["id"]): not_run_en(str(entry["reason"])) for entry in selection["not_run"]}


def selection_problems(document: Mapping[str, Any], lab: Lab) -> list[Problem]:
    selection = _selection(document)
    if selection is None:
        return []
    problems: list[Problem] = []
    recorded = {str(record["id"]) for record in document["steps"]}
    selected = {str(step_id) for step_id in selection["selected"]}
    spec_ids = [step.id for step in lab.steps]
    if document["spec"]["sha256"] == lab.sha256 and list(selection["spec_steps"]) != spec_ids:
        problems.append(
            Problem("spec-copy", "run.selection.spec_steps differ from the course's spec (edited)")
        )
    steps = {step.id: step for step in lab.steps}
    for entry in selection["not_run"]:
        step_id = str(entry["id"])
        step = steps.get(step_id)
        if step is None:
            problems.append(
                Problem("extra-step", "listed as not run, but the spec has no such step", step_id)
            )
            continue
        if step_id in recorded:
            problems.append(Problem("selection", "recorded, yet listed as not run (edited)", step_id))
        copied = {"number": step.number, "title": step.title, "section": step.section}
        if any(entry.get(key, value) != value for key, value in copied.items()):
            problems.append(Problem("spec-copy", "its not-run entry is not the spec's (edited)", step_id))
    for step_id in sorted(recorded - selected):
        if step_id in steps:
            problems.append(Problem("selection", "recorded, but the run did not select it (edited)", step_id))
    return problems
