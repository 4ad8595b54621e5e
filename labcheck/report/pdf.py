"""HTML to PDF with WeasyPrint, fetching only local files and data: URLs, in a child process.

The report may hold a student's own Markdown (`labcheck report --from`), so the renderer is treated
like a lab step: it runs in a forked child that is killed at a time limit, and a renderer that
crashes, hangs or is killed leaves the caller (a pytest session, a batch of `verify --rerender`)
standing, with the HTML report and the evidence already written and no half-written PDF. The
child also ends without tearing down WeasyPrint's ~200,000 objects one by one (a quarter of a
second for the bundled lab's report): the operating system takes its memory back at once.

Where a fork is not safe (not Linux, or other threads running, whose locks a child would copy
held), the PDF is rendered in this process, with the same partial-file guarantee.
"""

from __future__ import annotations

import gc
import logging
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from labcheck.errors import LabcheckError
from labcheck.i18n import cli
from labcheck.report.weasy import import_weasyprint

RENDER_TIMEOUT_S = 300.0  # the largest report labcheck prints takes ~15 s on a slow laptop
_WARM_UP_HTML = (
    "<html><body style=\"font-family: 'DejaVu Sans'\">a <b>b</b> "
    "<code style=\"font-family: 'DejaVu Sans Mono'\">c <b>d</b></code></body></html>"
)
_warmed_up = False


class PdfFailed(LabcheckError):
    """The PDF renderer failed, crashed or ran out of time (the HTML report is kept)."""


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


def render_pdf(html: str, target: Path, base_dir: Path) -> None:
    """WeasyPrint itself, in whatever process calls it."""
    import_weasyprint()
    from weasyprint import HTML, URLFetcher

    # A remote URL in untrusted Markdown is refused, and rendering goes on offline.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with cyclic_gc_paused():
        document = HTML(string=html, base_url=str(base_dir.resolve()) + "/", url_fetcher=fetcher)
        document.write_pdf(target)


def forking_is_safe() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def write_pdf(html: str, target: Path, *, base_dir: Path, timeout: float = RENDER_TIMEOUT_S) -> Path:
    """Render html into target. Target becomes a complete PDF or, when rendering fails, is gone:
    an older PDF beside a newer HTML report would pass for it."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        if forking_is_safe():
            _warm_up()
            _render_in_child(html, partial, base_dir, timeout)
        else:
            render_pdf(html, partial, base_dir)
        partial.replace(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        partial.unlink(missing_ok=True)
    return target


def _warm_up() -> None:
    """Load Pango, fontconfig and the report's fonts once in this process, so that every child
    starts warm (a child's caches die with it)."""
    global _warmed_up
    if not _warmed_up:
        import_weasyprint()
        from weasyprint import HTML

        with cyclic_gc_paused():
            HTML(string=_WARM_UP_HTML).write_pdf()
        _warmed_up = True


def _render_in_child(html: str, target: Path, base_dir: Path, timeout: float) -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, say what went wrong if anything, and end right there
        os.close(read_end)
        code = 0
        try:
            for number in (signal.SIGINT, signal.SIGTERM):
                # The parent's Python handlers are its own (they stop steps, write evidence): here
                # a signal just ends the child; one the parent ignores stays ignored.
                if signal.getsignal(number) is not signal.SIG_IGN:
                    signal.signal(number, signal.SIG_DFL)
            render_pdf(html, target, base_dir)
        except BaseException as error:  # everything, KeyboardInterrupt too, is told to the parent
            os.write(write_end, f"{type(error).__name__}: {error}".encode(errors="replace")[:4000])
            code = 1
        finally:
            os._exit(code)  # no parent's finally blocks, atexit hooks or teardown in the child
    os.close(write_end)
    try:
        said = _read_until_closed(read_end, timeout)
    except BaseException:  # Ctrl-C here: the child got it too, but is not left behind either way
        _kill(pid)
        raise
    finally:
        os.close(read_end)
    if said is None:
        _kill(pid)
        t = cli()
        seconds = t.number(int(timeout)) if timeout.is_integer() else t.decimal(timeout, 1)
        raise PdfFailed(
            t.format("the PDF took longer than {seconds} s to render and was stopped", seconds=seconds)
        )
    _, status = os.waitpid(pid, 0)  # it closed its end by ending
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise PdfFailed(cli().format("the PDF renderer was stopped by {signal}", signal=name))
    if os.WEXITSTATUS(status) != 0:
        raise PdfFailed(cli().format("the PDF could not be rendered: {error}", error=said.strip()))


def _read_until_closed(fd: int, timeout: float) -> str | None:
    """What the child wrote before closing its end (it closes on exit); None at the time limit."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 4096)
        if not chunk:
            return b"".join(chunks).decode(errors="replace")
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
