"""A partial run reads as partial: the cover says so and lists the steps not run; each of
those steps keeps its place in the body and in the summary, saying why it did not run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from labcheck.i18n import N_, Translator, spanish
from labcheck.report import text as es
from labcheck.report.model import Evidence, NotRunStep, Step

NOT_RUN_LABEL = N_("Not run")
NOT_RUN_MARK = "○"
# Up to this many steps not run, the cover names each with its title; past it, numbers only.
_TITLED_ON_COVER = 8


def spec_step_count(evidence: Evidence) -> int:
    return len(evidence.spec_steps) or int(evidence.summary.get("total", len(evidence.steps)))


def _of_all(evidence: Evidence, t: Translator) -> str:
    steps = t.counted(spec_step_count(evidence), "step", "steps")
    return t.format("{done} of {steps}", done=len(evidence.steps), steps=steps)


def run_status(evidence: Evidence, t: Translator | None = None) -> str:
    """The cover's «Ejecución» fact."""
    t = t or spanish()
    known = evidence.status in es.RUN_STATUS
    status = t.gettext(es.RUN_STATUS[evidence.status]) if known else evidence.status
    if not evidence.partial:
        return status
    shown = t.gettext("partial") if evidence.status == "complete" else status
    return f"{shown} ({_of_all(evidence, t)})"


def cover_box(evidence: Evidence, t: Translator | None = None) -> str:
    """«Ejecución parcial: N de M pasos», then the steps not run, grouped by why."""
    t = t or spanish()
    if not evidence.partial:
        return ""
    by_detail: dict[str, list[NotRunStep]] = {}
    for entry in evidence.not_run:
        by_detail.setdefault(entry.detail, []).append(entry)
    titled = len(evidence.not_run) <= _TITLED_ON_COVER
    items = "".join(
        f"<li>{escape(_sentence(detail, t))}: {_step_list(entries, titled=titled)}.</li>"
        for detail, entries in by_detail.items()
    )
    missing = len(evidence.not_run)
    not_run = t.counted(
        missing,
        "step was not run and does not count as passed",
        "steps were not run and do not count as passed",
    )
    heading = t.format("Partial run: {of_all}. {not_run}:", of_all=_of_all(evidence, t), not_run=not_run)
    return f'<div class="partial"><b>{escape(heading)}</b><ul>{items}</ul></div>'


def _sentence(detail: str, t: Translator) -> str:
    return detail[:1].upper() + detail[1:] if detail else t.gettext("No reason recorded")


def _step_list(entries: Sequence[NotRunStep], *, titled: bool) -> str:
    if titled:
        return ", ".join(f"{escape(e.number)} «{escape(e.title)}»" for e in entries)
    return ", ".join(escape(e.number) for e in entries)


def in_spec_order(
    evidence: Evidence, steps: Sequence[Step], not_run: Sequence[NotRunStep]
) -> list[Step | NotRunStep]:
    """Recorded steps and not-run ones of one group, in the spec's order."""
    merged: list[Step | NotRunStep] = [*steps, *not_run]
    position = {step_id: index for index, step_id in enumerate(evidence.spec_steps)}
    if not position or not not_run:
        return merged
    last = len(position)
    return sorted(merged, key=lambda item: position.get(item.id, last))


def anchor(entry: NotRunStep) -> str:
    return "paso-" + (re.sub(r"[^a-z0-9]+", "-", (entry.id or entry.number).lower()).strip("-") or "x")


def step_html(entry: NotRunStep, t: Translator | None = None) -> str:
    """The step's place in the body: its title, and that it was not run, and why."""
    t = t or spanish()
    label = escape(t.gettext(NOT_RUN_LABEL))
    step = escape(t.format("Step {number}", number=entry.number))
    reason = t.format("Reason: {reason}.", reason=entry.detail or t.gettext("no reason recorded"))
    nothing = t.gettext("This run has no output and no checks of this step.")
    return (
        f'<section class="step outcome-not-run" id="{anchor(entry)}">'
        f'<h4 class="step-title">{step}\u2002{escape(entry.title)}'
        f'<span class="badge badge-not-run">{label}</span></h4>'
        '<div class="verdict verdict-not-run">'
        f'<div class="verdict-head"><b>{NOT_RUN_MARK} {label}</b></div>'
        f'<div class="reason">{escape(reason)} {escape(nothing)}</div></div></section>'
    )


def summary_row(entry: NotRunStep, t: Translator | None = None) -> str:
    t = t or spanish()
    return (
        f'<tr class="row-not-run"><td class="num">{escape(entry.number)}</td>'
        f'<td><a href="#{anchor(entry)}">{escape(entry.title)}</a></td>'
        '<td class="cmd">—</td>'
        f'<td class="outcome">{NOT_RUN_MARK} {escape(t.gettext(NOT_RUN_LABEL))}</td>'
        '<td class="time">—</td></tr>'
    )
