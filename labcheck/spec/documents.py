"""The shape of a spec document once `labcheck/spec/schema.json` has accepted it: one TypedDict per
node of the schema the loader walks, so mypy checks every read the loader makes.

These describe data, they check nothing: `as_spec_document` is called only on data the JSON Schema
validated, and a change to the schema must be mirrored here (the names are the schema's `$defs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NotRequired, TypedDict, cast, get_args

# `$defs/local_text`: one text, or the same text by language ({es: ..., en: ...}).
LocalTextDoc = str | Mapping[str, str]


class LabHeaderDoc(TypedDict):
    id: str
    title: LocalTextDoc
    language: str
    version: str
    source: NotRequired[str]
    description: NotRequired[LocalTextDoc]


class NodeDoc(TypedDict):
    name: str
    description: NotRequired[LocalTextDoc]
    tools: NotRequired[list[str]]


class StandinDoc(TypedDict, total=False):
    build: str
    library: str
    args: Mapping[str, object]  # build arguments, each written as YAML reads it (text or number)


class ImageDoc(TypedDict):
    ref: str
    standin: StandinDoc


class RepositoryDoc(TypedDict):
    url: str
    content: str


class DefaultsDoc(TypedDict, total=False):
    node: str
    timeout: str
    workdir: str
    prompt: str


class FileDoc(TypedDict):
    path: str
    node: NotRequired[str]
    student_may_replace: NotRequired[bool]


class StudentValueDoc(TypedDict):
    name: str
    template: str


class EventuallyDoc(TypedDict):
    timeout: str
    interval: NotRequired[str]


class UntilDoc(TypedDict, total=False):
    contains: str
    matches: str
    stream: str
    ignore_case: bool
    says: LocalTextDoc


class LinesDoc(TypedDict, total=False):
    min: int
    max: int
    equals: int


class DistinctMatchesDoc(TypedDict):
    pattern: str
    min: int


MatcherKind = Literal[
    "contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches"
]
MATCHER_KINDS: tuple[MatcherKind, ...] = get_args(MatcherKind)


class MatcherDoc(TypedDict, total=False):
    """Exactly one of the rule kinds (contains ... distinct_matches), and its options."""

    contains: str
    not_contains: str
    matches: str
    not_matches: str
    equals: str
    lines: LinesDoc
    distinct_matches: DistinctMatchesDoc
    ignore_case: bool
    description: LocalTextDoc
    says: LocalTextDoc


class StateEntryDoc(TypedDict, total=False):
    """`$defs/state_check`: these shared keys, and exactly one kind's key (image, container, ...)
    whose parameters that kind's own schema fragment describes: read them with `kind_params`."""

    on: str
    description: LocalTextDoc
    says: LocalTextDoc
    eventually: EventuallyDoc
    requires: list[str]


class ExpectDoc(TypedDict, total=False):
    exit_code: int
    output: list[MatcherDoc]
    stdout: list[MatcherDoc]
    stderr: list[MatcherDoc]
    state: list[StateEntryDoc]


class SendDoc(TypedDict):
    send: str
    wait_for: NotRequired[str]


# `from` is a keyword, so this one is declared by call.
CaptureDoc = TypedDict(
    "CaptureDoc",
    {
        "name": str,
        "from": str,
        "placeholder": NotRequired[str],
        "pattern": NotRequired[str],
        "group": NotRequired[int],
        "ref": NotRequired[str],
        "role": NotRequired[str],
        "short": NotRequired[bool],
    },
)


class StepDoc(TypedDict):
    id: str
    title: LocalTextDoc
    run: str
    expect: ExpectDoc
    number: NotRequired[str]
    explanation: NotRequired[LocalTextDoc]
    hint: NotRequired[LocalTextDoc]
    node: NotRequired[str]
    workdir: NotRequired[str]
    tty: NotRequired[bool]
    input: NotRequired[list[str | SendDoc]]
    prompt: NotRequired[str]
    timeout: NotRequired[str]
    needs: NotRequired[list[str]]
    requires: NotRequired[list[str]]
    eventually: NotRequired[EventuallyDoc]
    until: NotRequired[UntilDoc]
    capture: NotRequired[list[CaptureDoc]]


class SectionDoc(TypedDict):
    number: str
    title: LocalTextDoc
    explanation: NotRequired[LocalTextDoc]
    steps: NotRequired[list[StepDoc]]


class SpecDoc(TypedDict):
    labcheck: int
    lab: LabHeaderDoc
    sections: list[SectionDoc]
    nodes: NotRequired[list[NodeDoc]]
    images: NotRequired[list[ImageDoc]]
    repositories: NotRequired[list[RepositoryDoc]]
    defaults: NotRequired[DefaultsDoc]
    files: NotRequired[list[FileDoc]]
    student_values: NotRequired[list[StudentValueDoc]]


def as_spec_document(data: object) -> SpecDoc:
    """The document as its schema describes it: only for data the schema validated."""
    return cast(SpecDoc, data)


def kind_params(entry: StateEntryDoc, kind: str) -> dict[str, object]:
    """The parameters of the entry's kind (its key in the entry), a mapping by every kind's schema."""
    keyed: Mapping[str, object] = entry
    params = keyed[kind]
    if not isinstance(params, Mapping):
        raise TypeError(f"the parameters of a '{kind}' state check are not a mapping")
    return {str(key): value for key, value in params.items()}
