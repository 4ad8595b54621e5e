"""The typed, immutable model of a lab spec. The runner reads only this."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from labcheck.json_values import as_mapping

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_PROMPT = r"[#$] ?(\x1b\[[0-9;?]*[A-Za-z])*\s*$"
STREAMS = ("output", "stdout", "stderr")


@dataclass(frozen=True)
class Eventually:
    timeout_s: float
    interval_s: float = 1.0


@dataclass(frozen=True)
class Matcher:
    """One rule on a stream of a step's output: exactly one of its kinds."""

    stream: str
    kind: str  # contains, not_contains, matches, not_matches, equals, lines, distinct_matches
    value: object  # the rule as the spec writes it: text, or {min, max, equals} (lines), {pattern, min}
    ignore_case: bool
    description: str | None
    location: str
    says: str | None = None  # the author's words for the rule, printed instead of labcheck's phrase

    @property
    def pattern(self) -> str:
        """The regular expression of a matches, not_matches or distinct_matches rule."""
        return str(as_mapping(self.value).get("pattern") if self.kind == "distinct_matches" else self.value)

    def rule(self) -> dict[str, object]:
        rule: dict[str, object] = {"stream": self.stream, self.kind: self.value}
        if self.ignore_case:
            rule["ignore_case"] = True
        return rule


@dataclass(frozen=True)
class StateCheck:
    """A fact about an engine, asked through the docker SDK."""

    kind: str  # image, container, containers, swarm, stack, service
    params: dict[str, object]
    on: str | None
    description: str | None
    eventually: Eventually | None
    requires: tuple[str, ...]
    location: str
    says: str | None = None


@dataclass(frozen=True)
class Capture:
    name: str
    source: str  # created_container, output, image_id, swarm_join_token
    placeholder: str | None = None
    pattern: str | None = None
    group: int = 1
    ref: str | None = None
    role: str | None = None
    short: bool = False


@dataclass(frozen=True)
class TypedLine:
    send: str
    wait_for: str | None


@dataclass(frozen=True)
class Step:
    id: str
    number: str
    section: str
    title: str
    explanation: str | None
    hint: str | None
    run: str
    node: str
    workdir: str
    tty: bool
    input: tuple[TypedLine, ...]
    prompt: str
    timeout_s: float
    needs: tuple[str, ...]
    requires: tuple[str, ...]
    eventually: Eventually | None
    captures: tuple[Capture, ...]
    exit_code: int | None
    matchers: tuple[Matcher, ...]
    state_checks: tuple[StateCheck, ...]
    location: str
    # Stop the command once what it printed satisfies this rule (`until:`): for commands that
    # never end by themselves (`docker service logs -f`); what it printed until then is kept.
    until: Matcher | None = None

    @property
    def uses_pty(self) -> bool:
        return self.tty or bool(self.input)


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    explanation: str | None
    steps: tuple[Step, ...]

    @property
    def level(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True)
class LabFile:
    path: str
    node: str
    source: Path
    student_may_replace: bool


@dataclass(frozen=True)
class LabNode:
    """A node the lab runs on, and the Debian packages its image must carry."""

    name: str
    description: str | None  # a LocalText when the spec gives it: what the node is for
    tools: tuple[str, ...]


@dataclass(frozen=True)
class LabImage:
    """An image the lab pulls, and how the offline kit provides it: a build context of the pack
    (build_dir, with build_args) or a stand-in of the kit's library (library)."""

    ref: str
    build_dir: Path | None
    build_args: tuple[tuple[str, str], ...]
    library: str | None
    location: str


@dataclass(frozen=True)
class LabRepository:
    """A git repository the lab clones: its upstream URL and the pack's folder with its files."""

    url: str
    content_dir: Path
    location: str


@dataclass(frozen=True)
class StudentValue:
    name: str
    template: str


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    language: str
    version: str
    source_url: str | None
    description: str | None
    nodes: tuple[str, ...]
    files: tuple[LabFile, ...]
    student_values: tuple[StudentValue, ...]
    sections: tuple[Section, ...]
    path: Path
    sha256: str
    default_workdir: str = "~"
    extra: dict[str, object] = field(default_factory=dict)
    node_specs: tuple[LabNode, ...] = ()
    images: tuple[LabImage, ...] = ()
    repositories: tuple[LabRepository, ...] = ()

    @property
    def tools(self) -> tuple[str, ...]:
        """Every package any of the lab's nodes needs, in the order first named."""
        return tuple(dict.fromkeys(tool for node in self.node_specs for tool in node.tools))

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for section in self.sections for step in section.steps)

    def values_for_student(self, student_id: str | None) -> dict[str, str]:
        """Per-student values, so one student's evidence does not verify for another."""
        identity = student_id or "anonimo"
        digest = hashlib.sha256(f"{self.id}\0{identity}".encode()).hexdigest()[:8]
        return {v.name: v.template.format(student_id=identity, hash=digest) for v in self.student_values}

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)
