"""A partial run reads as partial: the cover says so and lists the steps not run; each of
those steps keeps its place in the body and in the summary, saying why it did not run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from labcheck.plurals import counted
from labcheck.report import text as es
from labcheck.report.model import Evidence, NotRunStep, Step

NOT_RUN_LABEL = "No ejecutado"
NOT_RUN_MARK = "○"
# Up to this many steps not run, the cover names each with its title; past it, numbers only.
_TITLED_ON_COVER = 8


def spec_step_count(evidence: Evidence) -> int:
    return len(evidence.spec_steps) or int(evidence.summary.get("total", len(evidence.steps)))


def run_status(evidence: Evidence) -> str:
    """The cover's «Ejecución» fact."""
    status = es.RUN_STATUS.get(evidence.status, evidence.status)
    if not evidence.partial:
        return status
    of_all = f"{len(evidence.steps)} de {counted(spec_step_count(evidence), 'paso', 'pasos')}"
    return f"{'parcial' if evidence.status == 'complete' else status} ({of_all})"


def cover_box(evidence: Evidence) -> str:
    """«Ejecución parcial: N de M pasos», then the steps not run, grouped by why."""
    if not evidence.partial:
        return ""
    by_detail: dict[str, list[NotRunStep]] = {}
    for entry in evidence.not_run:
        by_detail.setdefault(entry.detail, []).append(entry)
    titled = len(evidence.not_run) <= _TITLED_ON_COVER
    items = "".join(
        f"<li>{escape(_sentence(detail))}: {_step_list(entries, titled=titled)}.</li>"
        for detail, entries in by_detail.items()
    )
    missing = len(evidence.not_run)
    not_run = counted(
        missing,
        "paso no se ejecutó y no cuenta como superado",
        "pasos no se ejecutaron y no cuentan como superados",
    )
    of_all = f"{len(evidence.steps)} de {counted(spec_step_count(evidence), 'paso', 'pasos')}"
    heading = f"Ejecución parcial: {of_all}. {not_run}:"
    return f'<div class="partial"><b>{escape(heading)}</b><ul>{items}</ul></div>'


def _sentence(detail: str) -> str:
    return detail[:1].upper() + detail[1:] if detail else "Sin motivo registrado"


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


def step_html(entry: NotRunStep) -> str:
    """The step's place in the body: its title, and that it was not run, and why."""
    return (
        f'<section class="step outcome-not-run" id="{anchor(entry)}">'
        f'<h4 class="step-title"><span class="num">Paso {escape(entry.number)}</span> '
        f"{escape(entry.title)}"
        f'<span class="badge badge-not-run">{NOT_RUN_LABEL}</span></h4>'
        '<div class="verdict verdict-not-run">'
        f'<div class="verdict-head"><b>{NOT_RUN_MARK} {NOT_RUN_LABEL}</b></div>'
        f'<div class="reason">Motivo: {escape(entry.detail or "sin motivo registrado")}. '
        "No hay salida ni comprobaciones de este paso en esta ejecución.</div></div></section>"
    )


def summary_row(entry: NotRunStep) -> str:
    return (
        f'<tr class="row-not-run"><td class="num">{escape(entry.number)}</td>'
        f'<td><a href="#{anchor(entry)}">{escape(entry.title)}</a></td>'
        '<td class="cmd">—</td>'
        f'<td class="outcome">{NOT_RUN_MARK} {NOT_RUN_LABEL}</td><td class="time">—</td></tr>'
    )
