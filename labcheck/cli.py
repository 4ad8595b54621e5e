"""The `labcheck` command line. Minimal for now: its owner extends it, keeping the kit command."""

from __future__ import annotations

import argparse
import sys

from labcheck.errors import LabcheckError
from labcheck.kit import cli as kit_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labcheck", description="Check Docker lab steps against a real engine."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    kit_cli.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except LabcheckError as exc:
        print(f"labcheck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("labcheck: interrupted", file=sys.stderr)
        return 130
