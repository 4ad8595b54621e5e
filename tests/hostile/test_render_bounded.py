"""Pathological terminals and evidence render, bounded: each case runs `labcheck report` (HTML and
PDF) in a process limited to 1 GB of address space and 60 s of CPU, and must finish with a small
PDF that says where output was left out. Figures: bench/hostile_render.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hostile.render_inputs import PATHOLOGICAL, Pathological, dump, run_bounded


def _pdf_text_and_pages(pdf: Path) -> tuple[str, int]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext and pdfinfo (poppler-utils) are not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert pages is not None
    return " ".join(text.stdout.decode("utf-8").split()), int(pages.group(1))


@pytest.mark.parametrize("case", PATHOLOGICAL, ids=lambda case: case.name)
def test_pathological_evidence_renders_within_1gb_and_a_minute(case: Pathological, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(case.small()))
    outcome = run_bounded(["report", evidence, "-o", tmp_path], memory_bytes=1024**3, cpu_seconds=60)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    text, pages = _pdf_text_and_pages(tmp_path / "informe.pdf")
    if case.marker:
        assert case.marker in text
    # The unbounded renderer made 1,139 pages of one 10 MB line; the report budget is ~130 pages of output.
    assert pages < 150


def test_cursor_moves_far_away_stay_inside_the_window(tmp_path: Path) -> None:
    case = next(case for case in PATHOLOGICAL if case.name == "cursor-down-99999999")
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(case.small()))
    outcome = run_bounded(["report", evidence, "--no-pdf", "-o", tmp_path], memory_bytes=1024**3)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    html = (tmp_path / "informe.html").read_text(encoding="utf-8")
    block = re.search(r"antes(.*?)despues", html, re.DOTALL)
    # Moving 99,999,999 rows down stops at the bottom of a 50-row window, as a terminal's cursor does.
    assert block is not None and block.group(1).count("\n") <= 50


def test_sgr_parameter_of_5000_digits_is_clamped_not_fatal(tmp_path: Path) -> None:
    case = next(case for case in PATHOLOGICAL if case.name == "sgr-5000-digits")
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(case.small()))
    outcome = run_bounded(["report", evidence, "--no-pdf", "-o", tmp_path])
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    html = (tmp_path / "informe.html").read_text(encoding="utf-8")
    # Colour 5 of 256 clamps to the last grey of the palette; the text is there.
    assert '<span style="color:#eeeeee">rojo</span>' in html and "negrita" in html


def test_terminal_pictures_of_a_huge_line_are_bounded_too(tmp_path: Path) -> None:
    case = next(case for case in PATHOLOGICAL if case.name == "line-10mb")
    evidence = tmp_path / "evidence.json"
    evidence.write_bytes(dump(case.small()))
    outcome = run_bounded(["report", evidence, "--images", "--no-pdf", "-o", tmp_path], memory_bytes=1024**3)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    html = (tmp_path / "informe.html").read_text(encoding="utf-8")
    pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert pictures  # one per step that ran
    # A picture of the cut line: a few rows of 240 columns, not 10 MB of them.
    assert max(len(picture) for picture in pictures) < 400_000
