"""Verify one bundle against the course's spec: integrity, re-judged steps, cross-checks, a verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, Limits, read_regular, read_within
from labcheck.errors import EvidenceError
from labcheck.evidence import model
from labcheck.refusal_words import refusal_said
from labcheck.signing.files import envelope_path
from labcheck.signing.keys import PublicKey
from labcheck.spec.model import Lab, Step
from labcheck.verify import crosscheck, integrity, selection_check
from labcheck.verify.bundle import (
    DEFAULT_MAX_BYTES,
    FOLDER,
    READ_TIMEOUT_S,
    evidence_file,
    read_bundle_bytes,
)
from labcheck.verify.recorded import reason_text, rule_words
from labcheck.verify.rejudge import rejudge_run_step, shown, skip_problems
from labcheck.verify.result import (
    CONSISTENT,
    ERROR,
    FAILED,
    SIGNED,
    TAMPERED,
    BundleResult,
    Problem,
    StepFindings,
    StepVerdict,
)
from labcheck.verify.signature import MAX_ENVELOPE_BYTES, SignatureCheck, check_signature, unreadable_envelope


@dataclass(frozen=True)
class VerifyOptions:
    # The course's public key: given it, only bundles it signed are accepted; without it, none is signed.
    public_key: PublicKey | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    rerender: bool = False  # re-render every transcript from its raw bytes (slower)
    # Judge signed bundles again too: a check of labcheck itself, not of the student (slower).
    rejudge_signed: bool = False


class Verifier:
    """Built once per spec (and per worker process), then used for any number of bundles."""

    def __init__(self, lab: Lab, options: VerifyOptions | None = None) -> None:
        self.lab = lab
        self.options = options or VerifyOptions()
        self.steps: tuple[Step, ...] = lab.steps

    def verify_path(
        self, path: Path, expected_student: str | None = None, *, within: Path | None = None
    ) -> BundleResult:
        try:
            raw, evidence = read_bundle_bytes(path, self.options.max_bytes, within=within)
        except EvidenceError as error:
            return BundleResult(str(path), None, expected_student, ERROR, error=str(error))
        file = evidence_file(path) if within is None else path
        try:
            envelope = self._envelope(file, within)
        except FileRefused as refused:
            signature = unreadable_envelope(refusal_said(refused))
        else:
            signature = check_signature(raw, evidence, envelope, self.options.public_key)
        return self.verify_evidence(evidence, str(path), expected_student, signature)

    def _envelope(self, evidence: Path, within: Path | None) -> bytes | None:
        """The envelope's bytes, read as carefully as the bundle; None when there is none."""
        if self.options.public_key is None:
            return None  # nothing to check it with: not even read
        envelope = envelope_path(evidence)
        limits = Limits(MAX_ENVELOPE_BYTES, READ_TIMEOUT_S)
        try:
            if within is None:
                return read_regular(envelope, limits)
            return read_within(
                within, envelope.relative_to(within), limits, where=FOLDER, display=str(envelope)
            )
        except FileMissing:
            return None

    def verify_evidence(
        self,
        evidence: model.Evidence,
        path: str,
        expected_student: str | None = None,
        signature: SignatureCheck | None = None,
    ) -> BundleResult:
        """Without a signature check, the evidence is judged unsigned (given a public key: rejected)."""
        if signature is None:
            signature = check_signature(None, evidence, None, self.options.public_key)
        problems = integrity.identity_problems(evidence, self.lab, expected_student)
        if signature.signed and not self.options.rejudge_signed:
            # The course key signed these very bytes, and its statement names this genesis and head:
            # the chain was computed by the course CI, and no byte of it can have changed since.
            chain_check = integrity.ChainCheck((), frozenset())
        else:
            chain_check = integrity.check_chain(evidence)
        problems += chain_check.problems
        problems += signature.problems
        problems += integrity.summary_problems(evidence)
        problems += integrity.unbound_field_problems(evidence)
        problems += integrity.spec_copy_problems(evidence, self.lab)
        problems += selection_check.selection_problems(evidence, self.lab)
        alignment = integrity.align_steps(evidence.steps, self.lab)
        problems += alignment.problems
        student = evidence.student.id
        # The bundle's own spelling when it is the expected student (NFC or NFD alike).
        same = expected_student is None or integrity.same_student(student, expected_student)
        values = self.lab.values_for_student(student if same else expected_student)
        signed = signature.signed and not problems and not chain_check.broken_links
        # A signed bundle is what the course CI recorded with this very spec: its outcomes are the CI's
        # verdicts. Judging its transcripts again would only check labcheck against itself.
        judged = not signed or self.options.rejudge_signed
        findings = self._judge_steps(evidence, alignment, chain_check, values, signed, judged)
        if judged:
            for step_id, messages in crosscheck.image_fact_problems(
                self.steps, values, evidence.images
            ).items():
                findings[step_id].tampering += messages
        verdicts = tuple(findings[step.id].verdict(signed=signed) for step in self.steps)
        return BundleResult(
            path=path,
            student=student,
            expected_student=expected_student,
            verdict=_verdict(verdicts, problems, signed),
            steps=verdicts,
            problems=tuple(problems),
            signed=signed,
            signer=signature.signer if signed else None,
        )

    def _judge_steps(
        self,
        evidence: model.Evidence,
        alignment: integrity.Alignment,
        chain_check: integrity.ChainCheck,
        values: dict[str, str],
        signed: bool,
        judged: bool,
    ) -> dict[str, StepFindings]:
        findings: dict[str, StepFindings] = {}
        recorded_outcomes: dict[str, str] = {}
        run_stopped = _run_stopped_early(evidence, alignment.missing, self.steps)
        not_run = selection_check.not_run_reasons(evidence)
        for step in self.steps:
            found = findings[step.id] = StepFindings(step.id, step.number)
            found.tampering += alignment.step_tampering.get(step.id, [])
            record = alignment.records.get(step.id)
            if record is None:
                self._missing(step, found, alignment, chain_check, run_stopped, not_run.get(step.id))
                continue
            if alignment.index[step.id] in chain_check.broken_links:
                found.tampering.append(
                    i18n.cli().gettext(
                        "its record does not match the hash chain (edited, or the step before it removed)"
                    )
                )
            recorded_outcomes[step.id] = record.outcome
            if judged:
                self._judge_step(step, record, values, recorded_outcomes, found, signed=signed)
            else:
                _take_recorded(record, found)
        return findings

    def _judge_step(
        self,
        step: Step,
        record: model.Step,
        values: dict[str, str],
        recorded_outcomes: Mapping[str, str],
        found: StepFindings,
        *,
        signed: bool,
    ) -> None:
        if record.node != step.node:
            found.tampering.append(
                i18n.cli().format(
                    "ran on {found}, the spec says {wanted}", found=record.node, wanted=step.node
                )
            )
        copied = {
            "title": (record.title, step.title),
            "section": (record.section, step.section),
            "command_template": (record.command_template, step.run),
            "pty": (record.pty, step.uses_pty),
            "explanation": (record.explanation, step.explanation),
            "hint": (record.hint, step.hint),
        }
        edited = [key for key, (recorded, spec) in copied.items() if recorded != spec]
        if edited:
            said = i18n.cli().ngettext(
                "its {fields} is not the spec's (edited)",
                "its {fields} are not the spec's (edited)",
                len(edited),
            )
            found.tampering.append(said.format(fields=", ".join(edited)))
        if record.outcome == "skipped":
            found.tampering += skip_problems(
                step, record, recorded_outcomes, crosscheck.missing_values(step, values)
            )
            found.skipped = reason_text(record.reason) or i18n.cli().noun(1, "skipped", "skipped")
            return
        for needed in step.needs:
            if recorded_outcomes.get(needed) != "passed":
                found.tampering.append(
                    i18n.cli().format("ran although «{needed}», which it needs, did not pass", needed=needed)
                )
        found.tampering += crosscheck.used_values_problems(step, record, values)
        captured, tampering, failures = crosscheck.captured_values(step, record, record.transcript.text)
        values.update(captured)
        found.tampering += tampering
        found.failures += failures
        rejudge_run_step(step, record, values, found, signed=signed, rerender=self.options.rerender)

    def _missing(
        self,
        step: Step,
        found: StepFindings,
        alignment: integrity.Alignment,
        chain_check: integrity.ChainCheck,
        run_stopped: bool,
        not_run: str | None,
    ) -> None:
        later = self.steps[self.steps.index(step) + 1 :]
        following = next((alignment.index[s.id] for s in later if s.id in alignment.index), None)
        if following is not None and following in chain_check.broken_links:
            found.tampering.append(
                i18n.cli().gettext("removed from the bundle (the hash chain breaks at the step after it)")
            )
        elif not_run is not None:
            # The run's own bound account: not run, so never passed (a failure of the student's).
            found.failures.append(i18n.cli().format("not run: {reason}", reason=not_run))
        elif run_stopped:
            found.failures.append(i18n.cli().gettext("not run: the run stopped before it"))
        else:
            found.failures.append(i18n.cli().gettext("missing from the bundle (not run, or removed)"))


