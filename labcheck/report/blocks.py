"""A step's transcript made ready to print: styled lines, cut when very long, wrapped when too wide.

Every block is bounded whatever the transcript holds (the whole report: `labcheck.report.limits`):
the terminal model plays at most `STEP_BYTES` of it, keeps its first `HEAD_LINES` and last
`TAIL_LINES` lines and the first `LINE_COLUMNS` characters of each line, and each cut is shown
where it happened with a marker saying the evidence keeps the whole output. A line is cut before
it is wrapped, so a huge line costs a few printed rows, not pages. Past `BLOCK_RUNS` styled runs
a block prints in one colour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from labcheck.i18n import Translator, spanish
from labcheck.report.sizing import BlockSize, block_size, block_size_for
from labcheck.terminal.screen import PLAIN, Limits, Run, Screen, Style, render

HEAD_LINES = 220
TAIL_LINES = 60
LINE_COLUMNS = 500  # about four wrapped rows: enough for `--no-trunc` listings
STEP_BYTES = 2 * 1024 * 1024  # of one transcript, what the report plays through the terminal model
BLOCK_RUNS = 4_000  # styled runs (spans) in one block; beyond, the block is printed without colours
# The window as the runner's pty has it; the tail keeps five lines more, so a cut always saves more than 5.
REPORT_LIMITS = Limits(columns=LINE_COLUMNS, rows=50, head_lines=HEAD_LINES, tail_lines=TAIL_LINES + 5)
WRAP_MARK = "↪ "
_MARK_STYLE = Style(fg="#8a8a8a")

Line = tuple[Run, ...]


@dataclass(frozen=True)
class Omission:
    """Where output was left out of the print; the evidence keeps it all.

    `kind` is "lines" (the middle of a long output), "bytes" (a transcript past what the
    report plays), "colours" (too many colour changes: printed plain) or "budget" (the
    report already holds as much terminal output as it prints)."""

    count: int
    kind: str = "lines"

    def message(self, t: Translator | None = None) -> str:
        t = t or spanish()
        if self.kind == "bytes":
            more = t.counted(self.count, "more byte", "more bytes")
            return (
                "⋯ "
                + t.format(
                    "{more} of output not shown; the evidence (evidence.json) keeps the whole output",
                    more=more,
                )
                + " ⋯"
            )
        if self.kind == "colours":
            return (
                "⋯ "
                + t.gettext(
                    "This output is shown without colours: "
                    "it changes colour more often than the report prints"
                )
                + " ⋯"
            )
        if self.kind == "budget":
            return (
                "⋯ "
                + t.gettext(
                    "This step's output is not included: the report already holds all the terminal output it "
                    "prints; the evidence (evidence.json) keeps the whole output"
                )
                + " ⋯"
            )
        lines = t.counted(self.count, "line left out", "lines left out")
        said = t.format("{lines} in the report; the evidence keeps the whole output", lines=lines)
        return f"⋯ {said} ⋯"


@dataclass(frozen=True)
class Block:
    lines: tuple[Line | Omission, ...]
    size: BlockSize
    widest: int
    total_lines: int

    @property
    def omitted(self) -> int:
        return sum(line.count for line in self.lines if isinstance(line, Omission) and line.kind == "lines")

    @property
    def rows(self) -> int:
        return len(self.lines)

    @property
    def runs(self) -> int:
        """Styled runs: each is an HTML span, the costliest thing a PDF lays out (~1 ms each)."""
        return _styled_runs(self.lines)

    @property
    def withheld(self) -> bool:
        """The report's terminal budget was spent: this block only says so."""
        return bool(self.lines) and isinstance(self.lines[0], Omission) and self.lines[0].kind == "budget"


def _width(line: Line) -> int:
    """The columns a line really fills: trailing spaces (a wide pty's padding) do not count."""
    return len("".join(run.text for run in line).rstrip())


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


def cut_mark(count: int, t: Translator | None = None) -> Run:
    t = t or spanish()
    more = t.counted(count, "more character", "more characters")
    return Run(" ⋯ (" + t.format("line cut: {more} in the evidence", more=more) + ")", _MARK_STYLE)


@lru_cache(maxsize=16)
def screen_of(raw: bytes) -> Screen:
    return render(raw[:STEP_BYTES], REPORT_LIMITS)


def _plain(line: Line) -> Line:
    return (Run("".join(run.text for run in line), PLAIN),) if line else ()


def _styled_runs(lines: Iterable[Line | Omission]) -> int:
    return sum(
        sum(1 for run in line if run.style != PLAIN) for line in lines if not isinstance(line, Omission)
    )


def _without_colours(lines: list[Line | Omission]) -> list[Line | Omission]:
    return [Omission(0, "colours"), *(line if isinstance(line, Omission) else _plain(line) for line in lines)]


def without_colours(block: Block) -> Block:
    """The same block in one colour, saying so: for when the report has no colour changes left."""
    return Block(tuple(_without_colours(list(block.lines))), block.size, block.widest, block.total_lines)


def make_block(
    raw: bytes, *, head: int = HEAD_LINES, tail: int = TAIL_LINES, t: Translator | None = None
) -> Block:
    screen = screen_of(raw)
    shown: list[Line] = [
        (*line, cut_mark(screen.cut[index], t)) if index in screen.cut else line
        for index, line in enumerate(screen.lines)
    ]
    lines: list[Line | Omission]
    total = len(shown)
    if screen.omitted is not None:
        after = screen.omitted.after
        kept_tail = shown[after:][-tail:]
        skipped = screen.omitted.count + len(shown) - after - len(kept_tail)
        total = len(shown) + screen.omitted.count
        lines = [*shown[:after], Omission(skipped), *kept_tail]
    elif total > head + tail + 5:
        lines = [*shown[:head], Omission(total - head - tail), *shown[total - tail :]]
    else:
        lines = list(shown)
    if len(raw) > STEP_BYTES:
        lines.append(Omission(len(raw) - STEP_BYTES, "bytes"))
    if _styled_runs(lines) > BLOCK_RUNS:
        lines = _without_colours(lines)
    widths = [_width(line) for line in lines if not isinstance(line, Omission)]
    widest = max(widths, default=0)
    size = block_size_for(widths)
    if size.wrap_at is not None:
        wrapped: list[Line | Omission] = []
        for line in lines:
            wrapped.extend([line] if isinstance(line, Omission) else _wrap(line, size.wrap_at))
        lines = wrapped
    return Block(tuple(lines), size, widest, total)


def withheld_block(printed_rows: int) -> Block:
    """What a step shows once the report holds as much terminal output as it prints."""
    return Block((Omission(printed_rows, "budget"),), block_size(0), 0, 0)
