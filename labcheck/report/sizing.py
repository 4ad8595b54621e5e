"""How big to print a terminal block so that its widest line fits the page whole.

Numbers follow style.css: A4 with 15 mm side margins (12 mm on landscape pages), a block padding of 5 pt each
side, DejaVu Sans Mono whose advance is 1233/2048 em. A block is sized from its
widest line, 8 pt down to 5.5 pt; wider than a portrait page holds at 5.5 pt, it
goes on a landscape page; wider than that, it is hard-wrapped with a visible mark.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MONO_ADVANCE_EM = 1233 / 2048
MAX_PT = 8.0
MIN_PT = 5.5
_MM = 72 / 25.4
SIDE_MARGIN_MM = 15
LANDSCAPE_SIDE_MARGIN_MM = 12
BLOCK_PADDING_PT = 5 + 1  # padding plus border, each side
PORTRAIT_WIDTH_PT = (210 - 2 * SIDE_MARGIN_MM) * _MM - 2 * BLOCK_PADDING_PT
LANDSCAPE_WIDTH_PT = (297 - 2 * LANDSCAPE_SIDE_MARGIN_MM) * _MM - 2 * BLOCK_PADDING_PT
# A small safety margin: rounding in the layout must never push the last column out.
_SAFETY = 0.985


def columns_at(points: float, width_pt: float) -> int:
    return math.floor(width_pt * _SAFETY / (points * MONO_ADVANCE_EM))


PORTRAIT_COLUMNS = columns_at(MIN_PT, PORTRAIT_WIDTH_PT)
LANDSCAPE_COLUMNS = columns_at(MIN_PT, LANDSCAPE_WIDTH_PT)
WRAP_COLUMNS = columns_at(7.0, PORTRAIT_WIDTH_PT)
# A block turns the page only for a table: this many lines too wide for portrait. One long line of
# JSON, or an `ls` row spread over a wide pty, is wrapped on a portrait page instead.
LANDSCAPE_MIN_LINES = 3


@dataclass(frozen=True)
class BlockSize:
    font_pt: float
    landscape: bool
    wrap_at: int | None  # hard-wrap column when even a landscape page is too narrow


def _fit(columns: int, width_pt: float) -> float:
    if columns <= 0:
        return MAX_PT
    points = width_pt * _SAFETY / (columns * MONO_ADVANCE_EM)
    return max(MIN_PT, min(MAX_PT, math.floor(points * 10) / 10))


def block_size_for(widths: Sequence[int]) -> BlockSize:
    """The size of a block from the real widths of its lines (trailing spaces not counted)."""
    widest = max(widths, default=0)
    too_wide = sum(1 for width in widths if width > PORTRAIT_COLUMNS)
    if too_wide == 0 or too_wide >= LANDSCAPE_MIN_LINES:
        return block_size(widest)
    fitting = max((width for width in widths if width <= PORTRAIT_COLUMNS), default=0)
    points = max(7.0, _fit(fitting, PORTRAIT_WIDTH_PT))
    return BlockSize(points, landscape=False, wrap_at=columns_at(points, PORTRAIT_WIDTH_PT))


def block_size(widest: int) -> BlockSize:
    if widest <= PORTRAIT_COLUMNS:
        return BlockSize(_fit(widest, PORTRAIT_WIDTH_PT), landscape=False, wrap_at=None)
    if widest <= LANDSCAPE_COLUMNS:
        return BlockSize(_fit(widest, LANDSCAPE_WIDTH_PT), landscape=True, wrap_at=None)
    return BlockSize(7.0, landscape=False, wrap_at=WRAP_COLUMNS)
