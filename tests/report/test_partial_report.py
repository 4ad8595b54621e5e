"""The report of a partial run says so on its cover, and every step not run keeps its place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from labcheck.evidence import selection as sel
from labcheck.evidence.model import to_document
from labcheck.spec.loader import load_lab
from tests.real_evidence import ROOT
from tests.report.conftest import render


def swarm_left_out(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The real run as `-k "not swarm and not stack and ..."` would leave it: part 3 not run."""
    lab = load_lab(ROOT / "specs" / "ops-stage1")
    left_out = [step.id for step in lab.steps if step.section.startswith("3")]
    document["steps"] = [record for record in document["steps"] if record["id"] not in left_out]
    not_run = [sel.NotRun(step_id, sel.DESELECTED, {"-k": "not swarm"}) for step_id in left_out]
    kept = [step.id for step in lab.steps if step.id not in left_out]
    document["run"]["selection"] = to_document(sel.selection_record(lab, kept, not_run))
    document["summary"]["not_run"] = len(left_out)
    return document, left_out


def test_cover_says_partial_and_lists_the_steps_not_run(
    evidence_copy: dict[str, Any], tmp_path: Path
) -> None:
    document, left_out = swarm_left_out(evidence_copy)
    ran = 51 - len(left_out)
    report = render(document, tmp_path)
    cover = report.html.split('<nav class="toc"')[0]
    assert f"Ejecución parcial: {ran} de 51 pasos. {len(left_out)} pasos no se ejecutaron" in cover
    assert f"parcial ({ran} de 51 pasos)" in cover and "completa" not in cover
    assert "Fuera de la selección de esta ejecución (-k «not swarm»): 3.1.a, " in cover
    assert f"{len(left_out)} sin ejecutar" in cover
    first_page = report.text.split("\f")[0]
    assert "Ejecución parcial" in first_page and f"{ran} de 51 pasos" in first_page


def test_sections_of_steps_not_run_are_not_empty(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    document, left_out = swarm_left_out(evidence_copy)
    html = render(document, tmp_path, pdf=False).html
    body = html.split('<main class="steps">')[1].split("</main>")[0]
    placeholders = re.findall(r'<section class="step outcome-not-run" id="paso-([a-z0-9-]+)"', body)
    assert placeholders == left_out
    # Section 3.1's heading is followed by its steps, each saying it was not run and why.
    part = body.split('id="seccion-3-1"')[1].split('id="seccion-3-2"')[0]
    assert part.count("No ejecutado") >= 2
    assert "Motivo: fuera de la selección de esta ejecución (-k «not swarm»)." in part
    summary = html.split('id="resumen"')[1]
    assert summary.count('class="row-not-run"') == len(left_out)
    assert f"{len(left_out)} sin ejecutar." in summary


def test_a_complete_run_reads_as_before(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    html = render(evidence_copy, tmp_path, pdf=False).html
    assert "Ejecución parcial" not in html and "No ejecutado" not in html
    assert "<td>completa</td>" in html


def test_an_english_report_says_why_in_english(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    """The reason a step did not run is a code in the evidence, said in the report's language."""
    document, _ = swarm_left_out(evidence_copy)
    html = render(document, tmp_path, pdf=False, language="en").html
    part = html.split('<main class="steps">')[1].split('id="seccion-3-1"')[1].split('id="seccion-3-2"')[0]
    assert "Reason: left out by the run&#x27;s pytest selection (-k «not swarm»)." in part
    assert "fuera de la selección" not in html.lower()
