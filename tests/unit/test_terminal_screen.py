from __future__ import annotations

import pytest

from labcheck.terminal import to_text
from labcheck.terminal.html import line_html
from labcheck.terminal.screen import PALETTE_16, render

SAMPLES = [
    b"hello\r\nworld\r\n",
    b"abc\rX\n",
    b"a\tb\tc\n",
    b"\x1b[31mred\x1b[0m plain\n",
    b"progress 10%\rprogress 100%\n",
    b"abc\x1b[2D\x1b[Kz\n",
    b"x\x1b[5Cy\n",
    b"\x1b]0;title\x07prompt$ ",
    b"foo\x08\x08bar\n",
    b"\x1b[?2004h$ ls\r\n\x1b[?2004l",
    b"\xff\xfebroken\n",
    b"tail   \n\n\n",
    b"\x1b[38;2;10;20;30mrgb\x1b[0m",
    b"a\x1b[1Kb\n",
    b"12345\x1b[3Gx\n",
]


EXPECTED = [
    "hello\nworld",
    "Xbc",
    "a       b       c",
    "red plain",
    "progress 100%",
    "az",
    "x     y",
    "prompt$",
    "fbar",
    "$ ls",
    "\ufffd\ufffdbroken",
    "tail",
    "rgb",
    " b",
    "12x45",
]


@pytest.mark.parametrize(("raw", "expected"), list(zip(SAMPLES, EXPECTED, strict=True)))
def test_to_text_resolves_like_a_terminal(raw: bytes, expected: str) -> None:
    assert to_text(raw) == expected
    assert render(raw).plain() == expected


def test_colours_survive_as_styles() -> None:
    screen = render(b"\x1b[1;31mERR\x1b[0m ok \x1b[38;5;208mo\x1b[48;2;1;2;3mb\x1b[0m\n")
    runs = screen.lines[0]
    assert runs[0].text == "ERR" and runs[0].style.fg == PALETTE_16[1] and runs[0].style.bold
    assert runs[1].text == " ok " and runs[1].style.fg is None
    assert runs[2].style.fg == "#ff8700"
    assert runs[3].style.bg == "#010203"


def test_cursor_up_redraws_lines_in_place() -> None:
    # What BuildKit and `docker compose` do: print, move up, rewrite the lines.
    raw = b"#1 pending\n#2 pending\n\x1b[2A\x1b[K#1 done\n\x1b[K#2 done\n"
    assert render(raw).plain_lines() == ["#1 done", "#2 done"]


def test_clearing_the_screen_keeps_what_was_shown_before() -> None:
    raw = b"before\n\x1b[H\x1b[2Jafter\n"
    assert render(raw).plain_lines() == ["before", "after"]


@pytest.mark.parametrize(
    "raw",
    [b"\x1bc reset", b"odd \x1b", b"\x1b#8x", b"\x1bP1$r\x1b\\y", b"\x1b[?25l\x1b[?1049hz", b"\xc2\x9b2J"],
)
def test_no_escape_or_control_character_is_left(raw: bytes) -> None:
    text = render(raw).plain()
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in text.replace("\n", ""))


def test_html_of_a_line_is_escaped() -> None:
    screen = render(b"\x1b[32m<script>alert('x')</script> & \xff\x1b[0m\n")
    html = line_html(screen.lines[0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html and "\ufffd" in html
    assert 'style="color:' + PALETTE_16[2] in html
