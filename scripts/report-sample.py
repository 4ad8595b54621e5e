"""Re-make reports/ejemplo/: the report of the real evidence in tests/data, and a picture of
its cover, first steps and summary (with its chart) for the README.

    .venv/bin/python scripts/report-sample.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from labcheck.report.api import ReportOptions, render_report

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
OUT = ROOT / "reports" / "ejemplo"
PAGES = 4


def summary_page(pdf: Path) -> int:
    """The page where the summary (and its chart) starts: the one whose running header says so."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    for number, page in enumerate(text.decode("utf-8").split("\f"), start=1):
        if page.lstrip().startswith("Resumen") or "\nResumen\n" in page:
            return number
    return PAGES


def first_pages_png(pdf: Path, target: Path) -> None:
    """The cover, the first pages of steps and the summary with its chart, side by side."""
    wanted = [1, PAGES, PAGES + 1, summary_page(pdf)]
    with tempfile.TemporaryDirectory() as folder:
        for page in wanted:
            only = ["-f", str(page), "-l", str(page)]
            target_prefix = f"{folder}/p-{page:03}"
            subprocess.run(["pdftoppm", "-r", "70", *only, "-png", str(pdf), target_prefix], check=True)
        pages = [Image.open(path).convert("RGB") for path in sorted(Path(folder).glob("p-*.png"))]
        gap = 12
        width = sum(page.width for page in pages) + gap * (len(pages) + 1)
        height = max(page.height for page in pages) + 2 * gap
        sheet = Image.new("RGB", (width, height), "#9aa0a6")
        x = gap
        for page in pages:
            sheet.paste(page, (x, gap))
            x += page.width + gap
        sheet.quantize(colors=128).save(target, optimize=True)


def main() -> int:
    options = ReportOptions(student_name="Estudiante de ejemplo", group="Grupo A")
    paths = render_report(EVIDENCE, OUT, options=options)
    assert paths.pdf is not None
    first_pages_png(paths.pdf, OUT / "primeras-paginas.png")
    print(f"{paths.html}\n{paths.pdf}\n{OUT / 'primeras-paginas.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
