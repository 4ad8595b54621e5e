"""The PDF renders in a child process: killed at its time limit, a crash told in words, Ctrl-C
leaves nothing running, and the target is only ever a complete PDF. Real WeasyPrint, real
processes and signals (Linux).

The renderer forks only in a process with no other thread (a pytest session has some: pytest-
rerunfailures serves its status from one), so the forking cases run in a fresh Python, as
`labcheck report` does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from labcheck.report import pdf
from labcheck.report.html import report_html
from labcheck.report.model import evidence_view
from labcheck.report.options import StudentInfo
from tests.real_evidence import as_evidence, load_real_evidence

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the renderer forks on Linux only")

RENDER = textwrap.dedent(
    """\
    import resource, sys
    from pathlib import Path
    from labcheck.report import pdf
    from tests.report.test_pdf_process import bundled_report_html

    target, copies, timeout = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    html = bundled_report_html() * copies if copies else "<p>hola</p>"
    try:
        pdf.write_pdf(html, target, base_dir=target.parent, timeout=timeout)
    except pdf.PdfFailed as error:
        print(f"failed: {error}", flush=True)
        sys.exit(3)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"children cpu {children.ru_utime + children.ru_stime:.3f}")
    """
)


def bundled_report_html() -> str:
    view = evidence_view(as_evidence(load_real_evidence()))
    return report_html(view, StudentInfo("Ana", "1"), "2026-01-15T10:00:00+00:00")


def start_renderer(
    target: Path, copies: int, timeout: float = 300, marker: str = ""
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", RENDER, str(target), str(copies), str(timeout), marker],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LANG": "C", "LC_ALL": "C"},
    )


def render(target: Path, copies: int, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    process = start_renderer(target, copies, timeout)
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def processes_with(marker: str) -> list[str]:
    found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "pgrep" not in line]


def renderer_child(parent: int, timeout: float = 60) -> int:
    """The renderer forked by parent: a child with the parent's own command line (the caller may
    run other, short-lived programs before it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        own = Path(f"/proc/{parent}/cmdline").read_bytes()  # empty for a moment after the spawn
        found = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
        for pid in found:
            try:
                if own and Path(f"/proc/{pid}/cmdline").read_bytes() == own:
                    return int(pid)
            except FileNotFoundError:
                continue  # ended already
        time.sleep(0.05)
    raise AssertionError("the renderer's child never started")


def test_the_pdf_is_rendered_by_a_child_and_replaces_the_target_whole(tmp_path: Path) -> None:
    target = tmp_path / "informe.pdf"
    target.write_bytes(b"an older PDF")
    done = render(target, copies=1)
    assert done.returncode == 0, done.stdout + done.stderr
    assert target.read_bytes().startswith(b"%PDF-") and target.stat().st_size > 50_000
    children_cpu = float(done.stdout.split("children cpu ")[1])
    assert children_cpu > 0.5, "no child did the rendering"
    assert leftovers(tmp_path) == []


def test_a_render_over_its_time_limit_is_stopped_and_leaves_no_pdf(tmp_path: Path) -> None:
    target = tmp_path / "informe.pdf"
    target.write_bytes(b"an older PDF")
    marker = f"labcheck-test-{uuid.uuid4().hex}"
    # The bundled lab's PDF takes seconds to render: a limit of 0.3 s stops it half-way.
    process = start_renderer(target, copies=1, timeout=0.3, marker=marker)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 3, stdout + stderr
    assert "failed: the PDF took longer than 0.3 s to render and was stopped" in stdout
    assert not target.exists(), "an older PDF must not pass for this report's"
    assert leftovers(tmp_path) == []
    assert processes_with(marker) == [], "the stopped renderer is left running"


def test_an_error_in_the_renderer_is_told_in_words(tmp_path: Path) -> None:
    done = render(tmp_path / "no-such-folder" / "informe.pdf", copies=0)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "failed: the PDF could not be rendered: FileNotFoundError: " in done.stdout
    assert "no-such-folder" in done.stdout and "Traceback" not in done.stderr


def test_a_renderer_that_dies_is_said_and_the_caller_goes_on(tmp_path: Path) -> None:
    caller = start_renderer(tmp_path / "informe.pdf", copies=4)  # long enough to be caught rendering
    os.kill(renderer_child(caller.pid), signal.SIGKILL)  # as the kernel's OOM killer would
    stdout, stderr = caller.communicate(timeout=120)
    assert caller.returncode == 3, stdout + stderr
    assert "failed: the PDF renderer was stopped by SIGKILL" in stdout
    assert not (tmp_path / "informe.pdf").exists() and leftovers(tmp_path) == []


def test_ctrl_c_while_rendering_leaves_nothing_running(tmp_path: Path) -> None:
    marker = f"labcheck-test-{uuid.uuid4().hex}"
    caller = start_renderer(tmp_path / "informe.pdf", copies=4, marker=marker)
    child = renderer_child(caller.pid)
    # Ctrl-C reaches the whole foreground group; here the caller and its child get it by hand.
    for pid in (caller.pid, child):
        os.kill(pid, signal.SIGINT)
    _, stderr = caller.communicate(timeout=120)
    assert caller.returncode != 0 and "KeyboardInterrupt" in stderr
    assert processes_with(marker) == []
    assert not (tmp_path / "informe.pdf").exists() and leftovers(tmp_path) == []


def test_with_other_threads_running_the_pdf_is_rendered_in_this_process(tmp_path: Path) -> None:
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert not pdf.forking_is_safe()
        target = tmp_path / "informe.pdf"
        pdf.write_pdf("<p>hola</p>", target, base_dir=tmp_path)
    finally:
        release.set()
        waiting.join()
    assert target.read_bytes().startswith(b"%PDF-") and leftovers(tmp_path) == []