def _take_recorded(record: model.Step, found: StepFindings) -> None:
    """The signed record's own verdict, with the checks it recorded as failed."""
    outcome = record.outcome
    if outcome == "passed":
        return  # nothing to say, and no reason to put into words (most steps of most bundles)
    t = i18n.cli()
    reason = reason_text(record.reason, t)
    if outcome == "skipped":
        found.skipped = reason or t.noun(1, "skipped", "skipped")
    elif outcome == "error":
        found.failures.append(
            t.format("error: {reason}", reason=reason or t.gettext("the step could not run"))
        )
    else:
        failed = [
            f"{rule_words(check, t)}: " + (reason_text(check.reason, t) or shown(check.observed))
            for check in record.checks
            if check.verdict == "failed"
        ]
        found.failures += failed or [reason or t.gettext("recorded as failed")]


def _run_stopped_early(evidence: model.Evidence, missing: list[str], steps: tuple[Step, ...]) -> bool:
    """Missing steps that are exactly the spec's tail, as the bound summary counts them: not run."""
    if not missing:
        return False
    tail = [step.id for step in steps[len(steps) - len(missing) :]]
    return missing == tail and evidence.summary.not_run == len(missing)


def _verdict(steps: tuple[StepVerdict, ...], problems: list[Problem], signed: bool) -> str:
    """Never just "passed": signed (the course CI's own record) or consistent (unsigned, forgeable)."""
    statuses = {step.status for step in steps}
    if TAMPERED in statuses or any(problem.tampering for problem in problems):
        return TAMPERED
    if FAILED in statuses:
        return FAILED
    if problems:
        return ERROR  # e.g. not signed, though the course gave its key
    return SIGNED if signed else CONSISTENT
