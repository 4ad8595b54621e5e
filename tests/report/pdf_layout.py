"""Where the text of a PDF sits on its pages, read with pdftotext -bbox-layout (poppler)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

_MM = 72 / 25.4
# The page boxes of style.css: text outside them is a running header or footer.
TOP_MARGIN_MM = {False: 20, True: 16}
BOTTOM_MARGIN_MM = {False: 18, True: 15}
_NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float
    height: float  # of its tallest word: the font size, roughly 1.16 times it


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]  # inside the page box (running headers and footers left out), top to bottom

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def box_top(self) -> float:
        return TOP_MARGIN_MM[self.landscape] * _MM

    @property
    def box_bottom(self) -> float:
        return self.height - BOTTOM_MARGIN_MM[self.landscape] * _MM

    @property
    def fullness(self) -> float:
        """How much of the page box its text reaches down to (0 to 1)."""
        if not self.lines:
            return 0.0
        lowest = max(line.bottom for line in self.lines)
        return (lowest - self.box_top) / (self.box_bottom - self.box_top)


def pdf_pages(pdf: Path) -> list[Page]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    root = ET.fromstring(done.stdout.decode("utf-8"))
    pages = []
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        width, height = float(page.get("width", 0)), float(page.get("height", 0))
        landscape = width > height
        top, bottom = TOP_MARGIN_MM[landscape] * _MM, height - BOTTOM_MARGIN_MM[landscape] * _MM
        lines = []
        for line in page.iter(f"{_NS}line"):
            words = list(line.iter(f"{_NS}word"))
            y_min, y_max = float(line.get("yMin", 0)), float(line.get("yMax", 0))
            if not words or y_max <= top or y_min >= bottom:
                continue
            tallest = max(float(w.get("yMax", 0)) - float(w.get("yMin", 0)) for w in words)
            lines.append(Line(" ".join(w.text or "" for w in words), y_min, y_max, tallest))
        lines.sort(key=lambda line: (line.top, line.text))
        pages.append(Page(number, width, height, tuple(lines)))
    return pages
