"""`labcheck validate SPEC...`: check specs without running them."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from labcheck.errors import SpecInvalid
from labcheck.spec.loader import load_lab

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """A spec's keys and values quoted in a message are shown, never executed by the terminal."""
    return _CONTROL.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("validate", help="check lab specs without running them")
    parser.add_argument("specs", nargs="+", type=Path, help="spec files or folders holding lab.yaml")
    parser.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.specs:
        try:
            lab = load_lab(path)
        except SpecInvalid as error:
            failed += 1
            for problem in error.problems:
                print(visible(str(problem)), file=sys.stderr)
            continue
        print(f"ok: {lab.path} ({lab.id} {lab.version}, {len(lab.steps)} pasos)")
    # An invalid spec is a usage error of the spec's author, like a wrong option: exit 2.
    return 2 if failed else 0
