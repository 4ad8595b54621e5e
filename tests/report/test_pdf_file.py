"""informe.pdf is only ever a complete PDF: written beside it and renamed once whole; a render
that is interrupted leaves no partial file and no older PDF posing as this report's. Real
WeasyPrint, a real SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from labcheck.report.html import report_html
from labcheck.report.model import evidence_view
from labcheck.report.options import StudentInfo
from labcheck.report.pdf import write_pdf
from tests.real_evidence import as_evidence, load_real_evidence

ROOT = Path(__file__).resolve().parents[2]


def bundled_report_html() -> str:
    view = evidence_view(as_evidence(load_real_evidence()))
    return report_html(view, StudentInfo("Ana", "1"), "2026-01-15T10:00:00+00:00")


def partial_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def test_a_complete_pdf_replaces_the_older_one(tmp_path: Path) -> None:
    target = tmp_path / "informe.pdf"
    target.write_bytes(b"an older PDF")
    write_pdf(bundled_report_html(), target, base_dir=tmp_path)
    assert target.read_bytes().startswith(b"%PDF-") and target.read_bytes().rstrip().endswith(b"%%EOF")
    assert partial_files(tmp_path) == []


INTERRUPTED = textwrap.dedent(
    """\
    import signal, sys
    from pathlib import Path

    # Ctrl-C as a terminal program has it, even when started by a process that ignores it (an
    # ignored signal stays ignored across exec, and Python then installs no handler of its own).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from labcheck.report.pdf import write_pdf
    from labcheck.report.weasy import import_weasyprint
    from tests.report.test_pdf_file import bundled_report_html

    target = Path(sys.argv[1])
    html = bundled_report_html() * 4  # seconds of rendering: long enough to be interrupted
    import_weasyprint()
    print("rendering", flush=True)
    write_pdf(html, target, base_dir=target.parent)
    print("written", flush=True)
    """
)


def test_ctrl_c_while_rendering_leaves_no_pdf_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "informe.pdf"
    target.write_bytes(b"an older PDF")
    renderer = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert renderer.stdout is not None
    assert renderer.stdout.readline() == "rendering\n"
    time.sleep(0.5)  # into write_pdf: the render itself takes seconds
    os.kill(renderer.pid, signal.SIGINT)
    stdout, stderr = renderer.communicate(timeout=300)
    assert "written" not in stdout and "KeyboardInterrupt" in stderr
    assert not target.exists(), "an older PDF must not pass for this report's"
    assert partial_files(tmp_path) == []
