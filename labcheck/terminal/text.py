"""Plain text of a terminal transcript, as a person would read it on screen.

`\r` returns to the start of the line and later characters overwrite earlier ones,
backspace and CSI cursor moves (including up and down, as progress displays use)
are honoured, erase-in-line and erase-in-display blank what they erase, and every
other escape sequence (colours, bracketed paste, cursor queries, OSC titles) is
dropped. Trailing spaces and trailing empty lines go. The coloured form of the
same model is `labcheck.terminal.screen.render`.
"""

from __future__ import annotations

from labcheck.terminal.screen import render


def to_text(raw: bytes | str) -> str:
    """Resolve a transcript into the lines a terminal would show, `\\n`-separated."""
    return render(raw).plain()
