"""`labcheck report EVIDENCE [-o DIR] [--from mi-informe.md]`: the report again, without Docker."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from labcheck import i18n
from labcheck.errors import LabcheckError
from labcheck.report.options import STUDENT_CONFIG, ReportOptions
from labcheck.safe_text import visible


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "report",
        help=t.gettext("render informe.html and informe.pdf from an evidence file (no Docker needed)"),
        description=t.format(
            "Render the report (informe.html, informe.pdf) from an evidence file, in the lab's "
            "language or the one --lang names. "
            "Student name and group: options, else {config} in the current folder "
            "or beside the evidence ([student] name = ..., group = ...), else the evidence.",
            config=STUDENT_CONFIG,
        ),
    )
    parser.add_argument(
        "evidence", type=Path, metavar="EVIDENCE", help=t.gettext("evidence file (evidence.json)")
    )
    parser.add_argument(
        "-o", "--out", type=Path, help=t.gettext("output folder (default: the evidence file's folder)")
    )
    parser.add_argument("--student-name", help=t.gettext("name printed on the cover"))
    parser.add_argument("--group", help=t.gettext("group printed on the cover"))
    parser.add_argument(
        "--config", type=Path, help=t.format("student file instead of {config}", config=STUDENT_CONFIG)
    )
    parser.add_argument(
        "--images", action="store_true", help=t.gettext("a terminal picture (PNG) of each step as well")
    )
    parser.add_argument(
        "--from",
        dest="from_markdown",
        type=Path,
        metavar="MARKDOWN",
        help=t.gettext("the student's own report: its screenshots are replaced by the captured output"),
    )
    parser.add_argument("--no-pdf", action="store_true", help=t.gettext("write the HTML only"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=t.gettext(
            "the report's language: en or es (default: the lab's own language, from the evidence)"
        ),
    )
    parser.set_defaults(handler=run)


def utf8_option(option: str, value: str | None) -> str | None:
    """A text option as given; bytes that are not UTF-8 (kept by surrogateescape) are refused by name."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        byte = ord(value[error.start]) - 0xDC00 if 0xDC80 <= ord(value[error.start]) <= 0xDCFF else None
        what = f"byte 0x{byte:02x}" if byte is not None else "a lone surrogate"
        raise LabcheckError(
            f"{option}: not UTF-8 text ({what} at character {error.start + 1}); "
            "give it in UTF-8, or write it in the student file"
        ) from None
    return value


def shown(path: Path) -> str:
    """A path as printable text, whatever bytes its name has."""
    return os.fsencode(path).decode("utf-8", "replace")


def run(args: argparse.Namespace) -> int:
    evidence: Path = args.evidence
    out_dir: Path = args.out or evidence.parent
    options = ReportOptions(
        student_name=utf8_option("--student-name", args.student_name),
        group=utf8_option("--group", args.group),
        images=bool(args.images),
        from_markdown=args.from_markdown,
        config=args.config,
        pdf=not args.no_pdf,
        language=args.lang,
    )
    # WeasyPrint and its system libraries load for a report only, never for verify or kit.
    from labcheck.report.api import render_report

    paths = render_report(evidence, out_dir, options=options)
    t = i18n.cli()  # what this command prints follows the locale; the report, the lab's language
    for warning in paths.warnings:
        print(t.format("warning: {message}", message=visible(warning)), file=sys.stderr)
    print(t.format("HTML report: {path}", path=shown(paths.html)))
    if paths.pdf is not None:
        print(t.format("PDF report: {path}", path=shown(paths.pdf)))
    return 0
