"""Plain text of a terminal transcript, as a person would read it on screen.

A line-oriented model is enough for what labs print: `\r` returns to the start of
the line and later characters overwrite earlier ones, backspace moves left, CSI
cursor-left/right and erase-in-line are honoured, every other escape sequence
(colours, bracketed paste, cursor queries, OSC titles) is dropped.
"""

from __future__ import annotations

import re

# CSI: ESC [ params intermediates final; OSC: ESC ] ... BEL or ST; other two-byte escapes.
_ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-9;?<>=!]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[@-Z\\-_=>78]"
)
_OTHER_CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")


class _Line:
    def __init__(self) -> None:
        self.cells: list[str] = []
        self.cursor = 0

    def put(self, char: str) -> None:
        if self.cursor < len(self.cells):
            self.cells[self.cursor] = char
        else:
            self.cells.extend(" " * (self.cursor - len(self.cells)))
            self.cells.append(char)
        self.cursor += 1

    def erase(self, mode: str) -> None:
        if mode in ("", "0"):
            del self.cells[self.cursor :]
        elif mode == "1":
            for index in range(min(self.cursor + 1, len(self.cells))):
                self.cells[index] = " "
        else:
            self.cells.clear()

    def text(self) -> str:
        return "".join(self.cells).rstrip()


def _param(params: str, default: int) -> int:
    digits = params.split(";")[0].lstrip("?")
    return int(digits) if digits.isdigit() and int(digits) > 0 else default


def to_text(raw: bytes | str) -> str:
    """Resolve a transcript into the lines a terminal would show, `\\n`-separated."""
    data = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    lines: list[str] = []
    line = _Line()
    position = 0
    for match in _ESCAPE.finditer(data + "\x1b[0m"):
        for char in _OTHER_CONTROLS.sub("", data[position : match.start()]):
            if char == "\n":
                lines.append(line.text())
                line = _Line()
            elif char == "\r":
                line.cursor = 0
            elif char == "\b":
                line.cursor = max(0, line.cursor - 1)
            elif char == "\t":
                line.cursor = (line.cursor // 8 + 1) * 8
                line.cells.extend(" " * max(0, line.cursor - len(line.cells)))
            else:
                line.put(char)
        position = match.end()
        final = match.group("final")
        params = match.group("params") or ""
        if final == "K":
            line.erase(params.lstrip("?"))
        elif final == "D":
            line.cursor = max(0, line.cursor - _param(params, 1))
        elif final == "C":
            line.cursor += _param(params, 1)
        elif final == "G":
            line.cursor = _param(params, 1) - 1
    lines.append(line.text())
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)

