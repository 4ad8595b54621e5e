"""HTML to PDF with WeasyPrint, fetching only local files and data: URLs.

The PDF is written beside its target and renamed into place once whole, so informe.pdf is only
ever a complete PDF: a render that fails or is interrupted (Ctrl-C) leaves no half-written file,
and removes an older informe.pdf that would otherwise pass for the report of this evidence.

Rendering in a forked child (to kill a hung renderer at a time limit and skip the teardown of
WeasyPrint's objects) was measured and left out: copy-on-write of the parent's warm heap made a
render 0.2-0.3 s slower than here (medians of 6, 2.93 s against 3.12 s), and the report's input
is bounded already (labcheck/report/limits.py).
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from labcheck.report.weasy import import_weasyprint


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a while, back as it was afterwards.

    WeasyPrint builds hundreds of thousands of long-lived objects (boxes, styles, layouts) that
    stay alive until the PDF is written, so every full collection during a render walks them
    all and frees next to nothing: for the bundled lab's report, 4 full and 44 middle collections
    cost about a fifth of the render's CPU time; paused, peak memory grows by ~2% (113 -> 116 MiB).
    Memory freed by reference counting is freed as always.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(html: str, target: Path, *, base_dir: Path) -> Path:
    """Render html into target: a complete PDF, or no file at all when rendering fails."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        import_weasyprint()
        from weasyprint import HTML, URLFetcher

        # A remote URL in untrusted Markdown is refused, and rendering goes on offline.
        fetcher = URLFetcher(allowed_protocols={"file", "data"})
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        with cyclic_gc_paused():
            document = HTML(string=html, base_url=str(base_dir.resolve()) + "/", url_fetcher=fetcher)
            document.write_pdf(partial)
        partial.replace(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        partial.unlink(missing_ok=True)
    return target
