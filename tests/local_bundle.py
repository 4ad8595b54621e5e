"""A real bundle of a lab of plain shell steps, made by the runner itself on the local target
(this machine, no Docker engine): the same LabRun, process runner, judges and evidence writer as
`pytest --labcheck --labcheck-target host=local`, without a pytest session around it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labcheck.runner.session import LabRun, RunOptions
from labcheck.runner.targets import LOCAL
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab


def run_on_this_machine(
    lab: Lab, student_id: str, out: Path, key: PrivateKey | None = None
) -> dict[str, Any]:
    """Run every step of the lab for this student; the evidence written, as read back from disk."""
    student: dict[str, str | None] = {"id": student_id, "name": None, "group": None}
    run = LabRun(
        lab,
        RunOptions(
            out_dir=out, targets={node: LOCAL for node in lab.nodes}, student=student, signing_key=key
        ),
    )
    run.start()
    try:
        for step in lab.steps:
            run.run_step(step)
    finally:
        run.finish()
    document: dict[str, Any] = json.loads(run.evidence_path.read_text(encoding="utf-8"))
    return document
