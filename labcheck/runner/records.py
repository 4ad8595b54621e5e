"""A step's record in the evidence: one builder, whatever ran the step."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from labcheck.checks.record import CheckRecord
from labcheck.evidence import model
from labcheck.evidence.model import Reason
from labcheck.runner.process import ProcessResult
from labcheck.spec.model import Step, TypedLine
from labcheck.spec.texts import plain
from labcheck.terminal import to_text

UNCHAINED = "0" * 64  # a step's chain until the writer links it


def streams_of(result: ProcessResult) -> dict[str, str]:
    """What the student saw (`output`), and under pipes each stream apart, escapes resolved."""
    output = to_text(result.raw)
    if result.stdout is None:
        return {"output": output, "stdout": output, "stderr": ""}
    return {"output": output, "stdout": to_text(result.stdout), "stderr": to_text(result.stderr or b"")}


def step_record(
    step: Step,
    *,
    outcome: str,
    reason: Reason | None,
    result: ProcessResult | None,
    checks: list[CheckRecord],
    attempts: int,
    command: str,
    workdir: str,
    typed: tuple[TypedLine, ...],
    streams: Mapping[str, str] | None,
    values: Mapping[str, str],
) -> model.Step:
    """The step's record, not yet chained (the writer links it to the one before)."""
    separate = result is not None and not step.uses_pty
    return model.Step(
        id=step.id,
        number=step.number,
        section=step.section,
        title=str(step.title),
        explanation=plain(step.explanation),
        hint=plain(step.hint),
        node=step.node,
        command=command,
        command_template=step.run,
        workdir=workdir,
        pty=step.uses_pty,
        input=[t.send for t in typed],
        started_at=result.started_at if result else None,
        duration_s=round(result.duration_s, 3) if result else None,
        exit_code=result.exit_code if result else None,
        timed_out=bool(result and result.timed_out),
        attempts=attempts,
        outcome=outcome,  # type: ignore[arg-type]  # one of the runner's PASSED, FAILED, SKIPPED, ERROR
        reason=reason,
        transcript=model.Transcript(
            raw_b64=base64.b64encode(result.raw).decode() if result else "",
            text=(streams or {}).get("output", ""),
            stdout=(streams or {}).get("stdout") if separate else None,
            stderr=(streams or {}).get("stderr") if separate else None,
        ),
        checks=[check.to_check() for check in checks],
        captures={c.name: values[c.name] for c in step.captures if c.name in values},
        spec_location=step.location,
        chain=UNCHAINED,
    )
