"""A small terminal model that keeps colours: bytes in, styled lines out.

It is line-oriented like a scrollback buffer: `\\n` starts a new line, `\\r` returns
to its start, backspace and CSI cursor moves (up, down, left, right, column,
absolute position) move the cursor, erase-in-line and erase-in-display blank
cells, SGR sets colours (16, 256 and 24-bit) and attributes. Clearing the screen
keeps what was shown before as scrollback. Every other escape sequence and control
character is dropped, never shown raw.

Whatever the input, what the model holds is bounded by its `Limits`, as a real
terminal's is by its window and scrollback: cursor moves stay inside the window
(`rows` lines at the bottom, `columns` wide), numeric parameters are clamped, a line
keeps its first `columns` characters (the rest is counted, `Screen.cut`), and of a
long transcript the first `head_lines` and the last `tail_lines` lines are kept (the
lines between are counted, `Screen.omitted`). Lines that scroll out of the window
can no longer change and are stored as compact runs of text.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

# CSI: ESC [ params intermediates final; OSC: ESC ] ... BEL or ST; DCS/SOS/PM/APC
# strings; charset selection; other two-byte escapes; a lone ESC at the very end.
_ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-9;:?<>=!]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[ -/]*[0-~]"
    r"|\x1b"
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

# A palette that stays readable on the dark background of a terminal block.
PALETTE_16 = (
    "#4d4d4d",
    "#e05561",
    "#3fbf6f",
    "#d8c648",
    "#4f8fe6",
    "#c678dd",
    "#2bb7c8",
    "#d0d0d0",
    "#7f7f7f",
    "#ff6b74",
    "#5ee08a",
    "#f2e45c",
    "#6eaaff",
    "#e08fff",
    "#4fd6e6",
    "#ffffff",
)
DEFAULT_FG = "#d8d8d8"
DEFAULT_BG = "#1d1f21"


@dataclass(frozen=True)
class Style:
    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    inverse: bool = False
    strike: bool = False

    def colours(self) -> tuple[str | None, str | None]:
        """Foreground and background as shown, after `inverse`; None is the default."""
        if not self.inverse:
            return self.fg, self.bg
        return (self.bg or DEFAULT_BG), (self.fg or DEFAULT_FG)


PLAIN = Style()


@dataclass(frozen=True)
class Run:
    text: str
    style: Style


@dataclass(frozen=True)
class Limits:
    """How much of a transcript the model keeps (defaults: far beyond any lab's output)."""

    columns: int = 8192  # characters kept per line; the cursor never goes further right
    rows: int = 50  # the window, as the runner's pty: cursor moves stay inside it
    head_lines: int = 8192  # the first lines of a transcript, kept
    tail_lines: int = 2048  # the last lines, kept; those between are only counted

    def __post_init__(self) -> None:
        if min(self.columns, self.rows, self.head_lines) < 1 or self.tail_lines < self.rows:
            raise ValueError("terminal limits must be positive, and the tail must hold the window")


DEFAULT_LIMITS = Limits()
# xterm's own ceiling for a numeric parameter, and how many of them a sequence may have.
MAX_PARAMETER = 65_535
MAX_PARAMETERS = 32


@dataclass(frozen=True)
class Omitted:
    """Lines left out of a long transcript: `count` of them, between line `after - 1` and `after`."""

    after: int
    count: int


@dataclass(frozen=True)
class Screen:
    """What the terminal showed: one tuple of styled runs per line."""

    lines: tuple[tuple[Run, ...], ...]
    # Characters past the column limit, per line index (only lines that had some).
    cut: Mapping[int, int] = field(default_factory=dict)
    omitted: Omitted | None = None

    def plain_lines(self) -> list[str]:
        return ["".join(run.text for run in line) for line in self.lines]

    def plain(self) -> str:
        return "\n".join(self.plain_lines())

    @property
    def width(self) -> int:
        return max((sum(len(run.text) for run in line) for line in self.lines), default=0)


def _runs(chars: list[str], styles: list[Style]) -> tuple[Run, ...]:
    length = len(chars)
    # Trailing spaces go even when coloured: the plain text must not depend on colour.
    while length and chars[length - 1] == " ":
        length -= 1
    runs: list[Run] = []
    start = 0
    # groupby compares by identity first, and cells written together share one Style object.
    for style, group in groupby(styles[:length]):
        end = start + len(list(group))
        runs.append(Run("".join(chars[start:end]), style))
        start = end
    return tuple(runs)


@dataclass
class _Line:
    chars: list[str] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)
    cut: int = 0  # how far past the column limit the line was written
    frozen: tuple[Run, ...] | None = None  # set once the line has left the window

    def thaw(self) -> None:
        if self.frozen is not None:
            for run in self.frozen:
                self.chars.extend(run.text)
                self.styles.extend([run.style] * len(run.text))
            self.frozen = None

    def freeze(self) -> None:
        if self.frozen is None:
            self.frozen = _runs(self.chars, self.styles)
            self.chars, self.styles = [], []

    def is_empty(self) -> bool:
        return not self.frozen if self.frozen is not None else not self.chars

    def pad_to(self, column: int) -> None:
        self.thaw()
        missing = column - len(self.chars)
        if missing > 0:
            self.chars.extend(" " * missing)
            self.styles.extend([PLAIN] * missing)

    def write(self, column: int, text: str, style: Style) -> None:
        self.pad_to(column)
        end = column + len(text)
        self.chars[column:end] = text
        self.styles[column:end] = [style] * len(text)

    def blank(self, start: int, end: int) -> None:
        self.thaw()
        end = min(end, len(self.chars))
        for index in range(max(start, 0), end):
            self.chars[index] = " "
            self.styles[index] = PLAIN

    def truncate(self, column: int) -> None:
        self.thaw()
        del self.chars[column:]
        del self.styles[column:]
        self.cut = 0

    def runs(self) -> tuple[Run, ...]:
        return self.frozen if self.frozen is not None else _runs(self.chars, self.styles)


