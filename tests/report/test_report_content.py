"""The report of a real run, read back from the PDF as a person (or a search) would read it."""

from __future__ import annotations

import base64
import html
import re
import subprocess
from pathlib import Path
from typing import Any

from labcheck.report.blocks import WRAP_MARK
from labcheck.report.model import step_view
from labcheck.report.sizing import LANDSCAPE_COLUMNS
from labcheck.terminal import to_text
from tests.real_evidence import as_evidence
from tests.report.conftest import Rendered, render


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_lines(rendered: Rendered) -> set[str]:
    return {squash(line) for line in rendered.text.splitlines()}


def test_every_command_is_in_the_pdf(rendered: Rendered, evidence: dict[str, Any]) -> None:
    flat = squash(rendered.text)
    joined = re.sub(r"\s+", "", rendered.text)
    for step in evidence["steps"]:
        command = squash(step["command"])
        # A long command may wrap inside its box; it must still be all there, in order.
        assert command in flat or re.sub(r"\s+", "", command) in joined, step["id"]


def test_spanish_words_keep_their_accents(rendered: Rendered, evidence: dict[str, Any]) -> None:
    for words in (
        "Índice",
        "Página 1 de",
        "Qué se comprobó",
        "Fecha de ejecución",
        "Cabeza de la cadena de evidencia",
        evidence["lab"]["title"],
    ):
        assert words in rendered.text, words
    first_title = evidence["steps"][0]["title"]
    assert first_title in rendered.text


def test_widest_line_of_every_transcript_is_whole(rendered: Rendered, evidence: dict[str, Any]) -> None:
    lines = pdf_lines(rendered)
    wrapped_text = re.sub(r"\s+", "", rendered.text.replace(WRAP_MARK.strip(), ""))
    for step in evidence["steps"]:
        text = to_text(base64.b64decode(step["transcript"]["raw_b64"]))
        if not text:
            continue
        widest = max(text.splitlines(), key=len)
        assert len(widest) <= LANDSCAPE_COLUMNS, "this evidence needs the hard-wrap path"
        wanted = squash(widest)
        if any(wanted in line for line in lines):
            continue
        # A line too wide for a portrait page, in a block that is no table, is wrapped with a mark:
        # all of it is there, in order, its rows run together.
        assert squash(widest).replace(" ", "") in wrapped_text, (step["id"], widest)


