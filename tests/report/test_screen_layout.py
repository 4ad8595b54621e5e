"""The HTML report on screen, laid out by a real Chromium at a wide monitor's and a phone's width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.report.chromium import measure
from tests.report.conftest import Rendered

READABLE_PX = 12  # a terminal block reads at least at this size on screen, whatever its print size


@pytest.fixture(scope="module", params=[1400, 400], ids=["wide", "phone"])
def figures(request: pytest.FixtureRequest, rendered: Rendered) -> tuple[int, dict[str, Any]]:
    width = int(request.param)
    return width, measure(rendered.paths.html, width)


def test_nothing_overflows_the_window_but_the_terminals(figures: tuple[int, dict[str, Any]]) -> None:
    width, measured = figures
    assert measured["width"] <= width
    assert measured["overflowing"] == []
    assert measured["page_scroll_width"] <= measured["width"]


def test_wide_terminals_scroll_at_a_readable_size(figures: tuple[int, dict[str, Any]]) -> None:
    width, measured = figures
    assert measured["smallest_terminal_px"] >= READABLE_PX
    assert measured["wide_terminals_scrolling"] == measured["wide_terminals"]
    if width == 400:
        # The bundled lab has tables wider than a phone: they are there, and they scroll.
        assert measured["wide_terminals"] > 0


def test_summary_reflows_on_a_phone_and_contents_stay_at_hand_when_wide(
    figures: tuple[int, dict[str, Any]],
) -> None:
    width, measured = figures
    if width == 400:
        assert measured["summary_row_display"] == "block"
    else:
        assert measured["summary_row_display"] == "table-row"
        assert measured["toc_position"] == "sticky"


def test_the_report_itself_has_no_script(rendered: Rendered) -> None:
    assert "<script" not in rendered.html.lower()
