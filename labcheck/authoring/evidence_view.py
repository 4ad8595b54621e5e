"""What `labcheck lint` reads of a reference run's evidence: per step, its outcome, exit code,
streams and captured values. Every read of the evidence JSON is here (one place to port when the
evidence model changes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _streams(record: Mapping[str, Any]) -> dict[str, str]:
    transcript = record.get("transcript") or {}
    text = str(transcript.get("text") or "")
    if record.get("pty"):
        return {"output": text, "stdout": text, "stderr": ""}
    return {
        "output": text,
        "stdout": str(transcript.get("stdout") or ""),
        "stderr": str(transcript.get("stderr") or ""),
    }


def read_run(path: Path) -> RunView:
    document = read_evidence(path)
    student = document.get("student") or {}
    steps = tuple(
        StepRun(
            id=str(record["id"]),
            command=str(record.get("command_template") or record.get("command") or ""),
            outcome=str(record.get("outcome")),
            exit_code=record.get("exit_code"),
            streams=_streams(record),
            captures={str(k): str(v) for k, v in (record.get("captures") or {}).items()},
        )
        for record in document["steps"]
    )
    images = tuple(
        ImageFact(
            str(image.get("target")),
            tuple(str(t) for t in image.get("tags") or ()),
            len(image.get("layers") or ()),
        )
        for image in document.get("images") or ()
    )
    return RunView(str(document["lab"]["id"]), student.get("id"), steps, images)
