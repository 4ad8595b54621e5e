"""`labcheck report --from`: the student's pictures come only from their Markdown's folder, are
the images they claim to be, and are bounded; the Markdown file itself is a bounded regular file."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.errors import LabcheckError
from labcheck.report.api import ReportOptions, render_report
from tests.hostile.files_inputs import PICTURE_ATTACKS, SECRET_KEY, fifo, huge_sparse, real_png
from tests.real_evidence import EVIDENCE

MEMORY_LIMIT = 2 * 1024**3


def student_folder(tmp_path: Path, picture: str) -> Path:
    folder = tmp_path / "alumno"
    (folder / "img").mkdir(parents=True)
    markdown = folder / "informe.md"
    markdown.write_text(
        f"# Mi informe\n\nUn diagrama mío:\n\n![diagrama](img/{picture})\n\nFin.\n", encoding="utf-8"
    )
    return markdown


def render(markdown: Path, out: Path) -> str:
    options = ReportOptions(from_markdown=markdown, pdf=False, generated_at="2026-01-15T10:00:00+00:00")
    return render_report(EVIDENCE, out, options=options).html.read_text(encoding="utf-8")


@pytest.mark.parametrize("attack", sorted(PICTURE_ATTACKS))
def test_every_picture_attack_is_refused_naming_file_and_line(attack: str, tmp_path: Path) -> None:
    make, expected = PICTURE_ATTACKS[attack]
    markdown = student_folder(tmp_path, "diagrama.png")
    make(markdown.parent / "img" / "diagrama.png")
    out = tmp_path / "out"
    with pytest.raises(LabcheckError) as refused:
        render(markdown, out)
    message = str(refused.value)
    assert message.startswith("the report was not written")
    assert f"{markdown}:5: img/diagrama.png: " in message
    assert expected in message
    assert not (out / "informe.html").exists()


def test_pictures_outside_the_folder_are_refused(tmp_path: Path) -> None:
    markdown = student_folder(tmp_path, "x.png")
    real_png(tmp_path / "fuera.png")
    text = markdown.read_text().replace("img/x.png", "../fuera.png")
    markdown.write_text(text + f"\n![abs]({tmp_path / 'fuera.png'})\n")
    with pytest.raises(LabcheckError) as refused:
        render(markdown, tmp_path / "out")
    message = str(refused.value)
    assert f"{markdown}:5: ../fuera.png: is outside the Markdown file's folder: not read" in message
    assert f"{markdown}:9: {tmp_path / 'fuera.png'}: is outside the Markdown file's folder" in message


def test_a_real_picture_is_embedded_and_a_missing_one_named(tmp_path: Path) -> None:
    markdown = student_folder(tmp_path, "diagrama.png")
    real_png(markdown.parent / "img" / "diagrama.png")
    (markdown.parent / "img" / "alias.png").symlink_to("diagrama.png")  # a link inside: fine
    markdown.write_text(markdown.read_text() + "\n![otro](img/alias.png)\n\n![falta](img/falta.png)\n")
    html = render(markdown, tmp_path / "out")
    assert html.count('<img src="data:image/png;base64,') == 2
    assert "[falta: img/falta.png]" in html


def test_a_markdown_file_that_is_a_fifo_or_huge_is_refused(tmp_path: Path) -> None:
    for make, expected in ((fifo, "is a FIFO (named pipe), not a regular file"), (huge_sparse, "is too big")):
        markdown = tmp_path / f"{make.__name__}.md"
        make(markdown)
        with pytest.raises(LabcheckError, match=expected.replace("(", r"\(").replace(")", r"\)")):
            render(markdown, tmp_path / "out")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("attack", ["symlink-dev-zero", "device", "huge", "fifo", "pixel-bomb"])
def test_the_command_refuses_within_bounds_without_a_traceback(attack: str, tmp_path: Path) -> None:
    """In a child with 2 GB of address space: reading /dev/zero or a 20 GB file would die there;
    a FIFO would block until the child's deadline (a failed test, not a hung suite)."""
    make, expected = PICTURE_ATTACKS[attack]
    markdown = student_folder(tmp_path, "diagrama.png")
    make(markdown.parent / "img" / "diagrama.png")
    command = [sys.executable, "-m", "labcheck", "report", str(EVIDENCE), "-o", str(tmp_path / "out")]
    env = {**os.environ, "LABCHECK_SIGNING_KEY": SECRET_KEY}
    done = subprocess.run(
        [*command, "--from", str(markdown), "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_memory,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert expected in done.stderr
