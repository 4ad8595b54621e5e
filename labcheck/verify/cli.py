"""`labcheck verify BUNDLE... --spec SPEC`: check submitted evidence with the course's spec, no Docker."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from labcheck import i18n
from labcheck.bundled import spec_argument
from labcheck.signing.keys import read_public_key
from labcheck.spec.loader import load_lab
from labcheck.verify import outputs
from labcheck.verify.batch import UsageError, find_bundles, verify_all
from labcheck.verify.bundle import DEFAULT_MAX_BYTES
from labcheck.verify.verifier import VerifyOptions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "verify",
        help=t.gettext("verify submitted evidence bundles against the course's spec (no Docker needed)"),
        description=t.gettext(
            "Verify evidence bundles with the course's own spec: the evidence format, the hash chain, "
            "the spec's hash, every step present and in order, and every exit code and output rule "
            "judged again from the recorded transcripts; with --pubkey, the course's signature "
            "(evidence.intoto.jsonl beside each bundle). Verdicts: signed (signed by the course's key), "
            "consistent (unsigned: it holds together, which a forger can also achieve), failed, "
            "tampered, error. A BUNDLE is an evidence JSON file, a folder holding evidence.json, or a "
            "folder of bundles, one per student. Exit code: 0 all signed (or consistent, with "
            "--accept-unsigned), 1 any other verdict, 2 usage error."
        ),
    )
    parser.add_argument(
        "bundles", nargs="+", type=Path, metavar="BUNDLE", help=t.gettext("bundle files or folders")
    )
    parser.add_argument(
        "--spec",
        type=Path,
        required=True,
        help=t.gettext("the course's spec (lab.yaml, its folder or a bundled lab's id)"),
    )
    parser.add_argument(
        "--pubkey",
        type=Path,
        metavar="FILE",
        help=t.gettext("the course's public key (course.pub): only bundles it signed are accepted"),
    )
    who = parser.add_mutually_exclusive_group()
    who.add_argument(
        "--student-id", metavar="ID", help=t.gettext("the student whose bundle this is (one bundle)")
    )
    who.add_argument(
        "--ids-from-names",
        action="store_true",
        help=t.gettext(
            "each bundle's file name (alice.json) or folder name (alice/evidence.json) is its student id"
        ),
    )
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help=t.gettext("also write one row per student as CSV")
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help=t.gettext("also write every finding as JSON")
    )
    parser.add_argument(
        "--junitxml",
        type=Path,
        metavar="FILE",
        help=t.gettext("also write JUnit XML, one testcase per student"),
    )
    parser.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_MAX_BYTES / (1024 * 1024),
        metavar="MB",
        help=t.gettext("refuse bundles bigger than this (default: %(default)g MB)"),
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help=t.gettext("worker processes (default: one per core)")
    )
    parser.add_argument(
        "--rerender",
        action="store_true",
        help=t.gettext("also render every transcript again from its raw bytes and compare (slower)"),
    )
    parser.add_argument(
        "--rejudge-signed",
        action="store_true",
        help=t.gettext(
            "also judge signed bundles again from their transcripts (a check of labcheck itself; slower)"
        ),
    )
    parser.add_argument(
        "--accept-unsigned",
        action="store_true",
        help=t.gettext(
            "exit 0 for unsigned bundles that are consistent (anyone could have made them; "
            "not allowed with --pubkey)"
        ),
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help=t.gettext("the table only, without the details")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    t = i18n.cli()
    if args.pubkey and args.accept_unsigned:
        raise UsageError(
            t.gettext(
                "--accept-unsigned cannot go with --pubkey: "
                "given the course's key, only bundles it signed pass"
            )
        )
    if args.max_size <= 0:
        raise UsageError(t.gettext("--max-size must be a positive number of megabytes"))
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(t.gettext("--jobs must be at least 1"))
    lab = load_lab(spec_argument(str(args.spec)))  # a path, or a bundled lab's id as elsewhere
    options = VerifyOptions(
        public_key=read_public_key(args.pubkey) if args.pubkey else None,
        max_bytes=int(args.max_size * 1024 * 1024),
        rerender=args.rerender,
        rejudge_signed=args.rejudge_signed,
    )
    found = find_bundles(args.bundles, ids_from_names=args.ids_from_names, student_id=args.student_id)
    results = [*found.unreadable, *verify_all(lab, found.submissions, options, args.jobs)]
    results.sort(key=lambda result: result.path)
    print(outputs.text_report(results, lab, details=not args.quiet))
    if args.csv:
        outputs.write_csv(results, args.csv)
    if args.json:
        outputs.write_json(results, lab, args.json)
    if args.junitxml:
        outputs.write_junit(results, lab, args.junitxml, accept_unsigned=args.accept_unsigned)
    for path in (args.csv, args.json, args.junitxml):
        if path:
            print(i18n.cli().format("written: {path}", path=path), file=sys.stderr)
    return outputs.exit_code(results, accept_unsigned=args.accept_unsigned)
