"""`labcheck record LAB [--runs 2]`: reference runs on the kit, proposed expectations written
into the lab's YAML (never replacing what the author wrote)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.proposals import propose
from labcheck.authoring.reference_runs import reference_runs
from labcheck.authoring.spec_edit import write_proposals
from labcheck.errors import LabcheckError
from labcheck.safe_text import visible
from labcheck.spec.loader import load_lab, resolve_spec_path


class RecordRefused(LabcheckError):
    """record was given something it cannot record into."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "record",
        help=t.gettext("run a lab for reference and write the expectations it shows into its YAML"),
    )
    parser.add_argument(
        "spec", metavar="LAB", type=Path, help=t.gettext("the lab pack's folder or its lab.yaml")
    )
    parser.add_argument(
        "--runs", type=int, default=2, help=t.gettext("reference runs, each on fresh nodes (default 2)")
    )
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=DOCKER_HOST",
        help=t.gettext("run a node on an engine you name instead of the kit (repeatable)"),
    )
    parser.set_defaults(handler=_record)


def _record(args: argparse.Namespace) -> int:
    t = i18n.cli()
    if args.runs < 1:
        raise RecordRefused(t.format("--runs must be at least 1; got {runs}", runs=args.runs))
    if not args.spec.exists():
        raise RecordRefused(
            t.format("{path}: no such lab pack (record writes into a spec file you own)", path=args.spec)
        )
    spec = resolve_spec_path(args.spec).resolve()
    lab = load_lab(spec)
    with tempfile.TemporaryDirectory(prefix="labcheck-record-") as work:
        runs = reference_runs(spec, args.runs, Path(work), args.target)
    proposals = propose(lab, runs)
    notes = write_proposals(spec, proposals, args.runs)
    exit_codes = sum(1 for p in proposals if p.exit_code is not None)
    rules = sum(len(p.rules) for p in proposals)
    state = sum(len(p.images) + len(p.state) for p in proposals)
    print(
        t.format(
            "record: {spec}: {exit_codes}, {rules} and {state} proposed from {runs}",
            spec=spec,
            exit_codes=t.counted(exit_codes, "exit code", "exit codes"),
            rules=t.counted(rules, "output rule", "output rules"),
            state=t.counted(state, "state check", "state checks"),
            runs=t.counted(args.runs, "run", "runs"),
        )
    )
    for proposal in proposals:
        for note in proposal.notes:
            print(t.format("  - step '{step}': {note}", step=proposal.step.id, note=visible(note)))
    for note in notes:
        print(f"  - {visible(note)}")
    return 0
