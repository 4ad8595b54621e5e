"""The evidence file read into typed, frozen records: what a report needs, nothing more."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from labcheck.checks.reason_words import not_run_words, reason_words
from labcheck.evidence import model
from labcheck.evidence.reader import read_evidence
from labcheck.i18n import Translator, spanish
from labcheck.json_values import as_int


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    explanation: str | None
    level: int


@dataclass(frozen=True)
class Check:
    code: str  # exit_code, output.contains, state.image, capture, ...
    stream: str | None
    expected: object
    observed: object
    verdict: str
    reason: str | None  # in the report's words
    attempts: int | None
    # The rule as the runner recorded it (phrased at report time) and the author's own words for it.
    rule: Mapping[str, object] = field(default_factory=dict)
    says: str | None = None
    on: str | None = None
    reason_code: str | None = None

    @property
    def family(self) -> str:
        """exit_code, output, state or capture."""
        return self.code.partition(".")[0]


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
    detail: str  # the reason in the report's words


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
    # What the node is for in the lab, in the report's language: the spec's, not the evidence's.
    description: str | None = None


@dataclass(frozen=True)
class Capability:
    name: str
    available: bool
    reason: str | None
    reason_code: str | None = None


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

    @property
    def engineless(self) -> bool:
        """Every node ran as a shell on the student's machine (`host=local`): no engine at all."""
        return bool(self.targets) and all(target.kind == model.LOCAL_TARGET for target in self.targets)


# What one text of the evidence may print at most: a megabyte title or command would
# otherwise become pages (and minutes) of PDF. A cut text ends with a visible mark.
SHORT_TEXT = 300  # titles, names, node names, numbers
COMMAND_TEXT = 2000  # a command line
PROSE_TEXT = 10_000  # explanations, hints, descriptions (Markdown)
MAX_LISTED = 20  # engines, capabilities and stand-in images named on the cover
MAX_NOT_RUN = 1000  # steps not run, kept (the cover names them): no real spec has as many


def cut(text: str, limit: int, t: Translator | None = None) -> str:
    """The text at most `limit` characters long, a cut one marked in t's language (Spanish by default)."""
    if len(text) <= limit:
        return text
    t = t or spanish()
    more = t.counted(len(text) - limit, "more character", "more characters")
    return f"{text[:limit]} ⋯ " + t.format("(text cut: {more} in the evidence)", more=more)


def _str(t: Translator, value: str | None, limit: int = SHORT_TEXT) -> str | None:
    return cut(value, limit, t) if isinstance(value, str) else None


def _text(t: Translator, value: str, limit: int = SHORT_TEXT) -> str:
    return cut(value, limit, t)


def _raw(transcript: model.Transcript) -> bytes:
    try:
        return base64.b64decode(transcript.raw_b64, validate=False)
    except (binascii.Error, ValueError):
        return transcript.text.encode()


def _words(reason: model.Reason | None, t: Translator) -> str | None:
    return cut(reason_words(reason, t.language), PROSE_TEXT, t) if reason is not None else None


def check_view(check: model.Check, t: Translator) -> Check:
    """One recorded check as the report shows it, its reason in t's language."""
    return Check(
        code=_text(t, check.code),
        stream=_str(t, check.stream),
        expected=check.expected,
        observed=check.observed,
        verdict=check.verdict,
        reason=_words(check.reason, t),
        attempts=check.attempts,
        rule=check.rule,
        says=_str(t, check.says, PROSE_TEXT),
        on=_str(t, check.on),
        reason_code=check.reason.code if check.reason is not None else None,
    )


def step_view(step: model.Step, t: Translator | None = None) -> Step:
    """One step as the report shows it, its reasons in t's language (Spanish by default)."""
    t = t or spanish()
    return Step(
        id=_text(t, step.id),
        number=_text(t, step.number),
        section=_str(t, step.section),
        title=_text(t, step.title),
        explanation=_str(t, step.explanation, PROSE_TEXT),
        hint=_str(t, step.hint, PROSE_TEXT),
        node=_text(t, step.node),
        command=_text(t, step.command, COMMAND_TEXT),
        command_template=_str(t, step.command_template, COMMAND_TEXT),
        inputs=tuple(step.input),
        outcome=step.outcome,
        reason=_words(step.reason, t),
        exit_code=step.exit_code,
        timed_out=step.timed_out,
        duration_s=step.duration_s,
        raw=_raw(step.transcript),
        text=step.transcript.text,
        checks=tuple(check_view(check, t) for check in step.checks),
        captures=dict(step.captures),
        chain=step.chain,
    )


