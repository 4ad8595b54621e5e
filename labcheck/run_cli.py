"""`labcheck run`: the bundled lab (or the specs given) through `pytest --labcheck`.

One code path for both entry points: this command only builds pytest's arguments.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="run a lab (the bundled ones by default) and write evidence and report"
    )
    parser.add_argument("specs", nargs="*", type=Path, help="spec files or folders (default: bundled)")
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=DOCKER_HOST",
        help="run node NAME on this engine instead of a fresh kit node",
    )
    parser.add_argument("--workspace", type=Path, help="folder with the student's own lab files")
    parser.add_argument("--out", type=Path, help="output folder (default: reports/<lab-id>)")
    parser.add_argument("--keep", action="store_true", help="keep what the lab created")
    parser.add_argument(
        "--no-wait", action="store_true", help="if another run holds the engines, exit 2 naming it"
    )
    parser.add_argument("--student-id")
    parser.add_argument("--student-name")
    parser.add_argument("--group")
    parser.add_argument("--images", action="store_true", help="terminal pictures in the report")
    parser.add_argument(
        "pytest_args", nargs=argparse.REMAINDER, help="after --, arguments for pytest (e.g. -- -x -k hello)"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    argv = ["--labcheck", "-p", "no:cacheprovider", "-q", "-rfEs", *[str(s) for s in args.specs]]
    for target in args.target:
        argv += ["--labcheck-target", target]
    for flag, value in (
        ("--labcheck-workspace", args.workspace),
        ("--labcheck-out", args.out),
        ("--labcheck-student-id", args.student_id),
        ("--labcheck-student-name", args.student_name),
        ("--labcheck-group", args.group),
    ):
        if value:
            argv += [flag, str(value)]
    if args.keep:
        argv.append("--labcheck-keep")
    if args.no_wait:
        argv.append("--labcheck-no-wait")
    if args.images:
        argv.append("--labcheck-images")
    extra = [a for a in args.pytest_args if a != "--"]
    return int(pytest.main([*argv, *extra]))
