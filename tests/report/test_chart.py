"""The summary's chart of the lab, read back from the report's own SVG: one bar per top-level
section, lengths in proportion to its steps, labels whole (wrapped, never overlapping)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from tests.report.conftest import render

SVG = "{http://www.w3.org/2000/svg}"


def chart_of(html: str) -> ET.Element:
    found = re.search(r'<svg class="chart".*?</svg>', html, re.S)
    assert found, "the report has no chart"
    return ET.fromstring(found.group(0))


def rows_of(chart: ET.Element) -> list[tuple[list[str], list[float], list[float], list[str]]]:
    """Per bar: its label's lines, their baselines, its segments' widths and their tooltips."""
    group = chart.find(f"{SVG}g")
    assert group is not None
    rows: list[tuple[list[str], list[float], list[float], list[str]]] = []
    for element in group:
        if element.tag == f"{SVG}text" and element.get("x") == "0":
            baseline = float(element.get("y", "0"))
            lines, baselines = [], []
            for span in element.findall(f"{SVG}tspan"):
                baseline += float(span.get("dy", "0"))
                lines.append(span.text or "")
                baselines.append(baseline)
            rows.append((lines, baselines, [], []))
        elif element.tag == f"{SVG}rect" and rows and element.find(f"{SVG}title") is not None:
            rows[-1][2].append(float(element.get("width", "0")))
            rows[-1][3].append(element.findtext(f"{SVG}title") or "")
    return rows


def test_one_bar_per_section_in_proportion_to_its_steps(evidence: dict[str, Any], tmp_path: Path) -> None:
    rows = rows_of(chart_of(render(evidence, tmp_path, pdf=False).html))
    tops = [s for s in evidence["spec"]["sections"] if s["level"] == 1]
    assert [" ".join(lines) for lines, *_ in rows] == [f"{s['number']} {s['title']}" for s in tops]
    counts = [
        sum(1 for step in evidence["steps"] if step["section"].split(".")[0] == s["number"]) for s in tops
    ]
    per_step = [sum(widths) / count for (_, _, widths, _), count in zip(rows, counts, strict=True)]
    assert max(per_step) - min(per_step) < 0.01, per_step
    skipped = next(
        tip for _, _, _, tips in rows for tip in tips if "omitido" in tip
    )  # the real run skipped one step
    assert skipped == "1 paso omitido"


def test_a_long_section_title_wraps_and_no_label_overlaps_the_next(
    evidence_copy: dict[str, Any], tmp_path: Path
) -> None:
    title = "Primeros contenedores con Alpine Linux, su aislamiento y lo que queda de ellos al salir"
    evidence_copy["spec"]["sections"][0]["title"] = title
    chart = chart_of(render(evidence_copy, tmp_path, pdf=False).html)
    rows = rows_of(chart)
    lines = rows[0][0]
    shown = " ".join(lines)
    # Too long for two lines: cut at a word, marked, and what is shown is the title's own start.
    assert len(lines) == 2 and shown.endswith(" …") and f"1 {title}".startswith(shown.removesuffix(" …"))
    assert len(shown) > 60  # the second line is used, not a short first line cut
    for (_, above, *_), (_, below, *_) in itertools.pairwise(rows):
        assert below[0] - above[-1] >= 12, (above, below)  # font-size 10: lines never touch
    assert float(chart.get("height", "0")) >= rows[-1][1][-1]
