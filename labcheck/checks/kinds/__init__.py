"""State check kinds: one module each, declaring what a spec writes (its JSON Schema), how the
engine is asked (its probe) and how the report names the object; see `labcheck.checks.registry`.

A kind outside labcheck is a module of its own, registered under the entry point group
`labcheck.checks` (`[project.entry-points."labcheck.checks"] volume = "mypkg.volume:KIND"`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import docker


@dataclass
class Baseline:
    """What existed on an engine before the lab ran, so counts only see the lab's own objects."""

    container_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Observation:
    """What a probe found: whether the expectation holds, what it expected and what it saw."""

    ok: bool
    expected: dict[str, Any]
    observed: dict[str, Any]


Probe = Callable[["docker.DockerClient", Mapping[str, Any], Baseline], Observation]


@dataclass(frozen=True)
class StateKind:
    name: str  # its key in a spec's `state:` entry; its evidence code is `state.<name>`
    schema: Mapping[str, Any]  # the JSON Schema of its parameters (may use the spec's $defs)
    probe: Probe
    subject_es: str  # the object it asks about, in the report's Spanish: "la imagen {}"
    subject_key: str = ""  # the parameter that names the object ("" for none, as for the Swarm)
    # Words for its own expectations, by parameter ("diff_contains": "sus cambios incluyen {}");
    # the shared ones (exists, count, status, ...) are labcheck.checks.phrases'.
    words_es: Mapping[str, str] = field(default_factory=dict)

    def subject(self, params: Mapping[str, Any]) -> str:
        return (
            self.subject_es.format(params.get(self.subject_key, "")) if self.subject_key else self.subject_es
        )
