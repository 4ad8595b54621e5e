"""The printed report of the real run, measured from the PDF's text positions: no heading left at the
foot of a page without what it heads, no page almost empty, landscape only for a wide table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import Rendered
from tests.report.pdf_layout import Page, pdf_pages

MIN_FULLNESS = 0.15
STEP_HEADING_PT = 10.5  # .step-title in style.css; body text is 9.5 pt, the contents 8.5 to 9.5 pt
SECTION_HEADING_PT = 12.0


def headings(page: Page, evidence: dict[str, Any]) -> list[int]:
    """Indexes of the page's lines that are step or section headings (by text and by size)."""
    numbers = {str(step["number"]) for step in evidence["steps"]}
    found = []
    for index, line in enumerate(page.lines):
        words = line.text.split()
        is_step = (
            len(words) >= 2
            and words[0] == "Paso"
            and words[1] in numbers
            and line.height > STEP_HEADING_PT * 1.12
        )
        is_section = bool(words) and words[0][:1].isdigit() and line.height > SECTION_HEADING_PT * 1.12
        if is_step or is_section:
            found.append(index)
    return found


@pytest.fixture(scope="module")
def pages(rendered: Rendered) -> list[Page]:
    assert rendered.paths.pdf is not None
    return pdf_pages(rendered.paths.pdf)


def test_no_heading_is_the_last_thing_on_its_page(pages: list[Page], evidence: dict[str, Any]) -> None:
    stranded = []
    for page in pages:
        found = headings(page, evidence)
        # Some text must follow the heading on its page (a heading's own second line does not count).
        for index in found:
            below = [line for line in page.lines[index + 1 :] if line.height <= STEP_HEADING_PT * 1.12]
            if not below:
                stranded.append((page.number, page.lines[index].text))
    assert stranded == []
    # The measure itself sees headings: the bundled lab has one per step.
    assert sum(len(headings(page, evidence)) for page in pages) >= len(evidence["steps"])


def test_no_page_is_almost_empty_but_the_last(pages: list[Page]) -> None:
    thin = [(page.number, round(page.fullness, 2)) for page in pages[:-1] if page.fullness < MIN_FULLNESS]
    assert thin == []


def test_the_bundled_lab_prints_in_portrait(pages: list[Page]) -> None:
    """Its widest outputs are one line of JSON and an `ls` row spread over the pty: wrapped, not turned."""
    assert [page.number for page in pages if page.landscape] == []


def test_a_wide_table_still_turns_the_page(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    import base64

    from tests.report.conftest import render

    step = evidence_copy["steps"][0]
    table = "".join(f"{'row-' + str(n):<20}" + "x" * 170 + "\r\n" for n in range(5))
    step["transcript"]["raw_b64"] = base64.b64encode(table.encode()).decode()
    result = render(evidence_copy, tmp_path)
    assert result.paths.pdf is not None
    assert any(page.landscape for page in pdf_pages(result.paths.pdf))
