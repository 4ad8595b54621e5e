"""The student's own report (Markdown) with each screenshot replaced by the captured output.

A screenshot is placed by an explicit marker, `![...](labcheck:STEP-ID)`, or else by
the nearest code (block or inline) before it that names a command of the lab,
looking back no further than the previous picture or heading. Consecutive
screenshots of the same step become one output, shown whole. Screenshots that
cannot be placed stay as they are and are reported with their line numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import unquote

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from labcheck import i18n
from labcheck.confined import FileRefused, Limits, read_regular
from labcheck.errors import LabcheckError
from labcheck.i18n import N_, Translator, spanish
from labcheck.refusal_words import refusal_said
from labcheck.report import text as es
from labcheck.report.html import (
    Cover,
    TocEntry,
    cover_html,
    document,
    summary_html,
    terminal_html,
    toc_html,
)
from labcheck.report.markdown import new_parser
from labcheck.report.matching import commands_in, matching_steps, pick
from labcheck.report.model import Evidence, Step
from labcheck.report.options import StudentInfo
from labcheck.report.student_pictures import check_budget, is_picture, load_picture

MARKER_SCHEME = "labcheck:"
MAX_MARKDOWN_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Placement:
    line: int  # 1-based line of the screenshot in the student's file
    src: str
    steps: tuple[Step, ...]  # empty: could not be placed
    merged: bool = False  # same step as the screenshot right before it


@dataclass(frozen=True)
class _Code:
    text: str
    block: bool  # a code block, not code inside a sentence


def _image_line(lines: Sequence[str], start: int, src: str) -> int:
    for offset, line in enumerate(lines[start:], start=start):
        if src in line:
            return offset + 1
    return start + 1


def _only_blank_between(lines: Sequence[str], first: int, second: int) -> bool:
    between = lines[first : second - 1]
    return all(not line.strip() or line.strip().startswith("![") for line in between)


def _is_remote(src: str) -> bool:
    return src.startswith("//") or (":" in src.split("/")[0] and not src.startswith(MARKER_SCHEME))


def _steps_for(context: Sequence[_Code], steps: Sequence[Step], cursor: int) -> list[int]:
    """The steps named by the nearest code before a picture that names any."""
    for code in reversed(context):
        chosen: list[int] = []
        after = max(cursor, 0)
        for command in commands_in(code.text):
            matches = [
                match
                for match in matching_steps(command, steps)
                # A line like `exit` or `ls` typed inside a shell is too common to trust in a
                # sentence, unless it continues the interactive step just shown.
                if not match.typed_inside or code.block or match.index == cursor
            ]
            index = pick(matches, after)
            if index is not None and index not in chosen:
                chosen.append(index)
                after = max(after, index)
        if chosen:
            return chosen
    return []


def place_screenshots(source: str, evidence: Evidence) -> tuple[list[Token], list[Placement]]:
    """Parse the student's Markdown and decide, for every picture, which steps it shows."""
    parser = new_parser()
    tokens = parser.parse(source, {})
    lines = source.splitlines()
    steps = evidence.steps
    by_id = {step.id: index for index, step in enumerate(steps)}
    placements: list[Placement] = []
    context: list[_Code] = []
    cursor = -1
    previous: tuple[int, tuple[int, ...]] | None = None  # line and steps of the last picture
    for token in tokens:
        if token.type in ("fence", "code_block"):
            context.append(_Code(token.content, block=True))
            continue
        if token.type == "heading_open":
            context.clear()
            previous = None
            continue
        if token.type != "inline" or not token.children:
            continue
        start = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "code_inline":
                context.append(_Code(child.content, block=False))
                continue
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            line = _image_line(lines, start, src)
            start = line - 1
            chosen: list[int] = []
            if _is_remote(src):
                # A diagram from the web, not a screenshot of the student's terminal.
                context.clear()
                previous = None
                continue
            if src.startswith(MARKER_SCHEME):
                wanted = src[len(MARKER_SCHEME) :].strip()
                if wanted in by_id:
                    chosen = [by_id[wanted]]
            else:
                chosen = _steps_for(context, steps, cursor)
            continued = bool(
                not chosen
                and not context
                and previous is not None
                and previous[1]
                and _only_blank_between(lines, previous[0], line)
            )
            if continued and previous is not None:
                chosen = list(previous[1])
            context.clear()
            key = tuple(chosen)
            merged = bool(
                chosen
                and previous is not None
                and previous[1] == key
                and _only_blank_between(lines, previous[0], line)
            )
            placement = Placement(line, src, tuple(steps[index] for index in chosen), merged)
            placements.append(placement)
            child.meta["placement"] = placement
            if chosen:
                cursor = max(cursor, *chosen)
            previous = (line, key)
    return tokens, placements


