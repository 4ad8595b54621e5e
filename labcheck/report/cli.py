"""`labcheck report EVIDENCE [-o DIR] [--from mi-informe.md]`: the report again, without Docker."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from labcheck.report.api import render_report
from labcheck.report.options import STUDENT_CONFIG, ReportOptions
from labcheck.safe_text import visible


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render informe.html and informe.pdf from an evidence file (no Docker needed)",
        description=(
            "Render the Spanish report (informe.html, informe.pdf) from an evidence file. "
            f"Student name and group: options, else {STUDENT_CONFIG} in the current folder "
            "or beside the evidence ([student] name = ..., group = ...), else the evidence."
        ),
    )
    parser.add_argument("evidence", type=Path, help="evidence file (evidence.json)")
    parser.add_argument("-o", "--out", type=Path, help="output folder (default: the evidence file's folder)")
    parser.add_argument("--student-name", help="name printed on the cover")
    parser.add_argument("--group", help="group printed on the cover")
    parser.add_argument("--config", type=Path, help=f"student file instead of {STUDENT_CONFIG}")
    parser.add_argument("--images", action="store_true", help="a terminal picture (PNG) of each step as well")
    parser.add_argument(
        "--from",
        dest="from_markdown",
        type=Path,
        metavar="MARKDOWN",
        help="the student's own report: its screenshots are replaced by the captured output",
    )
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    evidence: Path = args.evidence
    out_dir: Path = args.out or evidence.parent
    options = ReportOptions(
        student_name=args.student_name,
        group=args.group,
        images=bool(args.images),
        from_markdown=args.from_markdown,
        config=args.config,
        pdf=not args.no_pdf,
    )
    paths = render_report(evidence, out_dir, options=options)
    for warning in paths.warnings:
        print(f"aviso: {visible(warning)}", file=sys.stderr)
    print(f"informe HTML: {paths.html}")
    if paths.pdf is not None:
        print(f"informe PDF: {paths.pdf}")
    return 0
