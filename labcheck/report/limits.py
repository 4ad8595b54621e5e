"""How much one report prints, whatever the evidence holds.

A real lab has tens of steps and a few thousand lines of output; an edited or runaway
evidence can hold thousands of steps and megabytes of terminal. The report prints the
first `MAX_STEPS` steps in detail (the summary lists up to `MAX_SUMMARY_ROWS`), and
terminal output until `REPORT_ROWS` printed rows or `REPORT_BYTES` of transcripts have
been used: later steps keep their verdict and show a marker instead of their output. Past
`REPORT_RUNS` colour changes, blocks print in one colour (and say so).
Per-block bounds are in `labcheck.report.blocks`, per-text ones in `labcheck.report.model`; the
README sums them up (Course CI, "Evidence is read defensively").
"""

from __future__ import annotations

from dataclasses import dataclass

from labcheck.i18n import Translator
from labcheck.report.blocks import Block, make_block, withheld_block, without_colours

MAX_STEPS = 200
MAX_SUMMARY_ROWS = 500
MAX_CHECKS = 40  # listed under one step
REPORT_ROWS = 10_000  # printed terminal rows: about 130 pages of output
REPORT_BYTES = 8 * 1024 * 1024  # transcript bytes played through the terminal model
# Styled runs (one HTML span each) cost a PDF ~1 ms and 15 KB each, plain rows ~0.5 ms per 1,000:
# past this many, blocks print in one colour. The bundled lab's report has none.
REPORT_RUNS = 12_000


@dataclass
class TerminalBudget:
    """Terminal output left for the rest of the report, spent step by step in print order."""

    rows: int = REPORT_ROWS
    raw_bytes: int = REPORT_BYTES
    runs: int = REPORT_RUNS

    def block(self, raw: bytes, t: Translator | None = None) -> Block:
        if self.rows <= 0 or self.raw_bytes <= 0:
            return withheld_block(REPORT_ROWS - self.rows)
        self.raw_bytes -= len(raw)
        block = make_block(raw, t=t)
        if block.rows > self.rows:
            self.rows = 0
            return withheld_block(REPORT_ROWS)
        self.rows -= block.rows
        if block.runs > self.runs:
            block = without_colours(block)
        self.runs -= block.runs
        return block