def _hide_picture_paragraphs(tokens: list[Token]) -> None:
    """A paragraph that only held placed screenshots is not kept around the output blocks."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        placed = [c for c in children if c.type == "image" and c.meta.get("placement")]
        if not placed or any(not c.meta["placement"].steps for c in placed):
            continue
        rest = [
            c
            for c in children
            if c.type not in ("image", "softbreak", "hardbreak")
            and not (c.type == "text" and not c.content.strip())
        ]
        if rest:
            continue
        if index > 0 and tokens[index - 1].type == "paragraph_open":
            tokens[index - 1].hidden = True
        if index + 1 < len(tokens) and tokens[index + 1].type == "paragraph_close":
            tokens[index + 1].hidden = True


def _own_pictures(tokens: Sequence[Token], base: Path, shown: str) -> dict[str, str]:
    """Every picture the report keeps (not placed, not remote), embedded; one error naming each
    picture that is there but refused, before anything is written."""
    pictures: dict[str, str] = {}
    refused: list[str] = []
    total = 0
    for token in tokens:
        for child in token.children or []:
            placement = child.meta.get("placement")
            if child.type != "image" or (isinstance(placement, Placement) and placement.steps):
                continue
            src = str(child.attrGet("src") or "")
            if not src or _is_remote(src) or src.startswith(MARKER_SCHEME) or not is_picture(src):
                continue
            if src in pictures:
                continue
            try:
                data_url = load_picture(base, src)
                if data_url is None:
                    continue
                total += len(data_url)
                check_budget(total, unquote(src))
            except FileRefused as refusal:
                where = f"{shown}:{placement.line}" if isinstance(placement, Placement) else shown
                refused.append(f"{where}: {refusal_said(refusal)}")
                continue
            pictures[src] = data_url
    if refused:
        listed = "\n".join(f"  {problem}" for problem in refused)
        said = i18n.cli().format("the report was not written; pictures refused:\n{listed}", listed=listed)
        raise LabcheckError(said)
    return pictures


def _placed_html(placement: Placement, png: Callable[[Step], bytes] | None, t: Translator) -> str:
    if placement.merged:
        return ""
    parts: list[str] = []
    for step in placement.steps:
        said = t.format(
            "Output labcheck recorded: step {number} ({title}), {outcome}. It replaces the screenshot "
            "«{picture}».",
            number=step.number,
            title=step.title,
            outcome=es.outcome_label(step.outcome, t).lower(),
            picture=unquote(placement.src),
        )
        parts.append(
            f'<div class="placed" data-step="{escape(step.id)}">'
            f"{terminal_html(step, png=png, t=t)}"
            f'<p class="placed-note">{escape(said)}</p></div>'
        )
    return "".join(parts)


def student_report_html(
    markdown_path: Path,
    evidence: Evidence,
    student: StudentInfo,
    generated_at: str,
    *,
    out_dir: Path,
    png: Callable[[Step], bytes] | None = None,
    t: Translator | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The student's report with the captured output in place of the screenshots; labcheck's own
    words in t's language (Spanish by default), the student's as written."""
    t = t or spanish()
    # The student's file: a regular file, bounded, never a FIFO or a device.
    try:
        raw = read_regular(markdown_path, Limits(MAX_MARKDOWN_BYTES))
    except FileRefused as refused:  # stops the command, which says why in the locale's language
        raise LabcheckError(refusal_said(refused)) from None
    source = raw.decode("utf-8", errors="replace")
    tokens, placements = place_screenshots(source, evidence)
    _hide_picture_paragraphs(tokens)
    pictures = _own_pictures(tokens, markdown_path.parent, str(markdown_path))

    def image_rule(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        token = tokens[idx]
        placement = token.meta.get("placement")
        if isinstance(placement, Placement) and placement.steps:
            return _placed_html(placement, png, t)
        src = str(token.attrGet("src") or "")
        alt = self.renderInlineAsText(token.children or [], options, env) or t.gettext("screenshot")
        if _is_remote(src):
            return (
                f'<span class="remote-image">[{escape(alt)}: '
                f'<a href="{escape(src)}">{escape(src)}</a>]</span>'
            )
        embedded = pictures.get(src)
        if embedded is not None:
            return f'<img src="{escape(embedded)}" alt="{escape(alt)}">'
        return f'<span class="missing-image">[{escape(alt)}: {escape(unquote(src))}]</span>'

    toc: list[TocEntry] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            anchor = f"apartado-{len(toc) + 1}"
            token.attrSet("id", anchor)
            token.attrSet("class", "section-title")
            level = int(token.tag[1])
            if level <= 3:
                label = _inline_text(tokens[index + 1])
                toc.append(TocEntry(anchor, label, min(level, 3)))
    toc.append(TocEntry("resumen", t.gettext("Summary of the check"), 1))

    parser = new_parser()
    parser.add_render_rule("image", image_rule)
    body_html = parser.renderer.render(tokens, parser.options, {})
    cover = Cover(evidence, student, generated_at, kind=N_("Student report"), t=t)
    replaced = t.gettext(
        "The screenshots of this report were replaced by the output labcheck recorded while running "
        "each step of the lab."
    )
    note = f'<p class="student-note">{escape(replaced)}</p>'
    body = (
        cover_html(cover)
        + toc_html(toc, t)
        + f'<main class="student-report">{note}{body_html}</main>'
        + summary_html(evidence, t)
    )
    said = i18n.cli()  # warnings are printed by the command line, in the locale's language
    warnings = tuple(
        said.format(
            "{where}: screenshot not replaced ({picture}): no command of the lab comes before it",
            where=f"{markdown_path}:{placement.line}",
            picture=unquote(placement.src),
        )
        for placement in placements
        if not placement.steps
    )
    return document(t.format("{title}: report", title=evidence.lab_title), body, t.language), warnings


def _inline_text(token: Token) -> str:
    if token.type != "inline":
        return ""
    return "".join(
        child.content for child in token.children or [] if child.type in ("text", "code_inline")
    ).strip()
