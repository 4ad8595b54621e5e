"""The evidence document, typed: the shape the runner writes and `report` and `verify` accept.

Every record is a frozen msgspec Struct. msgspec was chosen over hand-written frozen dataclasses
and over pydantic because one declaration gives the strict reader (unknown keys, wrong types and
out-of-range numbers refused with their place: `$.steps[3].duration_s`), the writer and the
published JSON Schema (`schema.json` is generated from these classes and a test keeps them
equal), and because it decodes a 51-step evidence several times faster than the standard
library's JSON parser alone, which `labcheck verify` does thousands of times per batch
(`bench/verify_bundles.py` prints both).

The evidence holds facts, codes and parameters, never sentences of ours: a check names the rule
it judged by a code (`exit_code`, `output.contains`, `state.image`, ...) with the spec's rule as
its parameters; a step, check or capability that did not pass or did not run says why as a
`Reason` (a code from `labcheck.evidence.reasons` and the facts it names). Words are the
report's job, in the reader's language. What people wrote (titles, explanations, a rule's
`says`) and what programs printed (transcripts, an engine's error) are data, kept as they are.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import Meta, Struct

FORMAT: Final = "labcheck-evidence"
FORMAT_VERSION: Final = 2

Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
# No count, size or exit status labcheck writes comes near these bounds; a file that holds larger
# numbers was not written by labcheck.
Count = Annotated[int, Meta(ge=0, le=10**12)]
ExitCode = Annotated[int, Meta(ge=-(2**31), le=2**32)]
Seconds = Annotated[float, Meta(ge=0, le=10**9)]
# A parameter or observed value: JSON, bounded in depth by the reader (`reader.MAX_DEPTH`).
Value = Any

Outcome = Literal["passed", "failed", "skipped", "error"]
Verdict = Literal["passed", "failed", "skipped"]
RunStatus = Literal["running", "complete", "interrupted"]
NotRunReason = Literal["deselected", "last-failed", "stopped", "interrupted", "not-reached"]

OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "skipped", "error")


class _Record(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Frozen, and strict when read: a key the format does not have is refused."""


class Reason(_Record, frozen=True, kw_only=True):
    """Why something did not pass or did not run: a code and the facts it names."""

    code: str
    params: dict[str, Value] = msgspec.field(default_factory=dict)


class LabHeader(_Record, frozen=True, kw_only=True):
    id: str
    title: str
    version: str
    language: str
    source: str | None = None
    description: str | None = None


class Section(_Record, frozen=True, kw_only=True):
    number: str
    title: str
    explanation: str | None = None
    level: int = 1


class SpecRef(_Record, frozen=True, kw_only=True):
    path: str
    sha256: Sha256
    sections: list[Section] = msgspec.field(default_factory=list)


class Student(_Record, frozen=True, kw_only=True):
    id: str | None = None
    name: str | None = None
    group: str | None = None


class Capability(_Record, frozen=True, kw_only=True):
    """What an engine can do that some steps need (the routing mesh, real images)."""

    available: bool
    reason: Reason | None = None
    detail: str | None = None  # the kit's own account of what it found (data, in English)


class NotRun(_Record, frozen=True, kw_only=True):
    id: str
    number: str | None = None
    title: str | None = None
    section: str | None = None
    reason: NotRunReason
    # The facts behind the reason: the options that left the step out (`-k`: its expression),
    # what stopped the run (`by`: -x, --maxfail, --stepwise, session-timeout; `maxfail`).
    facts: dict[str, str] = msgspec.field(default_factory=dict)


class Selection(_Record, frozen=True, kw_only=True):
    """Which steps of the spec this run was asked to run, and why each of the others did not."""

    spec_steps: list[str]  # every step id of the spec, in its order
    selected: list[str]
    not_run: list[NotRun]


class Run(_Record, frozen=True, kw_only=True):
    started_at: str
    finished_at: str | None = None
    status: RunStatus
    host: str | None = None
    workspace: str | None = None
    # kit-nodes: fresh Docker-in-Docker nodes of the offline kit; targets: engines named by the user
    sandbox: Literal["kit-nodes", "targets"] | None = None
    standins: bool = False  # any image the lab used is a labelled stand-in of the offline kit
    capabilities: dict[str, Capability] = msgspec.field(default_factory=dict)
    selection: Selection | None = None