class _History:
    """The lines of a transcript, kept as a head and a tail with a counted gap between."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.head: list[_Line] = []
        self.tail: deque[_Line] = deque()
        self.dropped = 0
        self.count = 0  # head + dropped + tail, kept up to date: asked for at every character run

    def __len__(self) -> int:
        return self.count

    def get(self, row: int) -> _Line:
        if row < len(self.head):
            return self.head[row]
        # Rows in the gap are above the window, where no cursor can go.
        return self.tail[row - len(self.head) - self.dropped]

    def append(self, line: _Line) -> None:
        self.count += 1
        if not self.tail and not self.dropped and len(self.head) < self.limits.head_lines:
            self.head.append(line)
            return
        self.tail.append(line)
        if len(self.tail) > self.limits.tail_lines:
            self.tail.popleft()
            self.dropped += 1

    def extend(self, count: int) -> None:
        """`count` new empty lines at the end; a flood of them goes straight into the gap."""
        while count > 0 and (not self.tail and not self.dropped and len(self.head) < self.limits.head_lines):
            self.append(_Line())
            count -= 1
        if count > self.limits.tail_lines:
            self.dropped += len(self.tail) + count - self.limits.tail_lines
            self.count += count
            self.tail = deque(_Line() for _ in range(self.limits.tail_lines))
            return
        for _ in range(count):
            self.append(_Line())

    def truncate(self, length: int) -> None:
        """Remove the lines from `length` on (never into the gap: those are gone already)."""
        kept_in_tail = max(0, length - len(self.head) - self.dropped)
        while len(self.tail) > kept_in_tail:
            self.tail.pop()
        if length < len(self.head):
            del self.head[length:]
        self.count = len(self.head) + self.dropped + len(self.tail)

    def lines(self) -> list[_Line]:
        return [*self.head, *self.tail]


def _numbers(params: str) -> list[int]:
    values: list[int] = []
    parts = params.lstrip("?<>=!").replace(":", ";").split(";", MAX_PARAMETERS)[:MAX_PARAMETERS]
    for part in parts:
        # A 5,000-digit parameter is clamped before int() would refuse it.
        values.append(min(int(part[:6]), MAX_PARAMETER) if part.isdigit() else 0)
    return values


def _count(params: str) -> int:
    first = _numbers(params)[0]
    return first if first > 0 else 1


def _colour_256(index: int) -> str:
    if index < 16:
        return PALETTE_16[index]
    if index < 232:
        index -= 16
        steps = (0, 95, 135, 175, 215, 255)
        red, green, blue = steps[index // 36], steps[(index // 6) % 6], steps[index % 6]
        return f"#{red:02x}{green:02x}{blue:02x}"
    level = 8 + (index - 232) * 10
    return f"#{level:02x}{level:02x}{level:02x}"


def _apply_sgr(style: Style, params: str) -> Style:
    """The style after an SGR sequence; cached, so equal styles are mostly one object."""
    # A hostile sequence's parameters can be megabytes long: only short ones are cached.
    return _cached_sgr(style, params) if len(params) <= 64 else _sgr(style, params)


@lru_cache(maxsize=4096)
def _cached_sgr(style: Style, params: str) -> Style:
    return _sgr(style, params)


def _sgr(style: Style, params: str) -> Style:
    codes = _numbers(params) if params else [0]
    fields = {
        "fg": style.fg,
        "bg": style.bg,
        "bold": style.bold,
        "dim": style.dim,
        "italic": style.italic,
        "underline": style.underline,
        "inverse": style.inverse,
        "strike": style.strike,
    }
    index = 0
    while index < len(codes):
        code = codes[index]
        index += 1
        if code == 0:
            fields = {key: None if key in ("fg", "bg") else False for key in fields}
        elif code in (1, 2, 3, 4, 7, 9):
            name = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "inverse", 9: "strike"}
            fields[name[code]] = True
        elif code == 22:
            fields["bold"] = fields["dim"] = False
        elif code in (23, 24, 27, 29):
            name = {23: "italic", 24: "underline", 27: "inverse", 29: "strike"}
            fields[name[code]] = False
        elif 30 <= code <= 37:
            fields["fg"] = PALETTE_16[code - 30]
        elif 90 <= code <= 97:
            fields["fg"] = PALETTE_16[code - 90 + 8]
        elif 40 <= code <= 47:
            fields["bg"] = PALETTE_16[code - 40]
        elif 100 <= code <= 107:
            fields["bg"] = PALETTE_16[code - 100 + 8]
        elif code == 39:
            fields["fg"] = None
        elif code == 49:
            fields["bg"] = None
        elif code in (38, 48) and index < len(codes):
            target = "fg" if code == 38 else "bg"
            mode = codes[index]
            if mode == 5 and index + 1 < len(codes):
                fields[target] = _colour_256(min(codes[index + 1], 255))
                index += 2
            elif mode == 2 and index + 3 < len(codes):
                red, green, blue = (min(value, 255) for value in codes[index + 1 : index + 4])
                fields[target] = f"#{red:02x}{green:02x}{blue:02x}"
                index += 4
            else:
                index = len(codes)
    return Style(**fields)  # type: ignore[arg-type]


class _Terminal:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.lines = _History(limits)
        self.lines.append(_Line())
        self.row = 0
        self.column = 0
        self.top = 0  # first line after the last clear; lines above it are scrollback
        self.frozen_below = 0  # every line above this row has left the window
        self.style = PLAIN
        self.saved = (0, 0)

    # The window: the last `rows` lines, never above the last clear.
    def window_top(self) -> int:
        # Once lines were dropped, the window never reaches back into the gap.
        lines = self.lines
        floor = len(lines.head) + lines.dropped if lines.dropped else 0
        return max(self.top, lines.count - self.limits.rows, floor)

    def window_bottom(self) -> int:
        return self.window_top() + self.limits.rows - 1

    def move_to(self, row: int, column: int) -> None:
        self.row = min(max(row, self.window_top()), self.window_bottom())
        # As a terminal's, the cursor stops on the last column; text printed past it is cut.
        self.column = min(max(column, 0), self.limits.columns - 1)

    def line(self) -> _Line:
        if self.row >= self.lines.count:
            self.lines.extend(self.row + 1 - self.lines.count)
        self.settle()
        return self.lines.get(self.row)

    def settle(self) -> None:
        """Freeze the lines that scrolled out of the window: they cannot change any more."""
        top = min(self.window_top(), self.row)
        if top <= self.frozen_below:
            return
        head, dropped = len(self.lines.head), self.lines.dropped
        row = self.frozen_below
        while row < top:
            if head <= row < head + dropped:
                row = head + dropped
                continue
            self.lines.get(row).freeze()
            row += 1
        self.frozen_below = top

    def text(self, chunk: str) -> None:
        position = 0
        for controls in _CONTROLS.finditer(chunk):
            if controls.start() > position:
                self.printable(chunk[position : controls.start()])
            self.controls(controls.group())
            position = controls.end()
        if position < len(chunk):
            self.printable(chunk[position:])

    def printable(self, text: str) -> None:
        line = self.line()
        room = self.limits.columns - self.column
        if len(text) > room:
            line.cut += len(text) - room
            text = text[:room]
        if text:
            line.write(self.column, text, self.style)
        self.column += len(text)

    def controls(self, run: str) -> None:
        """A run of control characters; lines for its newlines are made once, at the end."""
        newline = False
        for char in run:
            if char == "\n":
                self.row += 1
                self.column = 0
                newline = True
            elif char == "\r":
                self.column = 0
            elif char == "\b":
                self.column = max(0, self.column - 1)
            elif char == "\t":
                # No padding: spaces a tab skips are never shown (trailing ones go, later text pads).
                self.column = max(self.column, min((self.column // 8 + 1) * 8, self.limits.columns - 1))
        if newline:
            self.line()

    def csi(self, params: str, final: str) -> None:
        if final == "m":
            self.style = _apply_sgr(self.style, params)
        elif final == "K":
            self.erase_line(params.lstrip("?"))
        elif final == "J":
            self.erase_display(params.lstrip("?"))
        elif final == "A":
            self.move_to(self.row - _count(params), self.column)
        elif final in ("B", "e"):
            self.move_to(self.row + _count(params), self.column)
        elif final == "E":
            self.move_to(self.row + _count(params), 0)
        elif final == "F":
            self.move_to(self.row - _count(params), 0)
        elif final in ("C", "a"):
            self.move_to(self.row, self.column + _count(params))
        elif final == "D":
            self.move_to(self.row, self.column - _count(params))
        elif final in ("G", "`"):
            self.move_to(self.row, _count(params) - 1)
        elif final == "d":
            self.move_to(self.window_top() + _count(params) - 1, self.column)
        elif final in ("H", "f"):
            numbers = [*_numbers(params), 0, 0]
            self.move_to(self.window_top() + max(numbers[0], 1) - 1, max(numbers[1], 1) - 1)
        elif final == "s":
            self.saved = (self.row, self.column)
        elif final == "u":
            self.move_to(*self.saved)
        self.line()

    def erase_line(self, mode: str) -> None:
        line = self.line()
        if mode in ("", "0"):
            line.truncate(self.column)
        elif mode == "1":
            line.blank(0, self.column + 1)
        else:
            line.truncate(0)

    def erase_display(self, mode: str) -> None:
        if mode in ("", "0"):
            self.erase_line("0")
            self.lines.truncate(self.row + 1)
        elif mode == "1":
            for row in range(self.window_top(), self.row):
                self.lines.get(row).blank(0, self.limits.columns)
            self.erase_line("1")
        else:
            # A cleared screen starts below what was shown, so the transcript keeps it.
            used = len(self.lines)
            floor = max(self.top, len(self.lines.head) + self.lines.dropped if self.lines.dropped else 0)
            while used > floor and self.lines.get(used - 1).is_empty():
                used -= 1
            self.lines.truncate(used)
            self.top = used
            self.row = max(self.row, used)
            self.line()

    def escape(self, sequence: str) -> None:
        if sequence == "\x1b7":
            self.saved = (self.row, self.column)
        elif sequence == "\x1b8":
            self.move_to(*self.saved)
            self.line()
        elif sequence == "\x1bE":
            self.controls("\n")
        elif sequence == "\x1bM":
            self.move_to(self.row - 1, self.column)

    def screen(self) -> Screen:
        kept = self.lines.lines()
        gap = len(self.lines.head) if self.lines.dropped else None
        lines = [line.runs() for line in kept]
        cut = {index: line.cut for index, line in enumerate(kept) if line.cut}
        while lines and not lines[-1] and (gap is None or len(lines) > gap):
            lines.pop()
        cut = {index: count for index, count in cut.items() if index < len(lines)}
        omitted = Omitted(gap, self.lines.dropped) if gap is not None else None
        return Screen(tuple(lines), cut, omitted)


def decode(raw: bytes | str) -> str:
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw


def render(raw: bytes | str, limits: Limits = DEFAULT_LIMITS) -> Screen:
    """Play a byte stream through the terminal model and return what it showed."""
    data = decode(raw)
    terminal = _Terminal(limits)
    position = 0
    for match in _ESCAPE.finditer(data):
        if match.start() > position:
            terminal.text(data[position : match.start()])
        position = match.end()
        final = match.group("final")
        if final is not None:
            terminal.csi(match.group("params") or "", final)
        else:
            terminal.escape(match.group())
    if position < len(data):
        terminal.text(data[position:])
    return terminal.screen()