def _pdf_lines(pdf: Path) -> list[list[tuple[float, str]]]:
    """Words of the PDF with their left edge, grouped into lines, in reading order."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    lines: list[list[tuple[float, str]]] = []
    for page in done.stdout.decode().split("<page ")[1:]:
        by_y: dict[float, list[tuple[float, str]]] = {}
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            by_y.setdefault(round(float(y), 1), []).append((float(x), html.unescape(word)))
        lines.extend(sorted(words) for _, words in sorted(by_y.items()))
    return lines


def _columns(line: str) -> list[tuple[int, str]]:
    return [(match.start(), match.group()) for match in re.finditer(r"\S+", line)]


def test_wide_tables_keep_their_columns_aligned(rendered: Rendered, evidence: dict[str, Any]) -> None:
    # Every word of a table sits where its column says: x = x0 + column * advance.
    assert rendered.paths.pdf is not None
    lines = _pdf_lines(rendered.paths.pdf)
    texts = [[word for _, word in line] for line in lines]
    checked = 0
    for step in evidence["steps"]:
        text = to_text(base64.b64decode(step["transcript"]["raw_b64"]))
        if not text.startswith(("ID ", "REPOSITORY ", "CONTAINER ID ", "NAME ")):
            continue
        rows = [line for line in text.splitlines() if line.strip()]
        header = _columns(rows[0])
        wanted = [[word for _, word in _columns(row)] for row in rows]
        first = next(i for i in range(len(texts)) if texts[i : i + len(rows)] == wanted)
        x0 = lines[first][0][0]
        advance = (lines[first][-1][0] - x0) / header[-1][0]
        for number, row in enumerate(rows):
            cells = _columns(row)
            shown = lines[first + number]
            assert [word for _, word in shown] == [word for _, word in cells], step["id"]
            for (x, word), (column, _) in zip(shown, cells, strict=True):
                assert abs(x - (x0 + column * advance)) < 0.6, (step["id"], word)
        checked += 1
    assert checked >= 3


def test_no_escape_characters_anywhere(rendered: Rendered) -> None:
    assert "\x1b" not in rendered.html
    assert "\x1b" not in rendered.text
    assert "[0m" not in rendered.text and "[1A" not in rendered.text


def test_cover_facts_and_chain_head(rendered: Rendered, evidence: dict[str, Any]) -> None:
    cover = rendered.text.split("\f")[0]
    head = evidence["chain"]["head"]
    assert " ".join(head[i : i + 8] for i in range(0, 64, 8)) in cover
    # The committed evidence has no envelope beside it: the cover says it is unsigned.
    assert "Sin firma" in cover and "Firmada con Ed25519" not in cover
    for target in evidence["targets"].values():
        assert target["engine"]["version"] in cover
    if evidence["run"].get("standins"):
        assert "sustitutos etiquetados" in cover and "no las imágenes de Docker Hub" in cover


def test_contents_have_page_numbers(rendered: Rendered, evidence: dict[str, Any]) -> None:
    """On paper the contents list the sections with their pages; the steps are in the summary."""
    pages = rendered.text.split("\f")
    toc = pages[1]
    assert "Índice" in toc and "Cada paso figura, con su resultado, en el resumen." in squash(toc)
    for section in evidence["spec"]["sections"]:
        entry = next(line for line in toc.splitlines() if section["title"] in line)
        found = re.search(r"\S\s{2,}(\d+)\s*$", entry)
        assert found, entry
        # The page named is the page the section's heading is on.
        assert section["title"] in squash(pages[int(found.group(1)) - 1]), entry
    assert not any(step["title"] in toc for step in evidence["steps"][1:])


def test_verdicts_and_summary(rendered: Rendered, evidence: dict[str, Any]) -> None:
    summary = rendered.text.split("\f")
    # The summary, then the «Detalles» appendix of regular expressions.
    last_pages = "\n".join(summary[-6:])
    assert "Resumen" in last_pages
    assert f"Total: {evidence['summary']['total']} pasos" in squash(last_pages)
    labels = {"passed": "Superado", "failed": "Fallido", "skipped": "Omitido", "error": "Error"}
    for outcome in {step["outcome"] for step in evidence["steps"]}:
        assert labels[outcome] in rendered.text


def test_a_failed_step_shows_what_was_missing_and_where(
    evidence_copy: dict[str, Any], tmp_path: Path
) -> None:
    step = evidence_copy["steps"][0]
    step["outcome"] = "failed"
    check = next(c for c in step["checks"] if c["rule"].get("contains") == "Hello from Docker!")
    check.update(
        verdict="failed",
        expected="Hola desde Docker!",
        rule={"stream": "output", "contains": "Hola desde Docker!"},
    )
    lines = to_text(base64.b64decode(step["transcript"]["raw_b64"])).rstrip("\n").split("\n")
    where = next(n for n, line in enumerate(lines, start=1) if "Hello from Docker!" in line)
    nxt = evidence_copy["steps"][1]
    needs = {"code": "needs", "params": {"step": step["id"], "outcome": "failed"}}
    nxt.update(outcome="skipped", reason=needs)
    result = render(evidence_copy, tmp_path, pdf=False)
    text = html.unescape(re.sub(r"<[^>]+>", "", result.html))
    assert "la salida contiene «Hola desde Docker!»" in text
    assert f"no aparece «Hola desde Docker!»; lo más parecido está en la línea {where}:" in text
    # The line where it should have been, marked, with its neighbours.
    assert re.search(rf"{where} › Hello from Docker!", text)
    assert f"Motivo: depende del paso «{step['id']}», que falló" in text
    # Never a Python repr or raw JSON of what was checked.
    assert "{'" not in text and '{"' not in text


def test_each_thing_a_step_shows_is_said_once(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    """A badge marks a heading only when its step did not pass (a passed step says so in its
    verdict); "What was checked" is said on the verdict's line, once per step with checks; an
    explanation of one paragraph is its block's own text, of two, two paragraphs."""
    first, second = evidence_copy["steps"][0], evidence_copy["steps"][1]
    first["outcome"] = "failed"
    first["explanation"] = "Un solo párrafo con `código`."
    second["explanation"] = "Primero.\n\nSegundo."
    result = render(evidence_copy, tmp_path, pdf=False)
    headings = re.findall(r'<h4 class="step-title"[^>]*>(.*?)</h4>', result.html)
    outcomes = [step["outcome"] for step in evidence_copy["steps"]]
    assert len(headings) == len(outcomes)
    for heading, outcome in zip(headings, outcomes, strict=True):
        assert ("badge" in heading) == (outcome != "passed"), heading
    assert 'class="badge badge-failed">Fallido<' in headings[0]
    with_checks = sum(1 for step in evidence_copy["steps"] if step.get("checks"))
    assert result.html.count("Qué se comprobó:") == with_checks
    explanations = re.findall(r'<div class="explanation">(.*?)</div>', result.html, flags=re.S)
    assert explanations[0] == "Un solo párrafo con <code>código</code>."
    assert re.findall(r"<p>(.*?)</p>", explanations[1]) == ["Primero.", "Segundo."]


