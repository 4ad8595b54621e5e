"""HTML to PDF with WeasyPrint, fetching only local files and data: URLs."""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML, URLFetcher


def write_pdf(html: str, target: Path, *, base_dir: Path) -> Path:
    # A remote URL in untrusted Markdown is refused, and rendering goes on offline.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=str(base_dir.resolve()) + "/", url_fetcher=fetcher)
    document.write_pdf(target)
    return target
