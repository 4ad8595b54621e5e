"""Bundles of partial runs: a step the run says it did not run is not run, never passed.

Each bundle is the real evidence with its tail cut the way a run stopped by `-x` leaves it,
its `run.selection` made by the writer's own builder, and the chain recomputed.
"""

from __future__ import annotations

from typing import Any

from labcheck.evidence import selection as sel
from labcheck.evidence.model import to_document
from labcheck.spec.model import Lab
from tests.verify.forge import forge_chain, reasons, verdict_of, verify

CUT = 5  # the last five steps of the lab: services, scaling and the vote page


def stopped_early(document: dict[str, Any], lab: Lab) -> dict[str, Any]:
    ran = [step.id for step in lab.steps[:-CUT]]
    document["steps"] = document["steps"][:-CUT]
    not_run = [sel.NotRun(step.id, sel.STOPPED, {"by": "-x"}) for step in lab.steps[-CUT:]]
    document["run"]["selection"] = to_document(
        sel.selection_record(lab, [step.id for step in lab.steps], not_run)
    )
    assert [record["id"] for record in document["steps"]] == ran
    return forge_chain(document)


def test_steps_not_run_count_as_not_run(doc: dict[str, Any], lab: Lab) -> None:
    result = verify(lab, stopped_early(doc, lab))
    assert result.verdict == "failed"
    assert not any(problem.tampering for problem in result.problems), result.problems
    for step in lab.steps[-CUT:]:
        assert verdict_of(result, step.id).status == "failed"
        assert reasons(result, step.id) == "not run: the run stopped early before it"
    assert verdict_of(result, lab.steps[0].id).status != "failed"


def test_deselected_steps_in_the_middle_are_not_run(doc: dict[str, Any], lab: Lab) -> None:
    # `-k "not vote"`: the last step left out before the run; the others ran.
    last = lab.steps[-1].id
    doc["steps"] = [record for record in doc["steps"] if record["id"] != last]
    not_run = [sel.NotRun(last, sel.DESELECTED, {"-k": "not vote"})]
    selected = [step.id for step in lab.steps[:-1]]
    doc["run"]["selection"] = to_document(sel.selection_record(lab, selected, not_run))
    result = verify(lab, forge_chain(doc))
    assert result.verdict == "failed" and verdict_of(result, last).status == "failed"
    assert reasons(result, last) == "not run: left out by the run's pytest selection"


def test_a_step_listed_as_not_run_but_recorded_is_tampering(doc: dict[str, Any], lab: Lab) -> None:
    document = stopped_early(doc, lab)
    entry = sel.NotRun(lab.steps[0].id, sel.DESELECTED)
    document["run"]["selection"]["not_run"].insert(0, to_document(entry.to_model(lab)))
    result = verify(lab, forge_chain(document))
    assert result.verdict == "tampered"
    assert any(p.code == "selection" and p.step == lab.steps[0].id for p in result.problems)


def test_a_step_recorded_but_not_selected_is_tampering(doc: dict[str, Any], lab: Lab) -> None:
    document = stopped_early(doc, lab)
    document["run"]["selection"]["selected"].remove(lab.steps[1].id)
    result = verify(lab, forge_chain(document))
    assert result.verdict == "tampered"
    assert any(p.code == "selection" and p.step == lab.steps[1].id for p in result.problems)


def test_an_edited_not_run_entry_is_named(doc: dict[str, Any], lab: Lab) -> None:
    document = stopped_early(doc, lab)
    document["run"]["selection"]["not_run"][0]["title"] = "Un paso que no existe"
    document["run"]["selection"]["spec_steps"].reverse()
    result = verify(lab, forge_chain(document))
    assert result.verdict == "tampered"
    codes = {(p.code, p.step) for p in result.problems}
    assert ("spec-copy", lab.steps[-CUT].id) in codes and ("spec-copy", None) in codes


def test_the_selection_is_bound_by_the_chain_head(doc: dict[str, Any], lab: Lab) -> None:
    document = stopped_early(doc, lab)
    document["run"]["selection"]["not_run"][0]["reason"] = sel.DESELECTED  # edited after the run
    result = verify(lab, document)
    assert result.verdict == "tampered"
    assert any(p.code == "chain-head" for p in result.problems)
