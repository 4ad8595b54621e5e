"""The terminal model's limits, on the hostile transcripts themselves: what it keeps is bounded
by its window, its columns and its head and tail of lines, and what it drops is counted."""

from __future__ import annotations

import random

from labcheck.terminal.screen import DEFAULT_LIMITS, Limits, Omitted, render
from tests.hostile.render_inputs import cursor_far_away, line_10mb, sgr_5000_digits

SMALL = Limits(columns=20, rows=5, head_lines=4, tail_lines=6)
DEFAULT_LIMITS_5_ROWS = Limits(columns=DEFAULT_LIMITS.columns, rows=5, head_lines=100, tail_lines=100)


def test_cursor_down_stops_at_the_bottom_of_the_window() -> None:
    screen = render(b"top\x1b[99999999Bbottom", SMALL)
    # Down keeps the column, as a terminal's cursor does.
    assert screen.plain_lines() == ["top", "", "", "", "   bottom"]


def test_cursor_up_and_absolute_moves_stay_inside_the_window() -> None:
    lines = b"".join(b"line %d\n" % n for n in range(12))
    # The window is the last 5 lines: row 1 of the screen is line 8, not the first line printed.
    screen = render(lines + b"\x1b[99999999A*\x1b[1;1H#", DEFAULT_LIMITS_5_ROWS)
    assert screen.plain_lines()[:8] == [f"line {n}" for n in range(8)]
    assert screen.plain_lines()[8] == "#ine 8"


def test_far_columns_are_clamped_and_what_did_not_fit_is_counted() -> None:
    screen = render(cursor_far_away(), SMALL)
    assert max(len(line) for line in screen.plain_lines()) <= SMALL.columns
    assert screen.plain_lines()[0] == "a" + " " * 18 + "b"
    # The cursor stops on the last column, so what is printed there fits; so is the tab storm's "f".
    assert 0 not in screen.cut and "e" + " " * 18 + "f" in screen.plain_lines()


def test_a_long_line_is_cut_and_counted() -> None:
    screen = render(line_10mb(), Limits(columns=500))
    assert screen.plain_lines() == [("0123456789" * 50)]
    assert screen.cut == {0: 10_000_000 - 500}


def test_huge_parameters_are_clamped() -> None:
    screen = render(sgr_5000_digits())
    assert screen.plain() == "rojo negrita"
    assert screen.lines[0][0].style.fg == "#eeeeee"  # colour index 65,535 clamps to 255


def test_head_and_tail_are_kept_and_the_lines_between_counted() -> None:
    raw = b"".join(b"%d\r\n" % n for n in range(100))
    screen = render(raw, SMALL)
    # 101 lines (the last one empty, and not shown): 4 kept at the head, 6 at the tail.
    assert screen.omitted == Omitted(after=4, count=91)
    assert screen.plain_lines() == [str(n) for n in (*range(4), *range(95, 100))]


def test_redraws_still_work_after_lines_were_dropped() -> None:
    raw = b"".join(b"%d\n" % n for n in range(100)) + b"\x1b[2A\x1b[Kdone\n"
    screen = render(raw, SMALL)
    assert screen.plain_lines()[-2:] == ["done", "99"]
    assert screen.omitted is not None and screen.omitted.count == 91


def test_real_transcripts_resolve_as_recorded() -> None:
    import base64

    from tests.hostile.render_inputs import real_document

    for step in real_document()["steps"]:
        raw = base64.b64decode(step["transcript"]["raw_b64"])
        assert render(raw).plain() == step["transcript"]["text"], step["id"]


def _random_stream(rng: random.Random) -> bytes:
    pieces = [
        b"x",
        b"ab",
        b"\r",
        b"\n",
        b"\r\n",
        b"\b",
        b"\t",
        b"\x1b7",
        b"\x1b8",
        b"\x1bM",
        b"\x1bE",
        b"\xe2\x96\x88",
    ]
    finals = b"ABCDEFGHJKdfmsu`ae"
    parts: list[bytes] = []
    for _ in range(rng.randint(1, 400)):
        if rng.random() < 0.4:
            params = b";".join(
                b"%d" % rng.choice((0, 1, 2, 3, 7, 99, 65535, 99999999)) for _ in range(rng.randint(0, 3))
            )
            parts.append(b"\x1b[" + params + bytes([rng.choice(finals)]))
        else:
            parts.append(rng.choice(pieces))
    return b"".join(parts)


def test_random_streams_never_break_the_limits() -> None:
    rng = random.Random(2026)
    for _ in range(500):
        screen = render(_random_stream(rng), SMALL)
        assert len(screen.lines) <= SMALL.head_lines + SMALL.tail_lines
        assert all(len(line) <= SMALL.columns for line in screen.plain_lines())
        assert screen.omitted is None or screen.omitted.after == SMALL.head_lines
