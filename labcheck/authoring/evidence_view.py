"""What `labcheck lint` reads of a reference run's evidence: per step, its outcome, exit code,
streams and captured values, read off the evidence model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from labcheck.evidence.reader import read_evidence


@dataclass(frozen=True)
class StepRun:
    id: str
    command: str
    outcome: str
    exit_code: int | None
    streams: Mapping[str, str]  # output, stdout, stderr, as the runner judged them
    captures: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImageFact:
    """An image on a node at the end of the run."""

    target: str
    tags: tuple[str, ...]
    layers: int


@dataclass(frozen=True)
class RunView:
    lab_id: str
    student_id: str | None
    steps: tuple[StepRun, ...]
    images: tuple[ImageFact, ...] = ()
    # Step id -> {"before": {node: state}, "after": {node: state}}, read by `labcheck record`'s
    # reference runs (labcheck.authoring.engine_state); empty for evidence alone.
    states: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


def read_run(path: Path) -> RunView:
    evidence = read_evidence(path)
    steps = tuple(
        StepRun(
            id=record.id,
            command=record.command_template or record.command,
            outcome=record.outcome,
            exit_code=record.exit_code,
            streams=record.transcript.streams(pty=record.pty),
            captures=dict(record.captures),
        )
        for record in evidence.steps
    )
    images = tuple(ImageFact(image.target, tuple(image.tags), len(image.layers)) for image in evidence.images)
    return RunView(evidence.lab.id, evidence.student.id, steps, images)
