"""A step's transcript made ready to print: styled lines, cut when very long, wrapped when too wide."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from labcheck.report.sizing import BlockSize, block_size
from labcheck.terminal.screen import Run, Screen, Style, render

HEAD_LINES = 220
TAIL_LINES = 60
WRAP_MARK = "↪ "
_MARK_STYLE = Style(fg="#8a8a8a")

Line = tuple[Run, ...]


@dataclass(frozen=True)
class Omission:
    """Where lines were left out of the print; the evidence keeps them all."""

    count: int

    def message(self) -> str:
        noun = "línea omitida" if self.count == 1 else "líneas omitidas"
        return f"⋯ {self.count} {noun} en el informe; la evidencia conserva la salida completa ⋯"


@dataclass(frozen=True)
class Block:
    lines: tuple[Line | Omission, ...]
    size: BlockSize
    widest: int
    total_lines: int

    @property
    def omitted(self) -> int:
        return sum(line.count for line in self.lines if isinstance(line, Omission))


def _width(line: Line) -> int:
    return sum(len(run.text) for run in line)


def _wrap(line: Line, columns: int) -> list[Line]:
    if _width(line) <= columns:
        return [line]
    pieces: list[Line] = []
    current: list[Run] = []
    room = columns
    for run in line:
        text = run.text
        while text:
            if room == 0:
                pieces.append(tuple(current))
                current = [Run(WRAP_MARK, _MARK_STYLE)]
                room = columns - len(WRAP_MARK)
            take = text[:room]
            current.append(Run(take, run.style))
            room -= len(take)
            text = text[len(take) :]
    pieces.append(tuple(current))
    return pieces


@lru_cache(maxsize=512)
def screen_of(raw: bytes) -> Screen:
    return render(raw)


def make_block(raw: bytes, *, head: int = HEAD_LINES, tail: int = TAIL_LINES) -> Block:
    screen = screen_of(raw)
    lines: list[Line | Omission] = list(screen.lines)
    total = len(lines)
    if total > head + tail + 5:
        lines = [*lines[:head], Omission(total - head - tail), *lines[total - tail :]]
    widest = max((_width(line) for line in lines if not isinstance(line, Omission)), default=0)
    size = block_size(widest)
    if size.wrap_at is not None:
        wrapped: list[Line | Omission] = []
        for line in lines:
            wrapped.extend([line] if isinstance(line, Omission) else _wrap(line, size.wrap_at))
        lines = wrapped
    return Block(tuple(lines), size, widest, total)
