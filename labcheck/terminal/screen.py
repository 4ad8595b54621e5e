"""A small terminal model that keeps colours: bytes in, styled lines out.

It is line-oriented like a scrollback buffer: `\\n` starts a new line, `\\r` returns
to its start, backspace and CSI cursor moves (up, down, left, right, column,
absolute position) move the cursor, erase-in-line and erase-in-display blank
cells, SGR sets colours (16, 256 and 24-bit) and attributes. Clearing the screen
keeps what was shown before as scrollback, so nothing printed is lost. Every
other escape sequence and control character is dropped, never shown raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

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
class Screen:
    """What the terminal showed: one tuple of styled runs per line."""

    lines: tuple[tuple[Run, ...], ...]

    def plain_lines(self) -> list[str]:
        return ["".join(run.text for run in line) for line in self.lines]

    def plain(self) -> str:
        return "\n".join(self.plain_lines())

    @property
    def width(self) -> int:
        return max((sum(len(run.text) for run in line) for line in self.lines), default=0)


@dataclass
class _Line:
    chars: list[str] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)

    def pad_to(self, column: int) -> None:
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
        end = min(end, len(self.chars))
        for index in range(max(start, 0), end):
            self.chars[index] = " "
            self.styles[index] = PLAIN

    def runs(self) -> tuple[Run, ...]:
        length = len(self.chars)
        # Trailing spaces go even when coloured: the plain text must not depend on colour.
        while length and self.chars[length - 1] == " ":
            length -= 1
        runs: list[Run] = []
        start = 0
        for index in range(1, length + 1):
            if index == length or self.styles[index] != self.styles[start]:
                runs.append(Run("".join(self.chars[start:index]), self.styles[start]))
                start = index
        return tuple(runs)


def _numbers(params: str) -> list[int]:
    values: list[int] = []
    for part in params.lstrip("?<>=!").replace(":", ";").split(";"):
        values.append(int(part) if part.isdigit() else 0)
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
    def __init__(self) -> None:
        self.lines: list[_Line] = [_Line()]
        self.row = 0
        self.column = 0
        self.top = 0  # first line of the visible screen; lines above it are scrollback
        self.style = PLAIN
        self.saved = (0, 0)

    def line(self) -> _Line:
        while self.row >= len(self.lines):
            self.lines.append(_Line())
        return self.lines[self.row]

    def text(self, chunk: str) -> None:
        position = 0
        for control in _CONTROL.finditer(chunk):
            if control.start() > position:
                self.printable(chunk[position : control.start()])
            self.control(control.group())
            position = control.end()
        if position < len(chunk):
            self.printable(chunk[position:])

    def printable(self, text: str) -> None:
        self.line().write(self.column, text, self.style)
        self.column += len(text)

    def control(self, char: str) -> None:
        if char == "\n":
            self.row += 1
            self.column = 0
            self.line()
        elif char == "\r":
            self.column = 0
        elif char == "\b":
            self.column = max(0, self.column - 1)
        elif char == "\t":
            self.column = (self.column // 8 + 1) * 8
            self.line().pad_to(self.column)

    def csi(self, params: str, final: str) -> None:
        if final == "m":
            self.style = _apply_sgr(self.style, params)
        elif final == "K":
            self.erase_line(params.lstrip("?"))
        elif final == "J":
            self.erase_display(params.lstrip("?"))
        elif final == "A":
            self.row = max(self.top, self.row - _count(params))
        elif final in ("B", "e"):
            self.row += _count(params)
        elif final == "E":
            self.row += _count(params)
            self.column = 0
        elif final == "F":
            self.row = max(self.top, self.row - _count(params))
            self.column = 0
        elif final in ("C", "a"):
            self.column += _count(params)
        elif final == "D":
            self.column = max(0, self.column - _count(params))
        elif final in ("G", "`"):
            self.column = _count(params) - 1
        elif final == "d":
            self.row = self.top + _count(params) - 1
        elif final in ("H", "f"):
            numbers = [*_numbers(params), 0, 0]
            self.row = self.top + max(numbers[0], 1) - 1
            self.column = max(numbers[1], 1) - 1
        elif final == "s":
            self.saved = (self.row, self.column)
        elif final == "u":
            self.row, self.column = self.saved
        self.line()

    def erase_line(self, mode: str) -> None:
        line = self.line()
        if mode in ("", "0"):
            del line.chars[self.column :]
            del line.styles[self.column :]
        elif mode == "1":
            line.blank(0, self.column + 1)
        else:
            line.chars.clear()
            line.styles.clear()

    def erase_display(self, mode: str) -> None:
        if mode in ("", "0"):
            self.erase_line("0")
            del self.lines[self.row + 1 :]
        elif mode == "1":
            for line in self.lines[self.top : self.row]:
                line.blank(0, len(line.chars))
            self.erase_line("1")
        else:
            # A cleared screen starts below what was shown, so the transcript keeps it.
            used = len(self.lines)
            while used > self.top and not self.lines[used - 1].chars:
                used -= 1
            del self.lines[used:]
            self.top = used
            self.row = max(self.row, used)
            self.line()

    def escape(self, sequence: str) -> None:
        if sequence == "\x1b7":
            self.saved = (self.row, self.column)
        elif sequence == "\x1b8":
            self.row, self.column = self.saved
            self.line()
        elif sequence == "\x1bE":
            self.control("\n")
        elif sequence == "\x1bM":
            self.row = max(self.top, self.row - 1)

    def screen(self) -> Screen:
        lines = [line.runs() for line in self.lines]
        while lines and not lines[-1]:
            lines.pop()
        return Screen(tuple(lines))


def decode(raw: bytes | str) -> str:
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw


def render(raw: bytes | str) -> Screen:
    """Play a byte stream through the terminal model and return what it showed."""
    data = decode(raw)
    terminal = _Terminal()
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
