"""What other parts of labcheck call: render a report, picture a step, an HTML extra for pytest-html."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from labcheck.catalogs import LANGUAGES
from labcheck.errors import LabcheckError
from labcheck.evidence import model
from labcheck.i18n import REPORT_FALLBACK, cli, language_code, translator
from labcheck.report.html import report_html, terminal_html
from labcheck.report.images import render_png, terminal_png
from labcheck.report.model import Step, evidence_view, load, step_view
from labcheck.report.options import ReportOptions, ReportPaths, resolve_student
from labcheck.report.pdf import write_pdf
from labcheck.report.spec_texts import localized, node_descriptions
from labcheck.signing.files import signature_facts

HTML_NAME = "informe.html"
PDF_NAME = "informe.pdf"

__all__ = [
    "HTML_NAME",
    "PDF_NAME",
    "ReportOptions",
    "ReportPaths",
    "render_report",
    "step_html_extra",
    "terminal_png",
]


def report_language(evidence: model.Evidence, asked: str | None) -> str:
    """The language asked for, else the lab's (`lab.language` of the evidence), else Spanish."""
    if asked is not None:
        code = language_code(asked)
        if code is None:
            raise LabcheckError(
                cli().format(
                    "--lang {asked}: labcheck writes reports in these languages only: {languages}",
                    asked=asked,
                    languages=", ".join(LANGUAGES),
                )
            )
        return code
    return language_code(evidence.lab.language) or REPORT_FALLBACK


def render_report(evidence: model.Evidence | Path, out_dir: Path, *, options: ReportOptions) -> ReportPaths:
    """Write `informe.html` (and `informe.pdf` unless `options.pdf` is false) into out_dir."""
    data = load(evidence)
    t = translator(report_language(data, options.language))
    spec = options.spec
    nodes = node_descriptions(data, t.language, spec)
    record = evidence_view(localized(data, t.language, spec), t, nodes)
    extra_dirs = [Path.cwd()]
    if isinstance(evidence, Path):
        extra_dirs.append(evidence.parent)
        signature = signature_facts(evidence)
        if signature is not None:
            key_id = signature.key_ids[0] if signature.key_ids else None
            record = dataclasses.replace(
                record, signed=True, signature_key_id=key_id, signed_sha256=signature.evidence_sha256
            )
    student = resolve_student(options, record.student_name, record.student_group, extra_dirs)
    generated_at = options.generated_at or datetime.now(UTC).isoformat(timespec="seconds")
    png = render_png if options.images else None
    out_dir.mkdir(parents=True, exist_ok=True)
    warnings: tuple[str, ...] = ()
    if options.from_markdown is not None:
        from labcheck.report.student_markdown import student_report_html

        html, warnings = student_report_html(
            options.from_markdown, record, student, generated_at, out_dir=out_dir, png=png, t=t
        )
    else:
        html = report_html(record, student, generated_at, png=png, t=t)
    html_path = out_dir / HTML_NAME
    html_path.write_text(html, encoding="utf-8")
    pdf_path = write_pdf(html, out_dir / PDF_NAME, base_dir=out_dir) if options.pdf else None
    return ReportPaths(html=html_path, pdf=pdf_path, warnings=warnings)


def step_html_extra(step: model.Step | Step) -> str:
    """A standalone HTML snippet (inline styles, no script): command and coloured transcript."""
    record = step if isinstance(step, Step) else step_view(step)
    return (
        "<div style=\"background:#1d1f21;color:#d8d8d8;font-family:'DejaVu Sans Mono',"
        'monospace;font-size:12px;padding:6px;overflow-x:auto">'
        f"{terminal_html(record, sized=False)}</div>"
    )
