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
    t = i18n.cli()
    lab = load_lab(spec_argument(args.spec))
    findings = static_findings(lab)
    rules = sum(len(step.matchers) for step in lab.steps)
    said = t.format(
        "{steps}, {rules}",
        steps=t.counted(len(lab.steps), "step", "steps"),
        rules=t.counted(rules, "output rule", "output rules"),
    )
    if args.evidence is not None:
        run = read_run(args.evidence)
        if run.lab_id != lab.id:
            raise EvidenceOfAnotherLab(
                t.format(
                    "{path}: is the evidence of lab '{other}', not '{lab}'",
                    path=args.evidence,
                    other=run.lab_id,
                    lab=lab.id,
                )
            )
        report = dynamic_findings(lab, run)
        findings += report.findings
        judged = t.ngettext(
            "; {count} step judged again from {path}",
            "; {count} steps judged again from {path}",
            report.steps_judged,
        )
        said += judged.format(count=t.number(report.steps_judged), path=args.evidence)
        if report.steps_not_passed:
            not_passed = t.ngettext(
                " ({count} not passed there, not judged: {steps})",
                " ({count} not passed there, not judged: {steps})",
                len(report.steps_not_passed),
            )
            said += not_passed.format(
                count=t.number(len(report.steps_not_passed)), steps=", ".join(report.steps_not_passed)
            )
    for finding in sorted(findings, key=lambda f: _line_of(f.where)):
        print(visible(str(finding)))
    verdict = t.counted(len(findings), "finding", "findings") if findings else t.gettext("clean")
    print(t.format("lint: {spec}: {verdict} ({said})", spec=lab.path, verdict=verdict, said=said))
    return 1 if findings else 0


def _line_of(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
