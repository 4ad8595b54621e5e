"""Run a spec of plain shell steps on this machine (no Docker) and keep its evidence.

Only for the tiny per-student lab of these tests: each command really runs under `sh` through
the runner's own process runner, its output is judged with the runner's own rules, and the
record and the evidence are made by the runner's own builder and EvidenceWriter, so the bundle
has the format, chain and student values a real run gives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.evidence.writer import EvidenceWriter
from labcheck.runner.process import ProcessResult, run_command
from labcheck.runner.records import step_record, streams_of
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab
from labcheck.spec.placeholders import substitute

ENGINE = {"host": {"kind": "local-shell", "docker_host": "none", "engine": {"id": "LOCAL:SHELL:TEST"}}}


def fabricated(output: Callable[[str], str]) -> Callable[[str, Path], ProcessResult]:
    """What a forger does instead of running: the command's "output" typed by hand, exit 0."""

    def execute(command: str, workdir: Path) -> ProcessResult:
        raw = output(command).encode()
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        return ProcessResult(started, 0.01, 0, False, raw, stdout=raw, stderr=b"")

    return execute


def run_locally(
    lab: Lab,
    student_id: str,
    out: Path,
    key: PrivateKey | None = None,
    execute: Callable[[str, Path], ProcessResult] | None = None,
) -> dict[str, Any]:
    """execute: how a command's result is obtained; by default it really runs under `sh`."""
    workdir = out / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    writer = EvidenceWriter(
        out / "evidence.json",
        lab,
        student={"id": student_id, "name": None, "group": None},
        targets=ENGINE,
        sandbox="targets",
        workspace=None,
        capabilities={},
        signing_key=key,
    )
    values = lab.values_for_student(student_id)
    for step in lab.steps:
        command = substitute(step.run, values)
        if execute is not None:
            result = execute(command, workdir)
        else:
            result = run_command(
                ["sh", "-c", command],
                env=dict(os.environ),
                cwd=str(workdir),
                use_pty=False,
                timeout_s=step.timeout_s,
            )
        streams = streams_of(result)
        for capture in step.captures:
            assert capture.pattern is not None
            match = re.search(capture.pattern, streams["output"])
            if match:
                values[capture.name] = match.group(capture.group)
        checks = []
        if step.exit_code is not None:
            checks.append(judge_exit_code(step.exit_code, result.exit_code, result.timed_out))
        checks += [judge_output_rule(m.rule(), streams, values) for m in step.matchers]
        outcome = "passed" if all(c.passed for c in checks) else "failed"
        writer.add_step(
            step_record(
                step,
                outcome=outcome,
                reason=None,
                result=result,
                checks=checks,
                attempts=1,
                command=command,
                workdir=step.workdir,
                typed=(),
                streams=streams,
                values=values,
            )
        )
    writer.finish(status="complete", images=[], total_steps=len(lab.steps))
    return writer.document
