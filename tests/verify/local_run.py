"""Run a spec of plain shell steps on this machine (no Docker) and keep its evidence.

Only for the tiny per-student lab of these tests: each command really runs under `sh`, its
output is judged with the runner's own rules, and the evidence is written by the real
EvidenceWriter, so the bundle has the format, chain and student values a real run gives.
"""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path
from typing import Any

from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.evidence.writer import EvidenceWriter
from labcheck.runner.session import student_values
from labcheck.spec.model import Lab
from labcheck.spec.placeholders import substitute
from labcheck.terminal import to_text

ENGINE = {"host": {"kind": "local-shell", "docker_host": "none", "engine": {"id": "LOCAL:SHELL:TEST"}}}


def run_locally(lab: Lab, student_id: str, out: Path, key: bytes | None = None) -> dict[str, Any]:
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
    values = student_values(lab, student_id)
    for step in lab.steps:
        command = substitute(step.run, values)
        done = subprocess.run(["sh", "-c", command], cwd=workdir, capture_output=True, check=False)
        stdout, stderr = to_text(done.stdout), to_text(done.stderr)
        streams = {"output": to_text(done.stdout + done.stderr), "stdout": stdout, "stderr": stderr}
        for capture in step.captures:
            assert capture.pattern is not None
            match = re.search(capture.pattern, streams["output"])
            if match:
                values[capture.name] = match.group(capture.group)
        checks = []
        if step.exit_code is not None:
            checks.append(judge_exit_code(step.exit_code, done.returncode, False))
        checks += [judge_output_rule(m.rule(), streams, values) for m in step.matchers]
        writer.add_step(
            {
                "id": step.id,
                "number": step.number,
                "section": step.section,
                "title": step.title,
                "explanation": step.explanation,
                "hint": step.hint,
                "node": step.node,
                "command": command,
                "command_template": step.run,
                "workdir": step.workdir,
                "pty": False,
                "input": [],
                "started_at": None,
                "duration_s": None,
                "exit_code": done.returncode,
                "timed_out": False,
                "attempts": 1,
                "outcome": "passed" if all(c.passed for c in checks) else "failed",
                "reason": None,
                "transcript": {
                    "raw_b64": base64.b64encode(done.stdout + done.stderr).decode(),
                    "text": streams["output"],
                    "stdout": stdout,
                    "stderr": stderr,
                },
                "checks": [c.to_json() for c in checks],
                "captures": {c.name: values[c.name] for c in step.captures if c.name in values},
                "spec_location": step.location,
            }
        )
    writer.finish(status="complete", images=[], total_steps=len(lab.steps))
    return writer.document
