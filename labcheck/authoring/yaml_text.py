"""YAML written by hand, so it can carry comments: scalars as JSON strings (valid YAML), comments
that no text from a lab can break out of."""

from __future__ import annotations

import json
import re
import textwrap

# What YAML reads as a line break or refuses in a stream: never written raw, inside or outside quotes.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]+")


def scalar(text: str) -> str:
    """A double-quoted YAML scalar holding exactly `text`."""
    dumped = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: _escape(m.group(0)), dumped)


def _escape(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return "\\uFFFD"  # a lone surrogate from a hostile file: not text, replaced
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def comment_text(text: str) -> str:
    """One line of text safe to put after `#`: no line breaks, no control characters."""
    return _UNSAFE.sub(" ", _BREAKS.sub(" ", text)).strip()


def comment_lines(text: str, indent: str, width: int = 96) -> list[str]:
    """A paragraph as wrapped comment lines."""
    flat = comment_text(text)
    if not flat:
        return []
    return [f"{indent}#   {line}" for line in textwrap.wrap(flat, width, break_long_words=True)]


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(item) for item in items) + "]"
