"""The lab at a glance: one bar per top-level section, its steps passed, failed, skipped, as inline SVG.

Inline SVG prints in the PDF (WeasyPrint draws it) and shows in any browser, with no script and no
file to fetch. Every text in it comes from the spec and is escaped.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from html import escape

from labcheck.i18n import N_plural, Translator, spanish
from labcheck.report.model import Evidence

# outcome, label, colour (the badges' colours of style.css)
SERIES = (
    ("passed", N_plural("passed", "passed"), "#23783d"),
    ("failed", N_plural("failed", "failed"), "#b3261e"),
    ("error", N_plural("with an error", "with an error"), "#8a4b00"),
    ("skipped", N_plural("skipped", "skipped"), "#9a9a9a"),
    ("not-run", N_plural("not run", "not run"), "#d6d6d6"),
)
MAX_BARS = 30
LABEL_CHARS = 40  # what fits in LABEL_W at font-size 10
LABEL_LINES = 2  # a longer title wraps; only a third line's worth is cut, with "…"
WIDTH, LABEL_W, BAR_H, GAP, TOP, LINE_H = 640, 250, 14, 6, 22, 12


def _top(section: str | None) -> str:
    return (section or "").split(".", 1)[0] or "—"


def tallies(evidence: Evidence, t: Translator | None = None) -> list[tuple[str, Counter[str]]]:
    """(label, outcomes) per top-level section, in spec order."""
    t = t or spanish()
    titles = {s.number: s.title for s in evidence.sections if s.level <= 1}
    counts: dict[str, Counter[str]] = {}
    for number in titles:
        counts[number] = Counter()
    for step in evidence.steps:
        counts.setdefault(_top(step.section), Counter())[step.outcome] += 1
    for entry in evidence.not_run:
        counts.setdefault(_top(entry.section), Counter())["not-run"] += 1
    rows = []
    for number, outcomes in list(counts.items())[:MAX_BARS]:
        if not outcomes:
            continue
        title = titles.get(number, t.gettext("Other steps"))
        label = f"{number} {title}" if number != "—" else title
        rows.append((label, outcomes))
    return rows


def label_lines(label: str) -> list[str]:
    """A section's label on at most LABEL_LINES lines of LABEL_CHARS, whole words kept."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [label]
    if len(lines) > LABEL_LINES:
        last = textwrap.shorten(" ".join(lines[LABEL_LINES - 1 :]), LABEL_CHARS, placeholder=" …")
        lines = [*lines[: LABEL_LINES - 1], last]
    return lines


def chart_svg(evidence: Evidence, t: Translator | None = None) -> str:
    t = t or spanish()
    rows = tallies(evidence, t)
    if not rows:
        return ""
    most = max(sum(outcomes.values()) for _, outcomes in rows)
    scale = (WIDTH - LABEL_W - 60) / most
    height = TOP + sum(BAR_H + GAP + (len(label_lines(label)) - 1) * LINE_H for label, _ in rows) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title">'
        f'<title id="chart-title">{escape(t.gettext("Steps passed, failed and skipped by section"))}</title>'
        '<g font-family="DejaVu Sans, sans-serif" font-size="10">'
    ]
    x = LABEL_W
    for outcome, message, colour in SERIES:
        if not any(outcomes[outcome] for _, outcomes in rows):
            continue
        label = t.noun(2, *message)  # the legend names many steps
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="13" fill="#333">{escape(label)}</text>')
        x += 24 + 6 * len(label)
    y = TOP
    for label, outcomes in rows:
        lines = label_lines(label)
        spans = "".join(
            f'<tspan x="0" dy="{0 if n == 0 else LINE_H}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text x="0" y="{y + BAR_H - 3}" fill="#1b1b1b">{spans}</text>')
        left = float(LABEL_W)
        for outcome, name, colour in SERIES:
            count = outcomes[outcome]
            if not count:
                continue
            width = count * scale
            steps = t.counted(count, "step", "steps")
            said = t.format("{steps} {outcome}", steps=steps, outcome=t.noun(count, *name))
            parts.append(
                f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{colour}">'
                f"<title>{escape(said)}</title></rect>"
            )
            left += width
        total = sum(outcomes.values())
        parts.append(f'<text x="{left + 5:.1f}" y="{y + BAR_H - 3}" fill="#444">{total}</text>')
        y += BAR_H + GAP + (len(lines) - 1) * LINE_H
    parts.append("</g></svg>")
    return f'<figure class="chart-figure">{"".join(parts)}</figure>'
