"""A partial run's own account of the steps it did not run (`run.selection`), checked.

A step the bundle says was not run (left out by `-k`, `--lf`, stopped by `-x`, interrupted)
counts as not run, never as passed. What the account says must agree with the bundle's own
records and with the course's spec; the chain head binds it, so an edit shows there too.
"""

from __future__ import annotations

from labcheck import i18n
from labcheck.checks.reason_words import not_run_words
from labcheck.evidence.model import Evidence
from labcheck.spec.model import Lab
from labcheck.verify.result import Problem


def not_run_reasons(evidence: Evidence) -> dict[str, str]:
    """Step id -> why the run says it did not run it, in the command line's language."""
    selection = evidence.run.selection
    if selection is None:
        return {}
    language = i18n.cli().language
    return {entry.id: not_run_words(entry.reason, {}, language) for entry in selection.not_run}


def selection_problems(evidence: Evidence, lab: Lab) -> list[Problem]:
    selection = evidence.run.selection
    if selection is None:
        return []
    problems: list[Problem] = []
    recorded = {record.id for record in evidence.steps}
    selected = set(selection.selected)
    spec_ids = [step.id for step in lab.steps]
    if evidence.spec.sha256 == lab.sha256 and selection.spec_steps != spec_ids:
        problems.append(
            Problem(
                "spec-copy",
                i18n.cli().gettext("run.selection.spec_steps differ from the course's spec (edited)"),
            )
        )
    steps = {step.id: step for step in lab.steps}
    for entry in selection.not_run:
        step = steps.get(entry.id)
        if step is None:
            problems.append(
                Problem(
                    "extra-step",
                    i18n.cli().gettext("listed as not run, but the spec has no such step"),
                    entry.id,
                )
            )
            continue
        if entry.id in recorded:
            problems.append(
                Problem("selection", i18n.cli().gettext("recorded, yet listed as not run (edited)"), entry.id)
            )
        if (entry.number, entry.title, entry.section) != (step.number, step.title, step.section):
            problems.append(
                Problem(
                    "spec-copy", i18n.cli().gettext("its not-run entry is not the spec's (edited)"), entry.id
                )
            )
    for step_id in sorted(recorded - selected):
        if step_id in steps:
            said = i18n.cli().gettext("recorded, but the run did not select it (edited)")
            problems.append(Problem("selection", said, step_id))
    return problems
