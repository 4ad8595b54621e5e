"""Integrity of a bundle as a whole: identity, hash chain, steps against the spec, summary.

(The signature is checked in labcheck.verify.signature.)"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from labcheck import i18n
from labcheck.evidence import chain, model
from labcheck.evidence.spec_copy import lab_header, spec_sections
from labcheck.spec.model import Lab
from labcheck.verify.result import Problem


def _short(digest: str) -> str:
    return digest[:12] + "…"


def identity_problems(evidence: model.Evidence, lab: Lab, expected_student: str | None) -> list[Problem]:
    """The bundle is for this lab, made with this very spec, by the expected student."""
    problems = []
    lab_id = evidence.lab.id
    if lab_id != lab.id:
        problems.append(
            Problem(
                "wrong-lab",
                i18n.cli().format(
                    "the bundle is for lab «{found}», not «{wanted}»", found=lab_id, wanted=lab.id
                ),
            )
        )
    spec_hash = evidence.spec.sha256
    if spec_hash != lab.sha256:
        problems.append(
            Problem(
                "spec-hash",
                i18n.cli().format(
                    "made with another version of the spec (its spec sha256 {found}, the course's {wanted})",
                    found=_short(spec_hash),
                    wanted=_short(lab.sha256),
                ),
            )
        )
    student = evidence.student.id
    if expected_student is not None and not same_student(student, expected_student):
        problems.append(
            Problem(
                "other-student",
                _student_problem(student, expected_student),
            )
        )
    return problems


def same_student(student: str | None, expected: str | None) -> bool:
    """The same id, whichever Unicode form (composed or decomposed) each was written in."""
    if student is None or expected is None:
        return student == expected
    return unicodedata.normalize("NFC", student) == unicodedata.normalize("NFC", expected)


@dataclass(frozen=True)
class ChainCheck:
    problems: tuple[Problem, ...]
    broken_links: frozenset[int]  # indexes of step records whose link does not match


def check_chain(evidence: model.Evidence) -> ChainCheck:
    """Recompute every link from the recorded one before it, so an edit names its own step.

    The chain is over the records as JSON (`chain.canonical`), as the writer hashed them."""
    recorded = evidence.chain
    problems: list[Problem] = []
    engine_ids = [target.engine.id for target in evidence.targets.values()]
    genesis = chain.genesis(evidence.lab.id, evidence.spec.sha256, evidence.student.id, engine_ids)
    if genesis != recorded.genesis:
        problems.append(
            Problem(
                "chain-genesis",
                i18n.cli().gettext(
                    "the chain's genesis does not match the bundle's lab, spec hash, student id "
                    "or engine IDs (one of them was edited)"
                ),
            )
        )
    broken: set[int] = set()
    previous = recorded.genesis
    for index, record in enumerate(evidence.steps):
        if not chain.link_matches(previous, model.to_document(record)):
            broken.add(index)
        previous = record.chain
    if not chain.head_matches(previous, model.to_document(evidence), recorded.head):
        problems.append(
            Problem(
                "chain-head",
                i18n.cli().gettext(
                    "the chain's head does not match the rest of the bundle "
                    "(lab, spec, student, run, targets, images or summary edited)"
                ),
            )
        )
    return ChainCheck(tuple(problems), frozenset(broken))


@dataclass
class Alignment:
    """Where each step of the spec is in the bundle, and what does not line up."""

    records: dict[str, model.Step] = field(default_factory=dict)  # spec step id -> record
    index: dict[str, int] = field(default_factory=dict)  # spec step id -> position in the bundle
    problems: list[Problem] = field(default_factory=list)
    step_tampering: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def tamper(self, step_id: str, message: str) -> None:
        self.step_tampering.setdefault(step_id, []).append(message)


def align_steps(records: Sequence[model.Step], lab: Lab) -> Alignment:
    """Every step of the spec present once, in the spec's order, with its number; none extra."""
    alignment = Alignment()
    spec_steps = {step.id: step for step in lab.steps}
    seen: Counter[str] = Counter(record.id for record in records)
    for step_id, count in seen.items():
        if count > 1:
            said = i18n.cli().ngettext("recorded {count} time", "recorded {count} times", count)
            alignment.problems.append(Problem("duplicate", said.format(count=count), step=step_id))
        if step_id not in spec_steps:
            alignment.problems.append(
                Problem(
                    "extra-step", i18n.cli().gettext("a step the course's spec does not have"), step=step_id
                )
            )
    for position, record in enumerate(records):
        step_id = record.id
        step = spec_steps.get(step_id)
        if step is None or step_id in alignment.records:
            continue
        alignment.records[step_id] = record
        alignment.index[step_id] = position
        if record.number != step.number:
            alignment.tamper(
                step_id,
                i18n.cli().format(
                    "numbered {found}, the spec numbers it {wanted}", found=record.number, wanted=step.number
                ),
            )
    alignment.missing = [step.id for step in lab.steps if step.id not in alignment.records]
    recorded_order = [record.id for record in records if record.id in spec_steps]
    expected_order = [step.id for step in lab.steps if step.id in alignment.records]
    if _dedupe(recorded_order) != expected_order:
        for found, wanted in zip(_dedupe(recorded_order), expected_order, strict=True):
            if found != wanted:
                alignment.tamper(
                    found,
                    i18n.cli().format(
                        "recorded where the spec has «{wanted}» (steps out of order)", wanted=wanted
                    ),
                )
    return alignment


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def summary_problems(evidence: model.Evidence) -> list[Problem]:
    """The bound summary must count what the step records say."""
    summary = evidence.summary
    counts = Counter(record.outcome for record in evidence.steps)
    wrong = [outcome for outcome in model.OUTCOMES if getattr(summary, outcome) != counts.get(outcome, 0)]
    if wrong:
        t = i18n.cli()
        # The outcome names are the evidence's fields (passed, failed, ...), as it spells them.
        said = ", ".join(
            t.format(
                "{outcome} {recorded} (the steps say {counted})",
                outcome=outcome,
                recorded=getattr(summary, outcome),
                counted=counts.get(outcome, 0),
            )
            for outcome in wrong
        )
        return [Problem("summary", t.format("the summary does not count the steps: {wrong}", wrong=said))]
    return []


