"""`--from`: a student's own Markdown report, its screenshots replaced by the captured output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from labcheck.report.model import evidence_view
from labcheck.report.student_markdown import Placement, place_screenshots
from tests.real_evidence import as_evidence
from tests.report.conftest import render

# A student's report written for these tests, in the project's own words: screenshots after
# code blocks, inline commands with placeholders, a shell left with `exit`, two pictures of one
# output, diagrams, and an indented block as some editors export them.
STUDENT_REPORT = Path(__file__).resolve().parent.parent / "data" / "student-report" / "mi-informe.md"


@pytest.fixture(scope="module")
def student_report() -> str:
    return STUDENT_REPORT.read_text(encoding="utf-8")


def placements_of(source: str, evidence: dict[str, Any]) -> dict[str, Placement]:
    _, placements = place_screenshots(source, evidence_view(as_evidence(evidence)))
    return {placement.src: placement for placement in placements}


def ids(placement: Placement) -> list[str]:
    return [step.id for step in placement.steps]


def test_screenshots_land_after_the_commands_the_lab_runs(
    student_report: str, evidence: dict[str, Any]
) -> None:
    found = placements_of(student_report, evidence)
    expected = {
        "images/Untitled.png": ["hello-world"],
        "images/Untitled%202.png": ["pull-alpine"],
        "images/Untitled%203.png": ["image-ls"],
        "images/Untitled%204.png": ["run-ls"],
        "images/Untitled%205.png": ["run-it-sh"],
        "images/Untitled%206.png": ["run-it-sh"],  # `exit` typed in the same shell
        "images/Untitled%207.png": ["container-ls-all"],
        "images/Untitled%208.png": ["isolation-ash"],
        "images/Untitled%2010.png": ["container-start"],  # `<container ID>` placeholder
        "images/Untitled%2011.png": ["figlet-commit"],  # `CONTAINER_ID` placeholder
        "images/Untitled%2012.png": ["image-tag", "image-ls-tagged"],
        "images/Untitled%2013.png": ["inspect-alpine"],
        "images/Untitled%2015.png": ["layers-hello"],  # `<image ID>` placeholder
        "images/Untitled%2016.png": ["service-ps"],  # an indented block
    }
    for src, steps in expected.items():
        assert ids(found[src]) == steps, src
    # A screenshot right after another of the same output is the same output: shown once.
    assert found["images/Untitled%2014.png"].merged
    assert ids(found["images/Untitled%2014.png"]) == ["inspect-alpine"]


def test_diagrams_and_unknown_pictures_stay_and_are_listed(
    student_report: str, evidence: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")  # the warnings are the command line's: the locale's language
    found = placements_of(student_report, evidence)
    unplaced = {"images/Untitled%201.png", "images/Untitled%209.png", "images/Untitled%2017.png"}
    for picture in unplaced:
        assert not found[picture].steps, picture
    result = render(evidence, tmp_path, from_markdown=STUDENT_REPORT)
    lines = student_report.splitlines()
    expected_lines = {
        str(number) for number, line in enumerate(lines, start=1) if any(p in line for p in unplaced)
    }
    assert {warning.split(":")[1] for warning in result.paths.warnings} == expected_lines
    assert all("captura sin sustituir" in warning for warning in result.paths.warnings)
    # Kept as the student wrote them (the pictures are not there: their name is shown).
    assert "images/Untitled 1.png" in result.html
    # Placed: the real output after the command, no screenshot reference left.
    assert 'src="images/Untitled.png"' not in result.html
    assert "Hello from Docker!" in result.text
    assert "Sustituye a la captura «images/Untitled.png»" in " ".join(result.text.split())
    assert "<script" not in result.html.lower()


def test_explicit_marker_and_local_pictures(evidence: dict[str, Any], tmp_path: Path) -> None:
    pictures = tmp_path / "images"
    pictures.mkdir()
    Image.new("RGB", (3, 2), "#336699").save(pictures / "diagrama.png")
    report = tmp_path / "mi-informe.md"
    report.write_text(
        "# Mi informe\n\nLa lista de imágenes:\n\n![captura](labcheck:image-ls)\n\n"
        "Un diagrama mío:\n\n![diagrama](images/diagrama.png)\n\n"
        "Una que falta:\n\n![falta](images/no-esta.png)\n\n"
        "Paso que no existe:\n\n![otra](labcheck:no-such-step)\n",
        encoding="utf-8",
    )
    out = tmp_path / "salida"
    result = render(evidence, out, from_markdown=report)
    image_ls = next(step for step in evidence["steps"] if step["id"] == "image-ls")
    assert image_ls["command"] in result.html
    # Embedded, so the report needs nothing from the student's folder later.
    assert '<img src="data:image/png;base64,' in result.html
    assert "[falta: images/no-esta.png]" in result.html
    warned = {warning.split(":")[1] for warning in result.paths.warnings}
    assert warned == {"9", "13", "17"}
