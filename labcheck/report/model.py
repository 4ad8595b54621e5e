"""The evidence file read into typed, frozen records: what a report needs, nothing more."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labcheck.errors import EvidenceError
from labcheck.evidence.reader import read_evidence
from labcheck.plurals import counted


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    explanation: str | None
    level: int


@dataclass(frozen=True)
class Check:
    kind: str
    stream: str | None
    description: str
    expected: Any
    actual: Any
    verdict: str
    reason: str | None
    attempts: int | None
    # The rule as the runner recorded it (phrased again at report time) and the author's own words for it.
    rule: Mapping[str, Any] = field(default_factory=dict)
    says: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    number: str
    section: str | None
    title: str
    explanation: str | None
    hint: str | None
    node: str
    command: str
    command_template: str | None
    inputs: tuple[str, ...]
    outcome: str
    reason: str | None
    exit_code: int | None
    timed_out: bool
    duration_s: float | None
    raw: bytes
    text: str
    checks: tuple[Check, ...]
    captures: Mapping[str, str]
    chain: str


@dataclass(frozen=True)
class NotRunStep:
    """A step of the spec this run did not run (`run.selection.not_run`), and why."""

    id: str
    number: str
    title: str
    section: str | None
    reason: str
    detail: str


@dataclass(frozen=True)
class Target:
    name: str
    kind: str | None
    docker_host: str
    engine_id: str
    engine_version: str | None
    os: str | None
    kernel: str | None
    arch: str | None


@dataclass(frozen=True)
class Capability:
    name: str
    available: bool
    reason: str | None


@dataclass(frozen=True)
class Evidence:
    lab_id: str
    lab_title: str
    lab_version: str
    lab_source: str | None
    lab_description: str | None
    labcheck_version: str
    student_name: str | None
    student_group: str | None
    student_id: str | None
    started_at: str
    finished_at: str | None
    status: str
    sandbox: str | None
    standins: bool
    capabilities: tuple[Capability, ...]
    standin_images: tuple[tuple[str, str | None], ...]
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    targets: tuple[Target, ...]
    summary: Mapping[str, int]
    chain_head: str
    signed: bool  # an envelope beside the evidence names its bytes (labcheck verify --pubkey proves it)
    signature_key_id: str | None
    signed_sha256: str | None = None  # the evidence file's sha256, as the signature names it
    # A partial run's account: every step id of the spec in order, and those it did not run.
    spec_steps: tuple[str, ...] = ()
    not_run: tuple[NotRunStep, ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.not_run)


# What one text of the evidence may print at most: a megabyte title or command would
# otherwise become pages (and minutes) of PDF. A cut text ends with a visible mark.
SHORT_TEXT = 300  # titles, names, node names, numbers
COMMAND_TEXT = 2000  # a command line
PROSE_TEXT = 10_000  # explanations, hints, descriptions (Markdown)
MAX_LISTED = 20  # engines, capabilities and stand-in images named on the cover
MAX_NOT_RUN = 1000  # steps not run, kept (the cover names them): no real spec has as many


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    more = counted(len(text) - limit, "carácter más", "caracteres más")
    return f"{text[:limit]} ⋯ (texto cortado: {more} en la evidencia)"


def _str(value: Any, limit: int = SHORT_TEXT) -> str | None:
    return cut(value, limit) if isinstance(value, str) else None


def _text(value: Any, limit: int = SHORT_TEXT) -> str:
    return cut(value if isinstance(value, str) else str(value), limit)


def _raw(transcript: Mapping[str, Any]) -> bytes:
    try:
        return base64.b64decode(transcript.get("raw_b64") or "", validate=False)
    except (binascii.Error, ValueError):
        return str(transcript.get("text") or "").encode()


def _check(data: Mapping[str, Any]) -> Check:
    return Check(
        kind=str(data.get("kind", "")),
        stream=_str(data.get("stream")),
        description=_text(data.get("description", ""), PROSE_TEXT),
        expected=data.get("expected"),
        actual=data.get("actual"),
        verdict=str(data.get("verdict", "")),
        reason=_str(data.get("reason"), PROSE_TEXT),
        attempts=data.get("attempts") if isinstance(data.get("attempts"), int) else None,
        rule=data["rule"] if isinstance(data.get("rule"), Mapping) else {},
        says=_str(data.get("says"), PROSE_TEXT),
    )


def step_from_mapping(data: Mapping[str, Any]) -> Step:
    transcript = data.get("transcript") or {}
    duration = data.get("duration_s")
    exit_code = data.get("exit_code")
    return Step(
        id=_text(data.get("id", "")),
        number=_text(data.get("number", "")),
        section=_str(data.get("section")),
        title=_text(data.get("title", "")),
        explanation=_str(data.get("explanation"), PROSE_TEXT),
        hint=_str(data.get("hint"), PROSE_TEXT),
        node=_text(data.get("node", "")),
        command=_text(data.get("command", ""), COMMAND_TEXT),
        command_template=_str(data.get("command_template"), COMMAND_TEXT),
        inputs=tuple(str(line) for line in data.get("input") or ()),
        outcome=str(data.get("outcome", "error")),
        reason=_str(data.get("reason"), PROSE_TEXT),
        exit_code=exit_code if isinstance(exit_code, int) else None,
        timed_out=bool(data.get("timed_out", False)),
        duration_s=float(duration) if isinstance(duration, int | float) else None,
        raw=_raw(transcript),
        text=str(transcript.get("text") or ""),
        checks=tuple(_check(check) for check in data.get("checks") or ()),
        captures={str(k): str(v) for k, v in (data.get("captures") or {}).items()},
        chain=str(data.get("chain", "")),
    )


def _target(name: str, data: Mapping[str, Any]) -> Target:
    engine = data.get("engine") or {}
    return Target(
        name=_text(name),
        kind=_str(data.get("kind")),
        docker_host=_text(data.get("docker_host", "")),
        engine_id=_text(engine.get("id", "")),
        engine_version=_str(engine.get("version")),
        os=_str(engine.get("os")),
        kernel=_str(engine.get("kernel")),
        arch=_str(engine.get("arch")),
    )


def _not_run(selection: Any) -> tuple[tuple[str, ...], tuple[NotRunStep, ...]]:
    if not isinstance(selection, Mapping):
        return (), ()
    spec_steps = tuple(str(step_id) for step_id in selection.get("spec_steps") or ())
    entries = tuple(
        NotRunStep(
            id=_text(entry.get("id", "")),
            number=_text(entry.get("number", "")),
            title=_text(entry.get("title", "")),
            section=_str(entry.get("section")),
            reason=_text(entry.get("reason", "")),
            detail=_text(entry.get("detail", ""), PROSE_TEXT),
        )
        for entry in selection.get("not_run") or ()
        if isinstance(entry, Mapping)
    )[:MAX_NOT_RUN]
    return spec_steps, entries


def load_mapping(source: Mapping[str, Any] | Path) -> Mapping[str, Any]:
    """A file is read defensively (labcheck.evidence.reader); a mapping is labcheck's own, in process."""
    if isinstance(source, Path):
        return read_evidence(source)
    return source


