"""`labcheck lint LAB [--evidence EVIDENCE]`: every check of a lab can fail.

Exit 0: no finding; 1: findings, each `file:line: key: message`; 2: a bad spec or evidence."""

from __future__ import annotations

import argparse
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.evidence_view import read_run
from labcheck.authoring.lint_dynamic import dynamic_findings
from labcheck.authoring.lint_static import static_findings
from labcheck.bundled import spec_argument
from labcheck.errors import LabcheckError
from labcheck.safe_text import visible
from labcheck.spec.loader import load_lab


class EvidenceOfAnotherLab(LabcheckError):
    """The evidence given to lint was made by another lab."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "lint",
        help=t.gettext("find checks that cannot fail (statically, and from a reference run's evidence)"),
        description=t.gettext(
            "Find checks that cannot fail; exit 1 when it reports one (file:line: key: why)."
        ),
    )
    parser.add_argument(
        "spec", metavar="LAB", help=t.gettext("a bundled lab's id, a spec file or its folder")
    )
    parser.add_argument(
        "--evidence",
        type=Path,
        default=None,
        metavar="EVIDENCE",
        help=t.gettext("a reference run's evidence.json: each rule is judged again on mutated transcripts"),
    )
    parser.set_defaults(handler=_lint)


def _lint(args: argparse.Namespace) -> int:
    lab = load_lab(spec_argument(args.spec))
    findings = static_findings(lab)
    rules = sum(len(step.matchers) for step in lab.steps)
    said = f"{len(lab.steps)} steps, {rules} output rules"
    if args.evidence is not None:
        run = read_run(args.evidence)
        if run.lab_id != lab.id:
            raise EvidenceOfAnotherLab(
                f"{args.evidence}: is the evidence of lab '{run.lab_id}', not '{lab.id}'"
            )
        report = dynamic_findings(lab, run)
        findings += report.findings
        said += f"; {report.steps_judged} steps judged again from {args.evidence}"
        if report.steps_not_passed:
            skipped = ", ".join(report.steps_not_passed)
            said += f" ({len(report.steps_not_passed)} not passed there, not judged: {skipped})"
    for finding in sorted(findings, key=lambda f: _line_of(f.where)):
        print(visible(str(finding)))
    verdict = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}" if findings else "clean"
    print(f"lint: {lab.path}: {verdict} ({said})")
    return 1 if findings else 0


def _line_of(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
