"""The report as one self-contained HTML page: cover, contents, sections, steps, summary.

Everything that comes from a spec, a student or a terminal is escaped or goes
through the safe Markdown renderer; the page has no script and links to nothing
it would have to fetch.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from importlib import resources

from labcheck.evidence import reasons
from labcheck.i18n import N_, Translator, spanish, translator
from labcheck.report import check_text, partial
from labcheck.report import text as es
from labcheck.report.blocks import Block, Omission, make_block
from labcheck.report.chart import chart_svg
from labcheck.report.images import picture_columns
from labcheck.report.limits import MAX_CHECKS, MAX_STEPS, MAX_SUMMARY_ROWS, TerminalBudget
from labcheck.report.markdown import render_explanation, render_inline, render_markdown
from labcheck.report.model import Check, Evidence, NotRunStep, Section, Step, Target
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


def terminal_pre(block: Block, *, sized: bool = True, t: Translator | None = None) -> str:
    t = t or spanish()
    rows: list[str] = []
    for line in block.lines:
        if isinstance(line, Omission):
            rows.append(f'<span class="omitted">{escape(line.message(t))}</span>')
        else:
            rows.append(line_html(line))
    body = "\n".join(rows) if rows else f'<span class="empty">{escape(t.gettext("(no output)"))}</span>'
    wrapped = " wrapped" if block.size.wrap_at else ""
    # A short table or listing is read whole: never split it across two pages.
    wrapped += " short" if len(block.lines) <= SHORT_BLOCK_LINES else ""
    if not sized:
        return f'<pre class="term-out{wrapped}" style="margin:0;white-space:pre">{body}</pre>'
    # The printed size is a class the print stylesheet sizes; on screen every block reads at one size.
    return f'<pre class="term-out{wrapped} {size_class(block.size.font_pt)}">{body}</pre>'


def command_line(step: Step) -> str:
    # The node and the prompt are one styled run, as a shell prints them: every inline box is a
    # layout of its own for WeasyPrint.
    prompt = f"{escape(step.node)} {PROMPT}" if step.node else PROMPT
    return (
        f'<div class="term-cmd"><span class="prompt">{prompt}</span> '
        f'<code class="cmd">{escape(step.command)}</code></div>'
    )


def terminal_html(
    step: Step,
    *,
    png: Callable[[Step], bytes] | None = None,
    sized: bool = True,
    block: Block | None = None,
    t: Translator | None = None,
) -> str:
    """The command as typed and what the terminal showed, as a terminal would."""
    t = t or spanish()
    block = block if block is not None else make_block(step.raw, t=t)
    if step.outcome == "skipped" and not step.raw:
        return (
            f'<div class="terminal">{command_line(step)}'
            f'<pre class="term-out"><span class="empty">{escape(t.gettext("(it was not run)"))}</span>'
            "</pre></div>"
        )
    text = f'<div class="terminal">{command_line(step)}{terminal_pre(block, sized=sized, t=t)}</div>'
    if png is None or block.withheld:
        return text
    # The picture is what the student asked for; the text below keeps the output searchable.
    data = base64.b64encode(png(step)).decode("ascii")
    alt = escape(t.format("Terminal of step {number}: {command}", number=step.number, command=step.command))
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

    def __init__(self, t: Translator | None = None) -> None:
        self.t = t or spanish()
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
        t = self.t
        # The anchor on the link, not the item: see step_html. The pattern is a block of its own
        # (style.css), not after a <br>: a <br> is an element and a generated line break to lay out.
        items = "".join(
            f'<li><a id="detalle-{index}" href="#{step_anchor(step)}">'
            f"{escape(t.format('Step {number}', number=step.number))}</a>: "
            f'{escape(said.words)}<code class="pattern">{escape(said.pattern or "")}</code></li>'
            for index, (step, said) in enumerate(self.rows, start=1)
        )
        intro = t.gettext("The regular expressions each step's output was checked with, by reference number.")
        return (
            '<section class="details" id="detalles">'
            f'<h2 class="section-title">{escape(t.gettext("Details of the checks"))}</h2>'
            f"<p>{escape(intro)}</p>"
            f'<ol class="details-list">{items}</ol></section>'
        )


def _excerpt_html(excerpt: check_text.Excerpt) -> str:
    rows = []
    for offset, line in enumerate(excerpt.lines):
        at = excerpt.first + offset
        marked = " marked" if at == excerpt.marked else ""
        rows.append(f'<span class="ln{marked}">{at:>4} {"›" if marked else " "} </span>{escape(line) or " "}')
    return f'<pre class="excerpt">{chr(10).join(rows)}</pre>'


def _check_html(check: Check, step: Step, details: DetailsIndex, t: Translator) -> str:
    said = check_text.phrase(check, t)
    mark = es.OUTCOME_MARK.get(check.verdict, "?")
    # Only the engine's state is not read in the transcript above: say where it comes from.
    source = ""
    if check.family == "state":
        source = f' <span class="kind">({escape(t.gettext("according to the engine"))})</span>'
    reference = ""
    if said.pattern is not None:
        reference = f' <a class="ref" href="#detalle-{details.add(step, said)}">[{details.count}]</a>'
    # The words are bare text but for a failed check's (bold): every inline box costs WeasyPrint
    # a layout of its own, and two spans per check were 8% of the PDF's work.
    words = escape(said.words)
    if check.verdict == "failed":
        words = f'<span class="what">{words}</span>'
    head = f"{mark} {words}{source}{reference}"
    details_html = ""
    if check.verdict == "failed":
        wrong = check_text.mismatch(check, step, t)
        excerpt = _excerpt_html(wrong.excerpt) if wrong.excerpt else ""
        instead = escape(t.gettext("Instead:"))
        details_html = (
            f'<div class="mismatch"><span class="k">{instead}</span> {escape(wrong.said)}{excerpt}</div>'
        )
    elif check.verdict == "skipped":
        # A reason the evidence recorded is printed as recorded.
        reason = check.reason or t.gettext("it was not checked")
        details_html = f'<div class="reason">{escape(t.format("Not checked: {reason}", reason=reason))}</div>'
    if check.attempts and check.attempts > 1:
        details_html += f'<div class="attempts">{t.counted(check.attempts, "attempt", "attempts")}</div>'
    return f'<li class="check check-{escape(check.verdict)}">{head}{details_html}</li>'


def verdict_html(step: Step, details: DetailsIndex | None = None, t: Translator | None = None) -> str:
    t = t or spanish()
    details = details if details is not None else DetailsIndex(t)
    label = es.outcome_label(step.outcome, t)
    mark = es.OUTCOME_MARK.get(step.outcome, "?")
    facts: list[str] = []
    # The exit code is said once: by its check when the step has one, here otherwise.
    if step.exit_code is not None and not any(check.family == "exit_code" for check in step.checks):
        facts.append(t.format("exit code {code}", code=step.exit_code))
    if step.duration_s is not None:
        facts.append(es.duration(step.duration_s, t))
    if step.timed_out:
        facts.append(t.gettext("it ran out of time"))
    if any(check.reason_code == reasons.STOPPED_WHEN_SEEN for check in step.checks):
        facts.append(t.gettext("labcheck stopped the command once what it waited for was seen"))
    fact_text = f" ({escape(', '.join(facts))})" if facts else ""  # bare text, greyed by .verdict-head
    # What was checked is announced on the verdict's own line: one block fewer per step.
    announced = ""
    if step.checks and not (step.outcome in ("skipped", "error") and step.reason):
        announced = " · " + escape(t.gettext("What was checked:"))
    parts = [f'<div class="verdict-head"><b>{mark} {escape(label)}</b>{fact_text}{announced}</div>']
    if step.outcome in ("skipped", "error") and step.reason:
        reason = step.reason
        # The verdict above already says it was skipped: the reason's own "omitido:" is not repeated.
        for prefix in ("omitido:", "skipped:", "error:"):
            if reason.lower().startswith(prefix):
                reason = reason[len(prefix) :].strip()
        # The step's reason is a code in the evidence, put into the report's words (report.model).
        parts.append(f'<div class="reason">{escape(t.format("Reason: {reason}", reason=reason))}</div>')
    if step.checks:
        items = "".join(_check_html(check, step, details, t) for check in step.checks[:MAX_CHECKS])
        if len(step.checks) > MAX_CHECKS:
            more = t.counted(len(step.checks) - MAX_CHECKS, "more check", "more checks")
            rest = t.format("⋯ and {more}; the evidence (evidence.json) keeps them all.", more=more)
            items += f'<li class="check">{escape(rest)}</li>'
        if not announced:  # a reason stands between the verdict and its checks
            parts.append(f'<div class="checked">{escape(t.gettext("What was checked:"))}</div>')
        parts.append(f'<ul class="checks">{items}</ul>')
    elif step.outcome == "passed":
        none = escape(t.gettext("This step has no checks of its own."))
        parts.append(f'<div class="checked">{none}</div>')
    if step.outcome == "failed" and step.hint:
        hint = escape(t.gettext("Hint:"))
        parts.append(f'<div class="hint"><b>{hint}</b> {render_inline(step.hint)}</div>')
    return f'<div class="verdict verdict-{escape(step.outcome)}">{"".join(parts)}</div>'


def step_html(
    step: Step,
    *,
    png: Callable[[Step], bytes] | None = None,
    block: Block | None = None,
    details: DetailsIndex | None = None,
    t: Translator | None = None,
) -> str:
    t = t or spanish()
    block = block if block is not None else make_block(step.raw, t=t)
    landscape = " landscape" if block.size.landscape else ""
    # A badge marks a step that did not pass; a passed one says so in its verdict, once.
    badge = ""
    if step.outcome != "passed":
        label = escape(es.outcome_label(step.outcome, t))
        badge = f'<span class="badge badge-{escape(step.outcome)}">{label}</span>'
    explanation = render_explanation(step.explanation)
    number = escape(t.format("Step {number}", number=step.number))
    # The anchor is on the heading, not the section: WeasyPrint shares one computed style among
    # elements alike, and an id makes an element (and everything inside it) unlike any other, so an
    # id on the section computed every step's styles anew (PDF ~12% slower).
    return (
        f'<section class="step outcome-{escape(step.outcome)}{landscape}">'
        # Heading and explanation stay together, and with the first lines of the terminal.
        '<div class="step-head">'
        # The number is bare text, apart from the title by an en space (an inline box less).
        f'<h4 class="step-title" id="{step_anchor(step)}">{number}\u2002{escape(step.title)}{badge}</h4>'
        f'<div class="explanation">{explanation}</div></div>'
        f"{terminal_html(step, png=png, block=block, t=t)}"
        f"{verdict_html(step, details, t)}"
        "</section>"
    )


# ---------------------------------------------------------------- cover and contents


@dataclass(frozen=True)
class Cover:
    evidence: Evidence
    student: StudentInfo
    generated_at: str
    kind: str = N_("Lab report")
    t: Translator = field(default_factory=spanish)


def _facts_table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="facts">{body}</table>'


def standins_html(evidence: Evidence, t: Translator | None = None) -> str:
    t = t or spanish()
    if not evidence.standins:
        if evidence.engineless:
            return ""  # no engine, so no image: the environment row says so
        said = t.gettext(
            "The images used are those of the registry the engine is set to; none is a stand-in of "
            "the offline kit."
        )
        return f'<p class="images-origin">{escape(said)}</p>'
    replaced = sorted({of for _, of in evidence.standin_images if of})
    items = ", ".join(f"<code>{escape(name)}</code>" for name in replaced)
    listing = ""
    if items:
        listing = f"<div>{escape(t.gettext('Docker Hub images stood in for:'))} {items}.</div>"
    heading = escape(t.gettext("Stand-in images."))
    said = t.gettext(
        "This lab ran on labcheck's offline kit: the images were the labelled stand-ins the kit "
        "brings, not Docker Hub's images. Outputs that show image sizes, identifiers or digests are "
        "those of the stand-ins."
    )
    return f'<div class="standins"><b>{heading}</b> {escape(said)}{listing}</div>'


def limitations_html(evidence: Evidence, t: Translator | None = None) -> str:
    t = t or spanish()
    items = [
        render_inline(t.gettext(es.CAPABILITY[c.name]))
        if c.name in es.CAPABILITY
        else escape(t.format("{name}: not available", name=c.name) + (f" ({c.reason})" if c.reason else ""))
        for c in evidence.capabilities
        # Stand-in images have their own box on the cover; nodes with no engine lack every
        # engine's feature, which the environment row says once.
        if not c.available
        and not (c.name == "real_images" and evidence.standins)
        and c.reason_code != reasons.LOCAL_NODES
    ]
    if not items:
        return ""
    listing = "".join(f"<li>{item}</li>" for item in items)
    heading = escape(t.gettext("Limits of the environment."))
    return f'<div class="limits"><b>{heading}</b><ul>{listing}</ul></div>'


def _grouped(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def chain_html(evidence: Evidence, t: Translator | None = None) -> str:
    t = t or spanish()
    if evidence.signed:
        key = escape(_grouped(evidence.signature_key_id or t.gettext("(unidentified)")))
        digest = escape(_grouped(evidence.signed_sha256 or ""))
        # Escaped first, then the code elements go in: the message itself holds no markup.
        said = escape(
            t.gettext(
                "Signed with Ed25519 by the key {key} (SHA-256 fingerprint of the public key), over the "
                "evidence file of SHA-256 {digest}. The signature is checked with {command} and the "
                "course's public key."
            )
        ).format(
            key=f"<code>{key}</code>",
            digest=f"<code>{digest}</code>",
            command="<code>labcheck verify --pubkey</code>",
        )
        signed = f"<div>{said}</div>"
    else:
        said = t.gettext(
            "Unsigned: the chain shows the file is consistent, but anyone can rebuild it; only a "
            "signature of the course proves where it comes from."
        )
        signed = f"<div>{escape(said)}</div>"
    head = evidence.chain_head
    pairs = escape(
        t.gettext("This value pairs the printed report with its evidence file ({command}).")
    ).format(command="<code>labcheck verify</code>")
    return (
        f'<div class="chain"><div>{escape(t.gettext("Head of the evidence chain (SHA-256):"))}</div>'
        f'<code class="chain-head">{escape(_grouped(head))}</code>'
        f'<span class="chain-short">{escape(head[:16])}</span>'
        f"{signed}"
        f"<div>{pairs}</div></div>"
    )


def _engine_words(target: Target, t: Translator) -> str:
    parts = (
        f"Docker {target.engine_version}" if target.engine_version else "",
        target.os or "",
        t.format("kernel {version}", version=target.kernel) if target.kernel else "",
        target.arch or "",
    )
    return ", ".join(part for part in parts if part) or target.docker_host


def nodes_rows(evidence: Evidence, t: Translator) -> list[tuple[str, str]]:
    """The cover's rows for the lab's machines: each node with what it is for (the spec's words,
    when known) and its engine. Described nodes that all run the same engine (the kit's) name it
    once, under them, so a three-node lab's cover still fits its page."""
    targets = evidence.targets
    engines = {_engine_words(target, t) for target in targets}
    described = all(target.description for target in targets)
    if described and len(targets) > 1 and len(engines) == 1:
        rows = [
            (t.format("Node «{name}»", name=target.name), escape(target.description or ""))
            for target in targets
        ]
        rows.append((t.gettext("Engine of every node"), escape(engines.pop())))
        return rows
    rows = []
    for target in targets:
        facts = escape(_engine_words(target, t))
        if target.description:
            # What the node is for first (the teacher reads the lab's machines), its engine under it.
            role = f'<div class="node-role">{escape(target.description)}</div>'
            facts = f'{role}<div class="node-engine">{facts}</div>'
        rows.append((t.format("Node «{name}»", name=target.name), facts))
    return rows


def cover_html(cover: Cover) -> str:
    evidence, student, t = cover.evidence, cover.student, cover.t
    unset = t.gettext("not given")
    sandbox = evidence.sandbox or ""
    rows: list[tuple[str, str]] = [
        (t.gettext("Student"), escape(student.name or unset)),
        (t.gettext("Group"), escape(student.group or unset)),
        (t.gettext("Date of the run"), escape(es.long_date(evidence.started_at, t))),
        (t.gettext("Run"), escape(partial.run_status(evidence, t))),
    ]
    if sandbox:
        shown = t.gettext(es.SANDBOX[sandbox]) if sandbox in es.SANDBOX else sandbox
        if evidence.engineless:
            shown = t.gettext(es.ENGINELESS)
        rows.append((t.gettext("Environment"), escape(shown)))
    rows.extend(nodes_rows(evidence, t))
    lab = t.format("{id}, version {version}", id=evidence.lab_id, version=evidence.lab_version)
    rows.append((t.gettext("Lab"), escape(lab)))
    if evidence.lab_source:
        rows.append((t.gettext("Source"), f"<code>{escape(evidence.lab_source)}</code>"))
    generated = f"{es.long_date(cover.generated_at, t)}, labcheck {evidence.labcheck_version}"
    rows.append((t.gettext("Generated"), escape(generated)))
    summary = evidence.summary
    total = summary.get("total", len(evidence.steps))
    result = t.format("Steps passed: {passed} of {total}", passed=summary.get("passed", 0), total=total)
    extra = [
        t.counted(summary.get("failed", 0), "failed", "failed"),
        t.counted(summary.get("skipped", 0), "skipped", "skipped"),
    ]
    if summary.get("error"):
        extra.append(t.counted(summary["error"], "with an error", "with an error"))
    if evidence.not_run:
        extra.append(t.counted(len(evidence.not_run), "not run", "not run"))
    description = render_markdown(evidence.lab_description)
    return (
        '<section class="cover">'
        f'<div class="kind">{escape(t.gettext(cover.kind))}</div>'
        f'<h1 class="lab-title">{escape(evidence.lab_title)}</h1>'
        f'<div class="lab-description">{description}</div>'
        f'<div class="result">{escape(result)} · {escape(", ".join(extra))}</div>'
        f"{partial.cover_box(evidence, t)}"
        f"{_facts_table(rows)}"
        f"{standins_html(evidence, t)}"
        f"{limitations_html(evidence, t)}"
        f"{chain_html(evidence, t)}"
        "</section>"
    )


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    label: str
    level: int


SCREEN_ONLY_LEVEL = 3  # rows of this level (steps) are listed on screen only (style.css): no page number


def toc_html(entries: Iterable[TocEntry], t: Translator | None = None) -> str:
    t = t or spanish()
    rows = "".join(
        f'<tr class="toc-{entry.level}"><td class="label">'
        f'<a href="#{entry.anchor}">{escape(entry.label)}</a></td>'
        + (
            ""
            if entry.level == SCREEN_ONLY_LEVEL
            else f'<td class="page"><a class="page-of" href="#{entry.anchor}"></a></td>'
        )
        + "</tr>"
        for entry in entries
    )
    return (
        f'<nav class="toc"><h2 class="toc-title">{escape(t.gettext("Contents"))}</h2>'
        '<table class="toc-table">'
        '<colgroup><col class="c-label"><col class="c-page"></colgroup>'
        f"<tbody>{rows}</tbody></table>"
        f'<p class="toc-steps">{escape(t.gettext("Every step is listed, with its result, in the summary."))}'
        "</p>"
        "</nav>"
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


def _summary_row(step: Step, t: Translator) -> str:
    return (
        f'<tr class="row-{escape(step.outcome)}"><td class="num">{escape(step.number)}</td>'
        f'<td><a href="#{step_anchor(step)}">{escape(step.title)}</a></td>'
        f'<td class="cmd">{escape(step.command)}</td>'
        f'<td class="outcome">{es.OUTCOME_MARK.get(step.outcome, "?")} '
        f"{escape(es.outcome_label(step.outcome, t))}</td>"
        f'<td class="time">{escape(es.duration(step.duration_s, t))}</td></tr>'
    )


def summary_html(evidence: Evidence, t: Translator | None = None) -> str:
    t = t or spanish()
    listed, unlisted = evidence.steps[:MAX_SUMMARY_ROWS], evidence.not_run[:MAX_SUMMARY_ROWS]
    rows = "".join(
        partial.summary_row(step, t) if isinstance(step, NotRunStep) else _summary_row(step, t)
        for step in partial.in_spec_order(evidence, listed, unlisted)
    )
    left_out = len(evidence.steps) - len(listed) + len(evidence.not_run) - len(unlisted)
    if left_out:
        more = t.counted(left_out, "more step", "more steps")
        said = t.format("⋯ and {more}; the evidence (evidence.json) keeps them all.", more=more)
        rows += f'<tr><td></td><td colspan="4">{escape(said)}</td></tr>'
    summary = evidence.summary
    parts = [
        t.counted(int(summary.get("passed", 0)), "passed", "passed"),
        t.counted(int(summary.get("failed", 0)), "failed", "failed"),
        t.counted(int(summary.get("skipped", 0)), "skipped", "skipped"),
        t.counted(int(summary.get("error", 0)), "with an error", "with an error"),
    ]
    if evidence.not_run:
        parts.append(t.counted(len(evidence.not_run), "not run", "not run"))
    total = t.counted(int(summary.get("total", len(evidence.steps))), "step", "steps")
    totals = t.format("Total: {total}; {parts}.", total=total, parts=", ".join(parts))
    heads = "".join(
        f"<th>{escape(t.gettext(head))}</th>"
        for head in (N_("Step"), N_("Title"), N_("Command"), N_("Result"), N_("Duration"))
    )
    return (
        f'<section class="summary" id="resumen"><h2 class="section-title">{escape(t.gettext("Summary"))}</h2>'
        f"{chart_svg(evidence, t)}"
        '<table class="summary-table"><colgroup><col class="c-num"><col class="c-title">'
        '<col class="c-cmd"><col class="c-outcome"><col class="c-time"></colgroup>'
        f"<thead><tr>{heads}</tr></thead>"
        f'<tbody>{rows}</tbody></table><p class="totals">{escape(totals)}</p>'
        f"{chain_html(evidence, t)}</section>"
    )


def page_marks(t: Translator) -> str:
    """The printed page's footer in the report's language (style.css holds the Spanish default)."""
    evidence = t.gettext("Evidence").replace('"', "")
    page, of = t.gettext("Page").replace('"', ""), t.gettext("of").replace('"', "")
    return (
        f'@page {{ @bottom-left {{ content: "{evidence} " string(chain) "…"; }} '
        f'@bottom-right {{ content: "{page} " counter(page) " {of} " counter(pages); }} }}'
    )


def document(title: str, body: str, language: str = "es") -> str:
    marks = page_marks(translator(language))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{stylesheet()}\n{marks}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def more_steps_html(count: int, t: Translator | None = None) -> str:
    t = t or spanish()
    steps = t.counted(count, "more step", "more steps")
    said = t.format(
        "⋯ This report details the first {count} steps; the evidence (evidence.json) has {steps} and "
        "keeps them whole.",
        count=t.number(MAX_STEPS),
        steps=steps,
    )
    return f'<p class="more-steps">{escape(said)}</p>'


def report_html(
    evidence: Evidence,
    student: StudentInfo,
    generated_at: str,
    *,
    png: Callable[[Step], bytes] | None = None,
    t: Translator | None = None,
) -> str:
    """The whole report in t's language (Spanish by default)."""
    t = t or spanish()
    toc: list[TocEntry] = []
    parts: list[str] = []
    budget = TerminalBudget()
    details = DetailsIndex(t)
    for section, steps in group_steps(evidence):
        blocks = [budget.block(step.raw, t) if isinstance(step, Step) else None for step in steps]
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
            others = t.gettext("Other steps")
            toc.append(TocEntry("otros-pasos", others, 1))
            parts.append(f'<h2 class="section-title" id="otros-pasos">{escape(others)}</h2>')
        for step, block in zip(steps, blocks, strict=True):
            entry = t.format("Step {number}: {title}", number=step.number, title=step.title)
            if isinstance(step, NotRunStep):
                toc.append(TocEntry(partial.anchor(step), entry, SCREEN_ONLY_LEVEL))
                parts.append(partial.step_html(step, t))
                continue
            toc.append(TocEntry(step_anchor(step), entry, SCREEN_ONLY_LEVEL))
            parts.append(step_html(step, png=png, block=block, details=details, t=t))
    if len(evidence.steps) > MAX_STEPS:
        parts.append(more_steps_html(len(evidence.steps) - MAX_STEPS, t))
    toc.append(TocEntry("resumen", t.gettext("Summary"), 1))
    if details.count:
        toc.append(TocEntry("detalles", t.gettext("Details of the checks"), 1))
    cover = Cover(evidence, student, generated_at, t=t)
    body = (
        cover_html(cover)
        + toc_html(toc, t)
        + '<main class="steps">'
        + "".join(parts)
        + "</main>"
        + summary_html(evidence, t)
        + details.html()
    )
    return document(t.format("{title}: report", title=evidence.lab_title), body, t.language)
