"""`--from`: a student's own Markdown report, its screenshots replaced by the captured output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from labcheck.report.model import evidence_from_mapping
from labcheck.report.student_markdown import Placement, place_screenshots
from tests.report.conftest import SEED, render


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"no student report at {SEED}")
    return SEED.read_text(encoding="utf-8")


def placements_of(source: str, evidence: dict[str, Any]) -> dict[str, Placement]:
    _, placements = place_screenshots(source, evidence_from_mapping(evidence))
    return {placement.src: placement for placement in placements}


def ids(placement: Placement) -> list[str]:
    return [step.id for step in placement.steps]


def test_seed_screenshots_land_after_the_commands_the_lab_runs(seed: str, evidence: dict[str, Any]) -> None:
    found = placements_of(seed, evidence)
    expected = {
        "images/Untitled.png": ["hello-world"],
        "images/Untitled%202.png": ["pull-alpine"],
        "images/Untitled%203.png": ["image-ls"],
        "images/Untitled%204.png": ["run-ls"],
        "images/Untitled%208.png": ["run-it-sh"],
        "images/Untitled%2010.png": ["run-it-sh"],  # `exit` typed in the same shell
        "images/Untitled%2012.png": ["container-ls-all"],
        "images/Untitled%2015.png": ["isolation-ash"],
        "images/Untitled%2019.png": ["container-start"],  # `<container ID>` placeholder
        "images/Untitled%2029.png": ["figlet-commit"],  # `CONTAINER_ID` placeholder
        "images/Untitled%2031.png": ["image-tag", "image-ls-tagged"],
        "images/Untitled%2051.png": ["layers-hello"],
        "images/Untitled%2063.png": ["service-ps"],
    }
    for src, steps in expected.items():
        assert ids(found[src]) == steps, src
    # A screenshot right after another of the same output is the same output: shown once.
    assert found["images/Untitled%2048.png"].merged
    assert ids(found["images/Untitled%2048.png"]) == ["inspect-alpine"]
    placed = sum(1 for placement in found.values() if placement.steps)
    assert placed >= 45


def test_seed_diagrams_and_unknown_pictures_stay_and_are_listed(
    seed: str, evidence: dict[str, Any], tmp_path: Path
) -> None:
    found = placements_of(seed, evidence)
    for diagram in ("images/Untitled%201.png", "images/Untitled%2013.png", "images/Untitled%2022.png"):
        assert not found[diagram].steps, diagram
    result = render(evidence, tmp_path, from_markdown=SEED)
    lines = {warning.split(":")[1] for warning in result.paths.warnings}
    assert {"38", "219", "322"} <= lines
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
