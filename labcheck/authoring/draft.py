"""The lab pack being drafted from a lab's Markdown: what `labcheck import` writes, and what it
could not decide (items left for the author)."""

from __future__ import annotations

from dataclasses import dataclass, field

from labcheck.authoring.sample_output import CandidateRule


@dataclass
class DraftCapture:
    name: str
    source: str  # created_container, output, image_id, swarm_join_token
    placeholder: str
    pattern: str | None = None
    ref: str | None = None
    role: str | None = None
    short: bool = False
    note: str = ""  # why it is here, for the author to confirm


@dataclass
class DraftStep:
    id: str
    command: str
    node: str
    line: int  # where the lab has it
    prose: tuple[str, ...] = ()  # the lab's paragraphs before it, kept as a comment
    workdir: str | None = None
    typed: list[str] = field(default_factory=list)  # input typed inside an interactive shell
    session: bool = False
    captures: list[DraftCapture] = field(default_factory=list)
    rules: list[CandidateRule] = field(default_factory=list)
    has_sample: bool = False
    notes: list[str] = field(default_factory=list)  # comments above the step (TODO confirm ...)
    timeout: str | None = None


@dataclass
class DraftSection:
    number: str
    title: str
    line: int
    prose: tuple[str, ...] = ()
    steps: list[DraftStep] = field(default_factory=list)


@dataclass
class DraftFile:
    path: str
    content: str
    line: int


@dataclass
class Draft:
    lab_id: str
    title: str
    source: str
    nodes: tuple[str, ...]
    description: tuple[str, ...] = ()
    sections: list[DraftSection] = field(default_factory=list)
    files: list[DraftFile] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # what the author must decide, each with its line

    @property
    def steps(self) -> list[DraftStep]:
        return [step for section in self.sections for step in section.steps]


@dataclass(frozen=True)
class ImportSummary:
    """The figures `labcheck import` prints (and bench/import_labs.py totals)."""

    steps: int
    nodes: int
    captures_to_confirm: int
    rules_proposed: int
    items_left: int

    @classmethod
    def of(cls, draft: Draft) -> ImportSummary:
        steps = draft.steps
        return cls(
            steps=len(steps),
            nodes=len(draft.nodes),
            captures_to_confirm=sum(len(step.captures) for step in steps),
            rules_proposed=sum(len(step.rules) for step in steps),
            items_left=len(draft.left),
        )