def evidence_from_mapping(data: Mapping[str, Any]) -> Evidence:
    if data.get("format") != "labcheck-evidence":
        raise EvidenceError("not a labcheck evidence (no format marker)")
    lab = data.get("lab") or {}
    spec = data.get("spec") or {}
    student = data.get("student") or {}
    run = data.get("run") or {}
    chain = data.get("chain") or {}
    sections = tuple(
        Section(
            number=_text(item.get("number", "")),
            title=_text(item.get("title", "")),
            explanation=_str(item.get("explanation"), PROSE_TEXT),
            level=int(item.get("level") or 1),
        )
        for item in spec.get("sections") or ()
    )
    capabilities = tuple(
        Capability(_text(name), bool(value.get("available", True)), _str(value.get("reason"), PROSE_TEXT))
        for name, value in (run.get("capabilities") or {}).items()
        if isinstance(value, Mapping)
    )[:MAX_LISTED]
    # The kit may say so only through its capabilities: real images were not available.
    no_real_images = any(c.name == "real_images" and not c.available for c in capabilities)
    spec_steps, not_run = _not_run(run.get("selection"))
    standin_images = tuple(
        (
            _text(", ".join(image.get("tags") or []) or str(image.get("id", ""))[:19]),
            _str(image.get("standin_of")),
        )
        for image in data.get("images") or ()
        if image.get("standin")
    )[:MAX_LISTED]
    return Evidence(
        lab_id=_text(lab.get("id", "")),
        lab_title=_text(lab.get("title", "")),
        lab_version=_text(lab.get("version", "")),
        lab_source=_str(lab.get("source"), COMMAND_TEXT),
        lab_description=_str(lab.get("description"), PROSE_TEXT),
        labcheck_version=_text(data.get("labcheck_version", "")),
        student_name=_str(student.get("name")),
        student_group=_str(student.get("group")),
        student_id=_str(student.get("id")),
        started_at=_text(run.get("started_at", "")),
        finished_at=_str(run.get("finished_at")),
        status=str(run.get("status", "")),
        sandbox=_str(run.get("sandbox")),
        standins=bool(run.get("standins", False)) or no_real_images,
        capabilities=capabilities,
        standin_images=standin_images,
        sections=sections,
        steps=tuple(step_from_mapping(step) for step in data.get("steps") or ()),
        targets=tuple(_target(name, facts) for name, facts in (data.get("targets") or {}).items())[
            :MAX_LISTED
        ],
        summary={str(k): int(v) for k, v in (data.get("summary") or {}).items()},
        chain_head=str(chain.get("head", "")),
        signed=False,  # the signature is beside the file, not in it: see report.api
        signature_key_id=None,
        spec_steps=spec_steps,
        not_run=not_run,
    )
