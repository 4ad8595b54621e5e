"""A terminal picture of a step (PNG): dark background, prompt, command, coloured output."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labcheck.evidence import model
from labcheck.report.blocks import Omission, make_block
from labcheck.report.model import Step, step_view
from labcheck.terminal.screen import DEFAULT_BG, DEFAULT_FG

FONT_PX = 14
LINE_PX = 18
PAD_PX = 12
MIN_COLUMNS = 80
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=4)
def _font(name: str) -> Font:
    for folder in _FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return ImageFont.truetype(str(candidate), FONT_PX)
    try:
        return ImageFont.truetype(name, FONT_PX)
    except OSError:
        return ImageFont.load_default(FONT_PX)


def _regular() -> Font:
    return _font("DejaVuSansMono.ttf")


def _bold() -> Font:
    return _font("DejaVuSansMono-Bold.ttf")


def _cell_width() -> float:
    return float(_regular().getlength("M"))


def _wrap_command(command: str, columns: int) -> list[str]:
    prompt_width = 2
    pieces: list[str] = []
    for line in command.splitlines() or [""]:
        room = columns - prompt_width
        while len(line) > room:
            pieces.append(line[:room])
            line = line[room:]
        pieces.append(line)
    return pieces


def picture_columns(widest: int) -> int:
    return max(MIN_COLUMNS, min(widest, 240))


def render_png(step: Step) -> bytes:
    block = make_block(step.raw)
    columns = picture_columns(block.widest)
    cell = _cell_width()
    command_lines = _wrap_command(step.command, columns)
    rows = len(command_lines) + len(block.lines) + (0 if block.lines else 1)
    width = int(PAD_PX * 2 + columns * cell)
    height = PAD_PX * 2 + rows * LINE_PX
    image = Image.new("RGB", (width, height), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    y = PAD_PX
    for index, text in enumerate(command_lines):
        x = float(PAD_PX)
        if index == 0:
            draw.text((x, y), "$", font=_bold(), fill="#5ee08a")
        draw.text((x + 2 * cell, y), text, font=_bold(), fill="#ffffff")
        y += LINE_PX
    if not block.lines:
        draw.text((PAD_PX, y), "(sin salida)", font=_regular(), fill="#8a8a8a")
    for line in block.lines:
        x = float(PAD_PX)
        if isinstance(line, Omission):
            draw.text((x, y), line.message(), font=_regular(), fill="#f2e45c")
            y += LINE_PX
            continue
        for run in line:
            fg, bg = run.style.colours()
            span = len(run.text) * cell
            if bg:
                draw.rectangle((x, y, x + span, y + LINE_PX - 1), fill=bg)
            font = _bold() if run.style.bold else _regular()
            draw.text((x, y), run.text, font=font, fill=fg or DEFAULT_FG)
            if run.style.underline:
                draw.line((x, y + LINE_PX - 3, x + span, y + LINE_PX - 3), fill=fg or DEFAULT_FG)
            x += span
        y += LINE_PX
    buffer = io.BytesIO()
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def terminal_png(step: model.Step | Step) -> bytes:
    """The PNG bytes of one evidence step."""
    return render_png(step if isinstance(step, Step) else step_view(step))