def test_hostile_transcript_and_markdown_are_escaped(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    step = evidence_copy["steps"][0]
    original = base64.b64decode(step["transcript"]["raw_b64"])
    hostile = (
        b"<script>alert('x')</script>\r\n\xff\xfe\xc3(broken utf-8)\r\n"
        b"\x1b]0;<img src=x onerror=alert(1)>\x07\x1b[31m<b>red</b>\x1b[0m\r\n" + original
    )
    step["transcript"]["raw_b64"] = base64.b64encode(hostile).decode()
    step["explanation"] = (
        "Texto <script>alert(1)</script> [enlace](javascript:alert(1)) "
        '<img src="x" onerror="alert(1)"> ![remota](https://example.invalid/pixel.png)'
    )
    result = render(evidence_copy, tmp_path)
    html = result.html
    assert "<script" not in html.lower()
    assert 'href="javascript' not in html.lower()
    assert not re.search(r"<[^>]+\son\w+=", html), "an event handler reached the HTML"
    assert 'src="https://' not in html and "src='https://" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html or (
        "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    )
    assert "\ufffd" in html
    assert "<script>alert('x')</script>" in result.text
    assert "\ufffd" in result.text
    assert "<b>red</b>" in result.text


def test_pictures_mode_embeds_pngs(evidence: dict[str, Any], tmp_path: Path) -> None:
    result = render(evidence, tmp_path, images=True, pdf=False)
    shown = [
        step for step in evidence["steps"] if step["outcome"] != "skipped" or step["transcript"]["raw_b64"]
    ]
    assert result.html.count('src="data:image/png;base64,') == len(shown)


def test_cli_renders_html_and_pdf(tmp_path: Path, evidence: dict[str, Any]) -> None:
    from labcheck.cli import main
    from tests.report.conftest import EVIDENCE

    config = tmp_path / "alumno.toml"
    config.write_text('[student]\nname = "Lucía Núñez"\ngroup = "2.º B"\n', encoding="utf-8")
    assert main(["report", str(EVIDENCE), "-o", str(tmp_path), "--config", str(config)]) == 0
    assert (tmp_path / "informe.html").is_file() and (tmp_path / "informe.pdf").is_file()
    html = (tmp_path / "informe.html").read_text(encoding="utf-8")
    assert "Lucía Núñez" in html and "2.º B" in html


def test_step_extras_for_pytest_html(evidence: dict[str, Any]) -> None:
    from labcheck.report.api import step_html_extra, terminal_png

    step = as_evidence(evidence).steps[0]
    png = terminal_png(step)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    snippet = step_html_extra(step)
    assert step_view(step).command in snippet
    assert "<script" not in snippet and "\x1b" not in snippet


def test_pdf_pages_render_to_pictures(rendered: Rendered, tmp_path: Path) -> None:
    assert rendered.paths.pdf is not None
    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "3", "-png", str(rendered.paths.pdf), str(tmp_path / "p")],
        check=True,
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 3
