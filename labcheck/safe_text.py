"""Text that others wrote (a bundle, a file name, a student's Markdown), made safe for where it goes.

- A terminal: control characters are shown, never executed. ESC (`\\x1b`, which starts every
  escape sequence: cursor moves that erase a real «failed» row, OSC 52 that writes the
  clipboard), the other C0 controls (CR and backspace overwrite what was printed), DEL, the C1
  controls (U+0080..U+009F: a lone U+009B is a CSI on many terminals), the bidirectional
  overrides that reorder what is shown, and lone surrogates (which cannot even be printed) all
  become their escape written out, e.g. `\\x1b`.
- A spreadsheet (CSV): a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR would be read as
  a formula; it gets a leading `'`, as OWASP's CSV-injection guidance says.
- XML 1.0 (JUnit): characters XML 1.0 forbids become `#xNN`, as pytest's `bin_xml_escape` does.
"""

from __future__ import annotations

import re

# C0 but newline and tab (handled apart), DEL, C1, bidi marks and overrides, lone surrogates.
_HIDDEN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_KEEPING_LINES = re.compile(f"[{_HIDDEN}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_HIDDEN}\n\t]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _written_out(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Text for a terminal: every control character shown as its escape, none executed.
    With keep_newlines, newlines and tabs stay (a multi-line message); otherwise they are shown too."""
    pattern = _UNSAFE_KEEPING_LINES if keep_newlines else _UNSAFE_ONE_LINE
    return pattern.sub(_written_out, text)


def csv_cell(value: object) -> object:
    """A cell no spreadsheet takes for a formula, with no control character; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    shown = visible(value)
    if value.startswith(_FORMULA_START) or shown.startswith(_FORMULA_START):
        return "'" + shown
    return shown


def _xml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"#x{code:02X}" if code <= 0xFF else f"#x{code:04X}"


def xml_text(text: str) -> str:
    """Text for an XML 1.0 document: control characters shown, the rest XML forbids as `#xNN`."""
    return _XML_ILLEGAL.sub(_xml_escape, visible(text, keep_newlines=True))