def unbound_field_problems(evidence: model.Evidence) -> list[Problem]:
    """Fields the chain does not cover, checked where bound facts determine them.

    `run.standins` decides whether the report's cover says the images were stand-ins; the
    writer derives it from the image facts, which the chain head binds.
    """
    images = evidence.images
    claimed = evidence.run.standins
    if not images:
        return []
    derived = any(image.standin for image in images)
    if claimed != derived:
        said = i18n.cli().format(
            "run.standins says {claimed}, but the recorded images say {derived}",
            claimed=claimed,
            derived=derived,
        )
        return [Problem("standins", said)]
    return []


def spec_copy_problems(evidence: model.Evidence, lab: Lab) -> list[Problem]:
    """What the writer copied from the spec (the report prints it) must be the course spec's."""
    if evidence.spec.sha256 != lab.sha256:
        return []  # already named; every copied field would differ too
    expected = lab_header(lab)
    edited = [
        f"lab.{key}"
        for key in expected.__struct_fields__
        if getattr(evidence.lab, key) != getattr(expected, key)
    ]
    if evidence.spec.sections != spec_sections(lab):
        edited.append("spec.sections")
    if edited:
        said = i18n.cli().ngettext(
            "{fields} differs from the course's spec (edited)",
            "{fields} differ from the course's spec (edited)",
            len(edited),
        )
        said = said.format(fields=", ".join(edited))
        return [Problem("spec-copy", said)]
    return []


def _student_problem(student: str | None, expected: str | None) -> str:
    t = i18n.cli()
    return t.format(
        "the bundle is of student «{found}», expected «{wanted}»",
        found=student or t.gettext("(none)"),
        wanted=expected,
    )
