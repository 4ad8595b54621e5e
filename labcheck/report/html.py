"""The report as one self-contained HTML page: cover, contents, sections, steps, summary.

Everything that comes from a spec, a student or a terminal is escaped or goes
through the safe Markdown renderer; the page has no script and links to nothing
it would have to fetch.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from importlib import resources

from labcheck.plurals import counted, number
from labcheck.report import check_text, partial
from labcheck.report import text as es
from labcheck.report.blocks import Block, Omission, make_block
from labcheck.report.chart import chart_svg
from labcheck.report.images import picture_columns
from labcheck.report.limits import MAX_CHECKS, MAX_STEPS, MAX_SUMMARY_ROWS, TerminalBudget
from labcheck.report.markdown import render_inline, render_markdown
from labcheck.report.model import Check, Evidence, NotRunStep, Section, Step
from labcheck.report.options import StudentInfo
from labcheck.report.sizing import MAX_PT, MIN_PT, PORTRAIT_WIDTH_PT, columns_at
from labcheck.terminal.html import line_html

PROMPT = "$"


def size_class(points: float) -> str:
    return f"pt-{round(points * 10)}"


def print_sizes() -> str:
    """One print rule per block size sizing.py may choose (tenths of a point)."""
    sizes = range(round(MIN_PT * 10), round(MAX_PT * 10) + 1)
    rules = " ".join(f".term-out.pt-{tenths} {{ font-size: {tenths / 10:g}pt; }}" for tenths in sizes)
    return f"@media print {{ {rules} }}"


def stylesheet() -> str:
    css = resources.files("labcheck.report").joinpath("style.css").read_text(encoding="utf-8")
    return css + "\n" + print_sizes()


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def step_anchor(step: Step) -> str:
    return "paso-" + slug(step.id or step.number)


def section_anchor(section: Section) -> str:
    return "seccion-" + slug(section.number or section.title)


# ---------------------------------------------------------------- terminal blocks


SHORT_BLOCK_LINES = 30


def terminal_pre(block: Block, *, sized: bool = True) -> str:
    rows: list[str] = []
    for line in block.lines:
        if isinstance(line, Omission):
            rows.append(f'<span class="omitted">{escape(line.message())}</span>')
        else:
            rows.append(line_html(line))
    body = "\n".join(rows) if rows else '<span class="empty">(sin salida)</span>'
    wrapped = " wrapped" if block.size.wrap_at else ""
    # A short table or listing is read whole: never split it across two pages.
    wrapped += " short" if len(block.lines) <= SHORT_BLOCK_LINES else ""
    if not sized:
        return f'<pre class="term-out{wrapped}" style="margin:0;white-space:pre">{body}</pre>'
    # The printed size is a class the print stylesheet sizes; on screen every block reads at one size.
    return f'<pre class="term-out{wrapped} {size_class(block.size.font_pt)}">{body}</pre>'


def command_line(step: Step) -> str:
    node = f'<span class="node">{escape(step.node)}</span>' if step.node else ""
    return (
        f'<div class="term-cmd">{node}<span class="prompt">{PROMPT}</span> '
        f'<code class="cmd">{escape(step.command)}</code></div>'
    )


def terminal_html(
    step: Step,
    *,
    png: Callable[[Step], bytes] | None = None,
    sized: bool = True,
    block: Block | None = None,
) -> str:
    """The command as typed and what the terminal showed, as a terminal would."""
    block = block if block is not None else make_block(step.raw)
    if step.outcome == "skipped" and not step.raw:
        return (
            f'<div class="terminal">{command_line(step)}'
            '<pre class="term-out"><span class="empty">(no se ejecutó)</span></pre></div>'
        )
    text = f'<div class="terminal">{command_line(step)}{terminal_pre(block, sized=sized)}</div>'
    if png is None or block.withheld:
        return text
    # The picture is what the student asked for; the text below keeps the output searchable.
    data = base64.b64encode(png(step)).decode("ascii")
    alt = escape(f"Terminal del paso {step.number}: {step.command}")
    # As wide as the same text at 7.5 pt would be, so pictures share one text size.
    columns = picture_columns(block.widest) + 3
    percent = min(100.0, 100.0 * columns / columns_at(7.5, PORTRAIT_WIDTH_PT))
    return (
        f'<img class="term-png" alt="{alt}" style="width:{percent:.1f}%" '
        f'src="data:image/png;base64,{data}">{text}'
    )


# ---------------------------------------------------------------- verdicts


class DetailsIndex:
    """The regular expressions behind the checks, numbered, for the «Detalles» appendix."""

    def __init__(self) -> None:
        self.rows: list[tuple[Step, check_text.Phrase]] = []

    @property
    def count(self) -> int:
        return len(self.rows)

    def add(self, step: Step, said: check_text.Phrase) -> int:
        self.rows.append((step, said))
        return len(self.rows)

    def html(self) -> str:
        if not self.rows:
            return ""
        items = "".join(
            f'<li id="detalle-{index}"><a href="#{step_anchor(step)}">Paso {escape(step.number)}</a>: '
            f"{escape(said.words)}<br><code>{escape(said.pattern or '')}</code></li>"
            for index, (step, said) in enumerate(self.rows, start=1)
        )
        return (
            '<section class="details" id="detalles">'
            '<h2 class="section-title">Detalles de las comprobaciones</h2>'
            "<p>Las expresiones regulares con que se comprobó la salida de cada paso, por número de "
            "referencia.</p>"
            f'<ol class="details-list">{items}</ol></section>'
        )


def _excerpt_html(excerpt: check_text.Excerpt) -> str:
    rows = []
    for offset, line in enumerate(excerpt.lines):
        at = excerpt.first + offset
        marked = " marked" if at == excerpt.marked else ""
        rows.append(f'<span class="ln{marked}">{at:>4} {"›" if marked else " "} </span>{escape(line) or " "}')
    return f'<pre class="excerpt">{chr(10).join(rows)}</pre>'


def _check_html(check: Check, step: Step, details: DetailsIndex) -> str:
    said = check_text.phrase(check)
    mark = es.OUTCOME_MARK.get(check.verdict, "?")
    # Only the engine's state is not read in the transcript above: say where it comes from.
    source = ' <span class="kind">(según el motor)</span>' if check.family == "state" else ""
    reference = ""
    if said.pattern is not None:
        reference = f' <a class="ref" href="#detalle-{details.add(step, said)}">[{details.count}]</a>'
    head = (
        f'<span class="mark">{mark}</span> <span class="what">{escape(said.words)}</span>{source}{reference}'
    )
    details_html = ""
    if check.verdict == "failed":
        wrong = check_text.mismatch(check, step)
        excerpt = _excerpt_html(wrong.excerpt) if wrong.excerpt else ""
        details_html = (
            f'<div class="mismatch"><span class="k">En cambio:</span> {escape(wrong.said)}{excerpt}</div>'
        )
    elif check.verdict == "skipped":
        reason = check.reason or "no se comprobó"
        details_html = f'<div class="reason">Sin comprobar: {escape(reason)}</div>'
    if check.attempts and check.attempts > 1:
        details_html += f'<div class="attempts">{counted(check.attempts, "intento", "intentos")}</div>'
    return f'<li class="check check-{escape(check.verdict)}">{head}{details_html}</li>'


def verdict_html(step: Step, details: DetailsIndex | None = None) -> str:
    details = details if details is not None else DetailsIndex()
    label = es.OUTCOME_LABEL.get(step.outcome, step.outcome)
    mark = es.OUTCOME_MARK.get(step.outcome, "?")
    facts: list[str] = []
    # The exit code is said once: by its check when the step has one, here otherwise.
    if step.exit_code is not None and not any(check.family == "exit_code" for check in step.checks):
        facts.append(f"código de salida {step.exit_code}")
    if step.duration_s is not None:
        facts.append(es.duration(step.duration_s))
    if step.timed_out:
        facts.append("se agotó el tiempo")
    fact_text = f' <span class="facts">({escape(", ".join(facts))})</span>' if facts else ""
    parts = [f'<div class="verdict-head"><b>{mark} {escape(label)}</b>{fact_text}</div>']
    if step.outcome in ("skipped", "error") and step.reason:
        reason = step.reason
        for prefix in ("omitido:", "error:"):
            if reason.lower().startswith(prefix):
                reason = reason[len(prefix) :].strip()
        parts.append(f'<div class="reason">Motivo: {escape(reason)}</div>')
    if step.checks:
        items = "".join(_check_html(check, step, details) for check in step.checks[:MAX_CHECKS])
        if len(step.checks) > MAX_CHECKS:
            more = counted(len(step.checks) - MAX_CHECKS, "comprobación más", "comprobaciones más")
            items += f'<li class="check">⋯ y {more}; la evidencia (evidence.json) las conserva todas.</li>'
        parts.append(f'<div class="checked">Qué se comprobó:</div><ul class="checks">{items}</ul>')
    elif step.outcome == "passed":
        parts.append('<div class="checked">Este paso no tiene comprobaciones propias.</div>')
    if step.outcome == "failed" and step.hint:
        parts.append(f'<div class="hint"><b>Pista:</b> {render_inline(step.hint)}</div>')
    return f'<div class="verdict verdict-{escape(step.outcome)}">{"".join(parts)}</div>'


def step_html(
    step: Step,
    *,
    png: Callable[[Step], bytes] | None = None,
    block: Block | None = None,
    details: DetailsIndex | None = None,
) -> str:
    block = block if block is not None else make_block(step.raw)
    landscape = " landscape" if block.size.landscape else ""
    label = es.OUTCOME_LABEL.get(step.outcome, step.outcome)
    explanation = render_markdown(step.explanation)
    return (
        f'<section class="step outcome-{escape(step.outcome)}{landscape}" '
        f'id="{step_anchor(step)}">'
        # Heading and explanation stay together, and with the first lines of the terminal.
        '<div class="step-head">'
        f'<h4 class="step-title"><span class="num">Paso {escape(step.number)}</span> '
        f"{escape(step.title)}"
        f'<span class="badge badge-{escape(step.outcome)}">{escape(label)}</span></h4>'
        f'<div class="explanation">{explanation}</div></div>'
        f"{terminal_html(step, png=png, block=block)}"
        f"{verdict_html(step, details)}"
        "</section>"
    )


# ---------------------------------------------------------------- cover and contents


@dataclass(frozen=True)
class Cover:
    evidence: Evidence
    student: StudentInfo
    generated_at: str
    kind: str = "Informe de laboratorio"


def _facts_table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="facts">{body}</table>'


def standins_html(evidence: Evidence) -> str:
    if not evidence.standins:
        return (
            '<p class="images-origin">Las imágenes usadas son las del registro configurado '
            "en el motor; ninguna es un sustituto del kit sin conexión.</p>"
        )
    replaced = sorted({of for _, of in evidence.standin_images if of})
    items = ", ".join(f"<code>{escape(name)}</code>" for name in replaced)
    listing = f"<div>Imágenes de Docker Hub sustituidas: {items}.</div>" if items else ""
    return (
        '<div class="standins"><b>Imágenes sustitutas.</b> Este laboratorio se ejecutó con '
        "el kit sin conexión de labcheck: las imágenes fueron los sustitutos etiquetados que "
        "trae el kit, no las imágenes de Docker Hub. Las salidas que muestran tamaños, "
        f"identificadores o resúmenes de imagen corresponden a esos sustitutos.{listing}</div>"
    )


def limitations_html(evidence: Evidence) -> str:
    items = [
        render_inline(es.CAPABILITY[c.name])
        if c.name in es.CAPABILITY
        else escape(f"{c.name}: no disponible" + (f" ({c.reason})" if c.reason else ""))
        for c in evidence.capabilities
        # Stand-in images have their own box on the cover.
        if not c.available and not (c.name == "real_images" and evidence.standins)
    ]
    if not items:
        return ""
    listing = "".join(f"<li>{item}</li>" for item in items)
    return f'<div class="limits"><b>Limitaciones del entorno.</b><ul>{listing}</ul></div>'


def _grouped(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def chain_html(evidence: Evidence) -> str:
    if evidence.signed:
        key = escape(_grouped(evidence.signature_key_id or "(sin identificar)"))
        signed = (
            f"<div>Firmada con Ed25519 por la clave <code>{key}</code> (huella SHA-256 de la clave "
            "pública), sobre el archivo de evidencia de SHA-256 "
            f"<code>{escape(_grouped(evidence.signed_sha256 or ''))}</code>. "
            "La firma se comprueba con <code>labcheck verify --pubkey</code> y la clave pública del curso."
            "</div>"
        )
    else:
        signed = (
            "<div>Sin firma: la cadena muestra que el archivo es coherente, pero cualquiera puede "
            "rehacerla; solo una firma del curso prueba su origen.</div>"
        )
    head = evidence.chain_head
    return (
        '<div class="chain"><div>Cabeza de la cadena de evidencia (SHA-256):</div>'
        f'<code class="chain-head">{escape(_grouped(head))}</code>'
        f'<span class="chain-short">{escape(head[:16])}</span>'
        f"{signed}"
        "<div>Con este valor se empareja el informe impreso con su archivo de evidencia "
        "(<code>labcheck verify</code>).</div></div>"
    )


def cover_html(cover: Cover) -> str:
    evidence, student = cover.evidence, cover.student
    rows: list[tuple[str, str]] = [
        ("Estudiante", escape(student.name or "sin indicar")),
        ("Grupo", escape(student.group or "sin indicar")),
        ("Fecha de ejecución", escape(es.long_date(evidence.started_at))),
        ("Ejecución", escape(partial.run_status(evidence))),
    ]
    if evidence.sandbox:
        rows.append(("Entorno", escape(es.SANDBOX.get(evidence.sandbox, evidence.sandbox))))
    for target in evidence.targets:
        engine = ", ".join(
            part
            for part in (
                f"Docker {target.engine_version}" if target.engine_version else "",
                target.os or "",
                f"núcleo {target.kernel}" if target.kernel else "",
                target.arch or "",
            )
            if part
        )
        rows.append((f"Motor «{target.name}»", escape(engine or target.docker_host)))
    rows.append(("Laboratorio", escape(f"{evidence.lab_id}, versión {evidence.lab_version}")))
    if evidence.lab_source:
        rows.append(("Fuente", f"<code>{escape(evidence.lab_source)}</code>"))
    rows.append(
        ("Generado", escape(f"{es.long_date(cover.generated_at)}, labcheck {evidence.labcheck_version}"))
    )
    summary = evidence.summary
    total = summary.get("total", len(evidence.steps))
    result = f"Pasos superados: {summary.get('passed', 0)} de {total}"
    extra = [
        es.count_phrase(summary.get("failed", 0), "fallido", "fallidos"),
        es.count_phrase(summary.get("skipped", 0), "omitido", "omitidos"),
    ]
    if summary.get("error"):
        extra.append(es.count_phrase(summary["error"], "con error", "con error"))
    if evidence.not_run:
        extra.append(es.count_phrase(len(evidence.not_run), "sin ejecutar", "sin ejecutar"))
    description = render_markdown(evidence.lab_description)
    return (
        '<section class="cover">'
        f'<div class="kind">{escape(cover.kind)}</div>'
        f'<h1 class="lab-title">{escape(evidence.lab_title)}</h1>'
        f'<div class="lab-description">{description}</div>'
        f'<div class="result">{escape(result)} · {escape(", ".join(extra))}</div>'
        f"{partial.cover_box(evidence)}"
        f"{_facts_table(rows)}"
        f"{standins_html(evidence)}"
        f"{limitations_html(evidence)}"
        f"{chain_html(evidence)}"
        "</section>"
    )


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    label: str
    level: int


def toc_html(entries: Iterable[TocEntry]) -> str:
    rows = "".join(
        f'<tr class="toc-{entry.level}"><td class="label">'
        f'<a href="#{entry.anchor}">{escape(entry.label)}</a></td>'
        f'<td class="page"><a class="page-of" href="#{entry.anchor}"></a></td></tr>'
        for entry in entries
    )
    return (
        '<nav class="toc"><h2 class="toc-title">Índice</h2><table class="toc-table">'
        '<colgroup><col class="c-label"><col class="c-page"></colgroup>'
        f"<tbody>{rows}</tbody></table></nav>"
    )


# ---------------------------------------------------------------- body


def group_steps(evidence: Evidence) -> list[tuple[Section | None, list[Step | NotRunStep]]]:
    """Sections in spec order, each with its steps (those not run too); steps of no known section
    at the end. Only the first MAX_STEPS steps (and not-run steps, and sections) are printed."""
    sections = evidence.sections[:MAX_STEPS]
    steps, not_run = evidence.steps[:MAX_STEPS], evidence.not_run[:MAX_STEPS]
    known = {section.number for section in sections}
    groups: list[tuple[Section | None, list[Step | NotRunStep]]] = [
        (
            section,
            partial.in_spec_order(
                evidence,
                [step for step in steps if step.section == section.number],
                [entry for entry in not_run if entry.section == section.number],
            ),
        )
        for section in sections
    ]
    loose = partial.in_spec_order(
        evidence,
        [step for step in steps if step.section not in known],
        [entry for entry in not_run if entry.section not in known],
    )
    if loose:
        groups.append((None, loose))
    return groups


def section_heading(section: Section) -> str:
    tag = "h2" if section.level <= 1 else "h3"
    return (
        f'<{tag} class="section-title level-{section.level}" id="{section_anchor(section)}">'
        f'<span class="num">{escape(section.number)}</span> {escape(section.title)}</{tag}>'
    )


def _summary_row(step: Step) -> str:
    return (
        f'<tr class="row-{escape(step.outcome)}"><td class="num">{escape(step.number)}</td>'
        f'<td><a href="#{step_anchor(step)}">{escape(step.title)}</a></td>'
        f'<td class="cmd"><code>{escape(step.command)}</code></td>'
        f'<td class="outcome">{es.OUTCOME_MARK.get(step.outcome, "?")} '
        f"{escape(es.OUTCOME_LABEL.get(step.outcome, step.outcome))}</td>"
        f'<td class="time">{escape(es.duration(step.duration_s))}</td></tr>'
    )


def summary_html(evidence: Evidence) -> str:
    listed, unlisted = evidence.steps[:MAX_SUMMARY_ROWS], evidence.not_run[:MAX_SUMMARY_ROWS]
    rows = "".join(
        partial.summary_row(step) if isinstance(step, NotRunStep) else _summary_row(step)
        for step in partial.in_spec_order(evidence, listed, unlisted)
    )
    left_out = len(evidence.steps) - len(listed) + len(evidence.not_run) - len(unlisted)
    if left_out:
        more = counted(left_out, "paso más", "pasos más")
        rows += (
            f'<tr><td></td><td colspan="4">⋯ y {more}; '
            "la evidencia (evidence.json) los conserva todos.</td></tr>"
        )
    summary = evidence.summary
    parts = [
        counted(int(summary.get("passed", 0)), "superado", "superados"),
        counted(int(summary.get("failed", 0)), "fallido", "fallidos"),
        counted(int(summary.get("skipped", 0)), "omitido", "omitidos"),
        f"{number(int(summary.get('error', 0)))} con error",
    ]
    if evidence.not_run:
        parts.append(f"{number(len(evidence.not_run))} sin ejecutar")
    total = counted(int(summary.get("total", len(evidence.steps))), "paso", "pasos")
    totals = f"Total: {total}; {', '.join(parts)}."
    return (
        '<section class="summary" id="resumen"><h2 class="section-title">Resumen</h2>'
        f"{chart_svg(evidence)}"
        '<table class="summary-table"><colgroup><col class="c-num"><col class="c-title">'
        '<col class="c-cmd"><col class="c-outcome"><col class="c-time"></colgroup>'
        "<thead><tr><th>Paso</th><th>Título</th>"
        "<th>Comando</th><th>Resultado</th><th>Duración</th></tr></thead>"
        f'<tbody>{rows}</tbody></table><p class="totals">{escape(totals)}</p>'
        f"{chain_html(evidence)}</section>"
    )


def document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{stylesheet()}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def more_steps_html(count: int) -> str:
    steps = counted(count, "paso más", "pasos más")
    return (
        f'<p class="more-steps">⋯ Este informe detalla los primeros {number(MAX_STEPS)} pasos; '
        f"la evidencia (evidence.json) tiene {steps} y los conserva completos.</p>"
    )


def report_html(
    evidence: Evidence,
    student: StudentInfo,
    generated_at: str,
    *,
    png: Callable[[Step], bytes] | None = None,
) -> str:
    toc: list[TocEntry] = []
    parts: list[str] = []
    budget = TerminalBudget()
    details = DetailsIndex()
    for section, steps in group_steps(evidence):
        blocks = [budget.block(step.raw) if isinstance(step, Step) else None for step in steps]
        if section is not None:
            toc.append(
                TocEntry(section_anchor(section), f"{section.number} {section.title}", min(section.level, 2))
            )
            # A heading goes on the same (landscape) page as its first step, never alone.
            landscape = isinstance(blocks[0], Block) and blocks[0].size.landscape if blocks else False
            parts.append(
                f'<div class="section-head{" landscape" if landscape else ""}">'
                f"{section_heading(section)}"
                f'<div class="section-text">{render_markdown(section.explanation)}</div></div>'
            )
        elif steps:
            toc.append(TocEntry("otros-pasos", "Otros pasos", 1))
            parts.append('<h2 class="section-title" id="otros-pasos">Otros pasos</h2>')
        for step, block in zip(steps, blocks, strict=True):
            if isinstance(step, NotRunStep):
                toc.append(TocEntry(partial.anchor(step), f"Paso {step.number}: {step.title}", 3))
                parts.append(partial.step_html(step))
                continue
            toc.append(TocEntry(step_anchor(step), f"Paso {step.number}: {step.title}", 3))
            parts.append(step_html(step, png=png, block=block, details=details))
    if len(evidence.steps) > MAX_STEPS:
        parts.append(more_steps_html(len(evidence.steps) - MAX_STEPS))
    toc.append(TocEntry("resumen", "Resumen", 1))
    if details.count:
        toc.append(TocEntry("detalles", "Detalles de las comprobaciones", 1))
    cover = Cover(evidence, student, generated_at)
    body = (
        cover_html(cover)
        + toc_html(toc)
        + '<main class="steps">'
        + "".join(parts)
        + "</main>"
        + summary_html(evidence)
        + details.html()
    )
    return document(f"{evidence.lab_title}: informe", body)
