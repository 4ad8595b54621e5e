"""Styled terminal lines as escaped HTML spans (inline colours, no classes needed)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from labcheck.terminal.screen import Run, Style


def style_css(style: Style) -> str:
    fg, bg = style.colours()
    parts: list[str] = []
    if fg:
        parts.append(f"color:{fg}")
    if bg:
        parts.append(f"background-color:{bg}")
    if style.bold:
        parts.append("font-weight:bold")
    if style.italic:
        parts.append("font-style:italic")
    decorations = [
        name for name, on in (("underline", style.underline), ("line-through", style.strike)) if on
    ]
    if decorations:
        parts.append("text-decoration:" + " ".join(decorations))
    if style.dim and not fg:
        # A dimmer grey instead of opacity, which scrambles the PDF's text order.
        parts.append("color:#9a9a9a")
    return ";".join(parts)


def line_html(runs: Iterable[Run]) -> str:
    pieces: list[str] = []
    for run in runs:
        text = escape(run.text, quote=False)
        css = style_css(run.style)
        pieces.append(f'<span style="{css}">{text}</span>' if css else text)
    return "".join(pieces)
