"""What a terminal shows for a byte stream: escapes resolved, nothing raw left."""

from __future__ import annotations

from labcheck.terminal.screen import Screen, render
from labcheck.terminal.text import to_text

__all__ = ["Screen", "render", "to_text"]