def _target(name: str, target: model.Target, t: Translator, description: str | None) -> Target:
    engine = target.engine
    return Target(
        name=_text(t, name),
        kind=_str(t, target.kind),
        docker_host=_text(t, target.docker_host),
        engine_id=_text(t, engine.id),
        engine_version=_str(t, engine.version),
        os=_str(t, engine.os),
        kernel=_str(t, engine.kernel),
        arch=_str(t, engine.arch),
        description=_str(t, description, PROSE_TEXT),
    )


def _not_run(
    selection: model.Selection | None, t: Translator
) -> tuple[tuple[str, ...], tuple[NotRunStep, ...]]:
    if selection is None:
        return (), ()
    entries = tuple(
        NotRunStep(
            id=_text(t, entry.id),
            number=_text(t, entry.number or ""),
            title=_text(t, entry.title or ""),
            section=_str(t, entry.section),
            reason=entry.reason,
            detail=cut(not_run_words(entry.reason, entry.facts, t.language), PROSE_TEXT, t),
        )
        for entry in selection.not_run
    )[:MAX_NOT_RUN]
    return tuple(selection.spec_steps), entries


def load(source: model.Evidence | Path) -> model.Evidence:
    """A file is read defensively (labcheck.evidence.reader); a model is labcheck's own, in process."""
    if isinstance(source, Path):
        return read_evidence(source)
    return source


def evidence_view(
    data: model.Evidence, t: Translator | None = None, node_descriptions: Mapping[str, str] | None = None
) -> Evidence:
    """The evidence as the report shows it: texts cut to what a page can hold, reasons in words of
    t's language (Spanish by default); each node with what it is for when the lab's spec says it
    (`node_descriptions`, by node name: labcheck.report.spec_texts)."""
    t = t or spanish()
    descriptions = node_descriptions or {}
    lab, run = data.lab, data.run
    sections = tuple(
        Section(
            number=_text(t, item.number),
            title=_text(t, item.title),
            explanation=_str(t, item.explanation, PROSE_TEXT),
            level=item.level,
        )
        for item in data.spec.sections
    )
    capabilities = tuple(
        Capability(
            _text(t, name),
            value.available,
            _words(value.reason, t) if not value.available else None,
            value.reason.code if value.reason is not None else None,
        )
        for name, value in run.capabilities.items()
    )[:MAX_LISTED]
    # The kit may say so only through its capabilities: real images were not available.
    no_real_images = any(c.name == "real_images" and not c.available for c in capabilities)
    spec_steps, not_run = _not_run(run.selection, t)
    standin_images = tuple(
        (_text(t, ", ".join(image.tags) or image.id[:19]), _str(t, image.standin_of))
        for image in data.images
        if image.standin
    )[:MAX_LISTED]
    return Evidence(
        lab_id=_text(t, lab.id),
        lab_title=_text(t, lab.title),
        lab_version=_text(t, lab.version),
        lab_source=_str(t, lab.source, COMMAND_TEXT),
        lab_description=_str(t, lab.description, PROSE_TEXT),
        labcheck_version=_text(t, data.labcheck_version),
        student_name=_str(t, data.student.name),
        student_group=_str(t, data.student.group),
        student_id=_str(t, data.student.id),
        started_at=_text(t, run.started_at),
        finished_at=_str(t, run.finished_at),
        status=run.status,
        sandbox=_str(t, run.sandbox),
        standins=run.standins or no_real_images,
        capabilities=capabilities,
        standin_images=standin_images,
        sections=sections,
        steps=tuple(step_view(step, t) for step in data.steps),
        targets=tuple(
            _target(name, target, t, descriptions.get(name)) for name, target in data.targets.items()
        )[:MAX_LISTED],
        summary={key: as_int(count) for key, count in model.to_document(data.summary).items()},
        chain_head=data.chain.head,
        signed=False,  # the signature is beside the file, not in it: see report.api
        signature_key_id=None,
        spec_steps=spec_steps,
        not_run=not_run,
    )
