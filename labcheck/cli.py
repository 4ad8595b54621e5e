"""The `labcheck` command line: run, validate, report, verify and the offline kit."""

from __future__ import annotations

import argparse
import sys

from labcheck import run_cli
from labcheck.errors import LabcheckError
from labcheck.kit import cli as kit_cli
from labcheck.report import cli as report_cli
from labcheck.safe_text import visible
from labcheck.spec import cli as spec_cli
from labcheck.verify import cli as verify_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labcheck", description="Check Docker lab steps against a real engine."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    run_cli.register(subparsers)
    spec_cli.register(subparsers)
    kit_cli.register(subparsers)
    report_cli.register(subparsers)
    verify_cli.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except LabcheckError as exc:
        # Messages name files and values others chose: their control characters are shown, not run.
        print(f"labcheck: {visible(str(exc), keep_newlines=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("labcheck: interrupted", file=sys.stderr)
        return 130
