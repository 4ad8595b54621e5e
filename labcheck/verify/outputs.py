"""Results of a verification as a text table, CSV, JSON and JUnit XML (one testcase per student)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from labcheck import i18n
from labcheck.i18n import N_plural, Translator
from labcheck.safe_text import csv_cell, visible, xml_text
from labcheck.spec.model import Lab
from labcheck.verify.result import CONSISTENT, ERROR, FAILED, SIGNED, SKIPPED, TAMPERED, BundleResult

_COLUMNS = (SIGNED, CONSISTENT, FAILED, SKIPPED, TAMPERED)
_VERDICT_ORDER = (SIGNED, CONSISTENT, FAILED, TAMPERED, ERROR)
_DETAIL_CHARS = 400
# The text table's words (the CSV's headers, JSON's fields and the verdict codes stay as they are).
_VERDICTS = {
    SIGNED: N_plural("signed", "signed"),
    CONSISTENT: N_plural("consistent", "consistent"),
    FAILED: N_plural("failed", "failed"),
    SKIPPED: N_plural("skipped", "skipped"),
    TAMPERED: N_plural("tampered", "tampered"),
    ERROR: N_plural("error", "errors"),
}


def label(result: BundleResult) -> str:
    return result.expected_student or result.student or Path(result.path).name


def _shown_label(result: BundleResult) -> str:
    return visible(label(result))


def _clip(text: str, limit: int = _DETAIL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_report(
    results: Sequence[BundleResult], lab: Lab, *, details: bool = True, t: Translator | None = None
) -> str:
    """The table a teacher reads, in t's language (the command line's by default)."""
    t = t or i18n.cli()
    # Everything from a bundle or a file name reaches the terminal with its controls made visible.
    student, verdict = t.gettext("student"), t.gettext("verdict")
    headings = [t.noun(2, *_VERDICTS[c]) for c in _COLUMNS]  # each column counts steps
    cell = max(10, *(len(heading) for heading in headings))
    width = max([len(student), *(len(_shown_label(r)) for r in results)])
    header = f"{student:<{width}}  " + "  ".join(f"{h:>{cell}}" for h in headings) + f"  {verdict}"
    said = t.format(
        "{lab} {version} (spec sha256 {sha}…), {bundles}",
        lab=lab.id,
        version=lab.version,
        sha=lab.sha256[:12],
        bundles=t.counted(len(results), "bundle", "bundles"),
    )
    lines = [f"labcheck verify: {said}", header, "-" * len(header)]
    for result in results:
        if result.verdict == ERROR and not result.steps:
            cells = "  ".join(f"{'-':>{cell}}" for _ in _COLUMNS)
        else:
            counts = result.counts
            cells = "  ".join(f"{counts[c]:>{cell}}" for c in _COLUMNS)
        lines.append(f"{_shown_label(result):<{width}}  {cells}  {shown_verdict(result, t)}")
        if details and result.verdict != SIGNED:
            lines += [f"    {_clip(visible(line))}" for line in detail_lines(result, t)]
    lines.append(summary_line(results, t))
    return "\n".join(lines)


def shown_verdict(result: BundleResult, t: Translator | None = None) -> str:
    t = t or i18n.cli()
    if result.verdict == SIGNED and result.signer:
        return t.format("signed (key {key}…)", key=result.signer[:16])
    if result.verdict == CONSISTENT:
        return t.gettext("consistent (unsigned)")
    return t.noun(1, *_VERDICTS[result.verdict]) if result.verdict in _VERDICTS else result.verdict


def detail_lines(result: BundleResult, t: Translator | None = None) -> list[str]:
    """What a teacher needs to see about one student: what failed, was edited, or could not be read."""
    t = t or i18n.cli()
    lines = result.named_failures()
    if result.verdict == CONSISTENT:
        lines.append(
            t.gettext("unsigned: its chain and every rule judged again hold, which a forger can also achieve")
        )
        unproven = [step.id for step in result.steps if step.status == CONSISTENT and step.reasons]
        if unproven:
            proof = t.ngettext(
                "{count} step has state checks that only a signed bundle proves: {steps}",
                "{count} steps have state checks that only a signed bundle proves: {steps}",
                len(unproven),
            )
            lines.append(proof.format(count=len(unproven), steps=", ".join(unproven)))
    return lines


def summary_line(results: Sequence[BundleResult], t: Translator | None = None) -> str:
    t = t or i18n.cli()
    counts = Counter(result.verdict for result in results)
    parts = [t.counted(counts[v], *_VERDICTS[v]) for v in _VERDICT_ORDER if counts[v]]
    return t.format(
        "summary: {counts} (of {total})", counts=", ".join(parts) or t.gettext("nothing"), total=len(results)
    )


def write_csv(results: Sequence[BundleResult], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "bundle", "bundle_student", *_COLUMNS, "verdict", "signer", "problems"])
        for result in results:
            counts = result.counts
            writer.writerow(
                csv_cell(cell)
                for cell in [
                    label(result),
                    result.path,
                    result.student or "",
                    *(counts[c] if result.steps else "" for c in _COLUMNS),
                    result.verdict,
                    result.signer or "",
                    " | ".join(detail_lines(result)) if result.verdict != SIGNED else "",
                ]
            )


def write_json(results: Sequence[BundleResult], lab: Lab, path: Path) -> None:
    document = {
        "lab": {"id": lab.id, "version": lab.version, "spec_sha256": lab.sha256},
        "summary": dict(Counter(result.verdict for result in results)),
        "students": [{"label": label(result), **result.to_json()} for result in results],
    }
    # A lone surrogate from a bundle is written as its JSON escape (\udXXX), not a crash.
    text = json.dumps(document, ensure_ascii=False, indent=1)
    path.write_bytes(text.encode("utf-8", errors="backslashreplace"))


def write_junit(results: Sequence[BundleResult], lab: Lab, path: Path, *, accept_unsigned: bool) -> None:
    failures = sum(1 for r in results if r.verdict != ERROR and not r.ok(accept_unsigned=accept_unsigned))
    errors = sum(1 for r in results if r.verdict == ERROR)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"labcheck verify {lab.id}",
        tests=str(len(results)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    for result in results:
        case = ET.SubElement(
            suite, "testcase", classname=f"labcheck.verify.{lab.id}", name=xml_text(label(result))
        )
        case.set("file", xml_text(result.path))
        if result.ok(accept_unsigned=accept_unsigned):
            continue
        lines = detail_lines(result)
        if result.verdict == ERROR:
            kind = "unreadable" if result.error else "unsigned"
            message = xml_text(result.error or failure_message(result))
            element = ET.SubElement(case, "error", message=message, type=kind)
        else:
            message = xml_text(failure_message(result))
            element = ET.SubElement(case, "failure", message=message, type=result.verdict)
        element.text = xml_text("\n".join(lines))
    suite.set("name", xml_text(f"labcheck verify {lab.id}"))
    ET.indent(suites)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def failure_message(result: BundleResult) -> str:
    """One line naming the steps: tampered ones first, then failed, then the unsigned ones."""
    parts = []
    for status in (TAMPERED, FAILED):
        ids = [step.id for step in result.steps if step.status == status]
        if ids:
            parts.append(f"{status}: {', '.join(ids)}")
    parts += [str(problem) for problem in result.problems if problem.step is None]
    if result.verdict == CONSISTENT:
        parts.append(
            i18n.cli().gettext("consistent (unsigned): it holds together, but anyone could have made it")
        )
    return _clip("; ".join(parts) or result.verdict, 1000)


def exit_code(results: Sequence[BundleResult], *, accept_unsigned: bool) -> int:
    return 0 if all(result.ok(accept_unsigned=accept_unsigned) for result in results) else 1
