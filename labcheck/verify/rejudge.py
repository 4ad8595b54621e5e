"""Judge each step again from what it recorded, with the course's spec, not the bundle's verdicts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from labcheck import i18n
from labcheck.checks.output import judge_exit_code, judge_output_rule, ran_out_of_time
from labcheck.evidence import model
from labcheck.patterns import MATCH_TIMEOUT_S
from labcheck.spec.model import StateCheck, Step
from labcheck.spec.placeholders import MissingValue, substitute
from labcheck.terminal import to_text
from labcheck.verify.recorded import family, reason_text, rule_words
from labcheck.verify.result import StepFindings

_SHOWN = 80


def _capture_failure(check: model.Check) -> str:
    return reason_text(check.reason) or shown(check.observed)


def shown(value: object) -> str:
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def rejudge_run_step(
    step: Step,
    record: model.Step,
    values: Mapping[str, str],
    findings: StepFindings,
    *,
    signed: bool,
    rerender: bool,
) -> None:
    """Exit code and output rules judged again; state verdicts are the bundle's word unless it is signed."""
    outcome = record.outcome
    if outcome == "error":
        t = i18n.cli()
        why = reason_text(record.reason, t) or t.gettext("the step could not run")
        findings.failures.append(t.format("error: {reason}", reason=why))
        return
    # The streams as the runner judged them, pty or not as the course's spec says (not the record).
    streams = record.transcript.streams(pty=step.uses_pty)
    if rerender and not _text_matches_raw(record):
        findings.tampering.append(
            i18n.cli().gettext("the transcript's text is not what its raw bytes show (edited)")
        )
    failures: list[str] = []
    if record.timed_out:
        failures.append(i18n.cli().gettext("timed out"))
    if step.exit_code is not None:
        check = judge_exit_code(step.exit_code, record.exit_code, record.timed_out)
        if not check.passed:
            failures.append(
                i18n.cli().format("{rule}: got {value}", rule=rule_words(check), value=check.observed)
            )
    failed_rules: list[dict[str, object]] = []
    abandoned: list[str] = []
    # What an `until` step waited for must be in its transcript too (the runner stopped it there).
    for matcher in (*((step.until,) if step.until is not None else ()), *step.matchers):
        check = judge_output_rule(matcher.rule(), streams, values)
        if ran_out_of_time(check):
            # Not proof of an edit (the run may have had more time): the rule fails, named.
            abandoned.append(
                i18n.cli().format(
                    "{rule}: its pattern took more than {seconds} s over this transcript and was abandoned",
                    rule=rule_words(check),
                    seconds=i18n.cli().short_decimal(MATCH_TIMEOUT_S),
                )
            )
        elif not check.passed:
            failed_rules.append(check.rule)
            failures.append(
                i18n.cli().format(
                    "{rule}: got «{value}»", rule=rule_words(check), value=shown(check.observed)
                )
            )
    recorded_states = [c for c in record.checks if family(c) == "state"]
    for state_check in step.state_checks:
        _state(state_check, recorded_states, values, findings, failures, signed=signed)
    failed_captures = [c for c in record.checks if family(c) == "capture" and c.verdict == "failed"]
    # A failed capture keeps why as a reason (older evidence: a sentence in `observed`).
    failures += [f"{rule_words(c)}: {_capture_failure(c)}" for c in failed_captures]
    for recorded in record.checks:
        if (
            family(recorded) in ("output", "until")
            and recorded.verdict == "passed"
            and recorded.rule in failed_rules
        ):
            findings.tampering.append(
                i18n.cli().format("the verdict of «{rule}» says passed; it fails", rule=rule_words(recorded))
            )
    if outcome == "passed" and failures:
        findings.tampering.append(
            i18n.cli().format(
                "recorded as passed, but judged again: {failures}", failures="; ".join(failures)
            )
        )
        return
    failures += abandoned
    if outcome == "failed" and not failures:
        # A recorded failure can only hurt the student who would edit it, so it stands.
        failures.append(reason_text(record.reason) or i18n.cli().gettext("recorded as failed"))
    findings.failures += failures


def _state(
    check: StateCheck,
    recorded: list[model.Check],
    values: Mapping[str, str],
    findings: StepFindings,
    failures: list[str],
    *,
    signed: bool,
) -> None:
    # The runner records the rule with the captured values put in (the raw one if it lacked them).
    filled = _filled(check.params, values)
    rules = ({check.kind: filled}, {check.kind: check.params})
    match = next((r for r in recorded if r.rule in rules), None)
    if match is None:
        findings.tampering.append(
            i18n.cli().format(
                "the state check «{check}» is not recorded", check=_described(check.kind, filled)
            )
        )
        return
    verdict = match.verdict
    if verdict == "failed":
        why = reason_text(match.reason) or shown(match.observed)
        failures.append(f"{_described(check.kind, filled)}: {why}")
    elif not signed and verdict == "passed":
        findings.unproven.append(
            i18n.cli().format(
                "state check only the bundle's word (unsigned): {check}", check=_described(check.kind, filled)
            )
        )


def _described(kind: str, filled: object) -> str:
    """A state check as verify names it: its kind (the spec's key) and its parameters."""
    return f"{kind} {shown(filled)}"


def _filled(value: object, values: Mapping[str, str]) -> object:
    if isinstance(value, str):
        try:
            return substitute(value, values)
        except MissingValue:
            return value
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    return value


def _text_matches_raw(record: model.Step) -> bool:
    transcript = record.transcript
    try:
        raw = base64.b64decode(transcript.raw_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    return to_text(raw) == transcript.text


def skip_problems(
    step: Step,
    record: model.Step,
    recorded_outcomes: Mapping[str, str],
    missing_values: list[str],
) -> list[str]:
    """A skip is honest when something it needs did not pass, a capability is missing, or a value."""
    problems = []
    if record.exit_code is not None or record.transcript.text:
        problems.append(i18n.cli().gettext("recorded as skipped, yet it has an exit code or output"))
    needs_failed = any(recorded_outcomes.get(needed) != "passed" for needed in step.needs)
    if not (needs_failed or step.requires or missing_values):
        problems.append(
            i18n.cli().gettext(
                "recorded as skipped, though every step it needs passed and it requires nothing"
            )
        )
    return problems