class Engine(_Record, frozen=True, kw_only=True):
    """The facts of the engine (or, for a local target, the machine) a node ran on."""

    id: str
    name: str | None = None
    version: str | None = None
    api_version: str | None = None
    os: str | None = None
    kernel: str | None = None
    arch: str | None = None
    storage_driver: str | None = None
    builder: str | None = None


# A node run with no engine (`--labcheck-target host=local`): its target's kind and docker_host.
LOCAL_TARGET = "local"


class Target(_Record, frozen=True, kw_only=True, omit_defaults=True):
    # omit_defaults: evidence written before `transport` existed hashes to the same chain when
    # read and written again (the field is left out when it is None, as it was then).
    kind: str | None = None
    docker_host: str
    # How labcheck's SDK reached a kit node's engine: socket, tls or exec (labcheck.kit.transport).
    transport: str | None = None
    engine: Engine


class Transcript(_Record, frozen=True, kw_only=True):
    raw_b64: str  # every byte the terminal received, base64
    text: str  # what the terminal showed, escapes resolved
    stdout: str | None = None  # under pipes, each stream apart
    stderr: str | None = None

    def streams(self, *, pty: bool) -> dict[str, str]:
        """The streams output rules are judged on: under a pty one merged output, also stdout.

        `pty` is the caller's to say (verify takes it from the course's spec, not the record)."""
        if pty:
            return {"output": self.text, "stdout": self.text, "stderr": ""}
        return {"output": self.text, "stdout": self.stdout or "", "stderr": self.stderr or ""}


class Check(_Record, frozen=True, kw_only=True):
    """One judged rule: its code, the spec's rule as written (`rule`, so it can be judged again
    from the transcript), the values it was judged with and what was seen."""

    code: str  # exit_code, output.contains, output.matches, state.image, capture, ...
    stream: str | None = None  # stdout, stderr or output, for output rules
    rule: dict[str, Value]
    expected: Value
    observed: Value
    verdict: Verdict
    reason: Reason | None = None
    attempts: Count = 1
    says: str | None = None  # the spec author's own words for the rule
    on: str | None = None  # the node a state check looked at, when not the step's own


class Step(_Record, frozen=True, kw_only=True):
    id: str
    number: str
    section: str | None = None
    title: str
    explanation: str | None = None
    hint: str | None = None
    node: str
    command: str  # as run, captured values substituted
    command_template: str | None = None  # as the spec writes it
    workdir: str | None = None
    pty: bool = False
    input: list[str] = msgspec.field(default_factory=list)
    started_at: str | None = None
    duration_s: Seconds | None = None
    exit_code: ExitCode | None = None
    timed_out: bool = False
    attempts: Count = 1
    outcome: Outcome
    reason: Reason | None = None  # why a step was skipped, errored or timed out
    transcript: Transcript
    checks: list[Check]
    captures: dict[str, str] = msgspec.field(default_factory=dict)
    spec_location: str | None = None
    chain: Sha256


class Image(_Record, frozen=True, kw_only=True):
    target: str
    id: str
    tags: list[str]
    repo_digests: list[str]
    layers: list[str] = msgspec.field(default_factory=list)
    standin: bool
    standin_of: str | None = None


class Summary(_Record, frozen=True, kw_only=True):
    total: Count
    passed: Count
    failed: Count
    skipped: Count
    error: Count
    not_run: Count = 0


class Chain(_Record, frozen=True, kw_only=True):
    algorithm: Literal["sha256"]
    genesis: Sha256
    head: Sha256
    signature: None = None  # no longer written: the signature is a DSSE envelope beside the evidence


class Evidence(_Record, frozen=True, kw_only=True):
    """Everything one run of a lab produced: what ran where, what it printed, what was checked,
    and a hash chain binding it together."""

    format: Literal["labcheck-evidence"]
    format_version: Literal[2]
    labcheck_version: str
    lab: LabHeader
    spec: SpecRef
    student: Student
    run: Run
    targets: dict[str, Target]
    steps: list[Step]
    images: list[Image]
    summary: Summary
    chain: Chain


def to_document(record: Struct) -> dict[str, object]:
    """A record as the JSON builtins it is written as (what the chain hashes)."""
    document = msgspec.to_builtins(record)
    if not isinstance(document, dict):  # a Struct is written as an object: anything else is a bug
        raise TypeError(f"{type(record).__name__} is not written as a JSON object")
    return document
