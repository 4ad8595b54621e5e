"""Headless Chromium (Debian's `chromium`) laying out a report at a given window width, and what
its DOM measures: a small script added to a copy of the page (the report itself has none) writes
the figures into the DOM, and `--dump-dom` hands them back."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

MEASURE = """
<script>
(() => {
  const width = document.documentElement.clientWidth;
  const scrollers = '.term-out, .excerpt, svg';
  const overflowing = [];
  for (const element of document.body.querySelectorAll('*')) {
    // What is inside a block that scrolls sideways may be as wide as it is.
    if (element.parentElement && element.parentElement.closest(scrollers)) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const within = element.parentElement ? element.parentElement.className : '';
      const text = element.textContent.slice(0, 40);
      overflowing.push(`${element.tagName.toLowerCase()}.${element.className} in .${within}: ${text}`);
    }
  }
  // A word too long for its box sticks out of it while the box itself fits: measure the text too.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(scrollers)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const text = node.textContent.slice(0, 40);
    if (box.right > width + 1) overflowing.push(`text in ${node.parentElement.tagName}: ${text}`);
  }
  const terminals = [...document.querySelectorAll('.term-out')];
  const wide = terminals.filter((t) => t.scrollWidth > t.clientWidth + 1);
  const row = document.querySelector('.summary-table tbody tr');
  const toc = document.querySelector('nav.toc');
  const figures = {
    width,
    page_scroll_width: document.documentElement.scrollWidth,
    overflowing,
    wide_terminals: wide.length,
    wide_terminals_scrolling: wide.filter((t) => getComputedStyle(t).overflowX === 'auto').length,
    smallest_terminal_px: Math.min(...terminals.map((t) => parseFloat(getComputedStyle(t).fontSize))),
    summary_row_display: row ? getComputedStyle(row).display : null,
    toc_position: toc ? getComputedStyle(toc).position : null,
  };
  // Into the frame's parent, which is what --dump-dom prints.
  window.parent.document.body.setAttribute('data-measured', JSON.stringify(figures));
})();
</script>
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs it)")
    return found


def flags(width: int, height: int, profile: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ]


def measure(page: Path, width: int) -> dict[str, Any]:
    browser = chromium()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "medido.html"
        copy.write_text(
            page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8"
        )
        # Chromium keeps a window at least 500 px wide: a phone's width is an iframe's.
        frame = Path(folder) / "marco.html"
        frame.write_text(
            '<!DOCTYPE html><html><body style="margin:0">'
            f'<iframe src="{copy.name}" style="border:0;width:{width}px;height:900px"></iframe>'
            "</body></html>",
            encoding="utf-8",
        )
        done = subprocess.run(
            [
                browser,
                *flags(max(width, 500) + 100, 1000, f"{folder}/profile"),
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
                "--dump-dom",
                frame.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    found = re.search(r'data-measured="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    figures: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return figures
