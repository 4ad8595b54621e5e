"""State check kinds: one module each, declaring what a spec writes (its JSON Schema), how the
engine is asked (its probe) and how the report names the object; see `labcheck.checks.registry`.

A kind outside labcheck is a module of its own, registered under the entry point group
`labcheck.checks` (`[project.entry-points."labcheck.checks"] volume = "mypkg.volume:KIND"`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
    expected: dict[str, object]
    observed: dict[str, object]


Probe = Callable[["docker.DockerClient", Mapping[str, object], Baseline], Observation]


@dataclass(frozen=True)
class StateKind:
    """A kind's words come in each report language: `subject_es`/`words_es` for Spanish,
    `subject_en`/`words_en` for English. Every one may be left out: English then reads the kind's
    name ("engine_os" -> "the engine os", a parameter "os_contains" -> "os contains «Debian»"), and
    Spanish shows the spec's own names (`engine_os`, `os_contains «Debian»`), never English words."""

    name: str  # its key in a spec's `state:` entry; its evidence code is `state.<name>`
    schema: Mapping[str, object]  # the JSON Schema of its parameters (may use the spec's $defs)
    probe: Probe
    subject_es: str = ""  # the object it asks about, in the report's Spanish: "la imagen {}"
    subject_key: str = ""  # the parameter that names the object ("" for none, as for the Swarm)
    # Words for its own expectations, by parameter ("diff_contains": "sus cambios incluyen {}");
    # the shared ones (exists, count, status, ...) are labcheck.checks.phrases'.
    words_es: Mapping[str, str] = field(default_factory=dict)
    subject_en: str = ""  # the same in English: "the image {}"
    words_en: Mapping[str, str] = field(default_factory=dict)  # "diff_contains": "its changes include {}"

    def subject_template(self, language: str) -> str:
        """The subject with `{}` where the object's name goes (when the kind has a subject_key)."""
        named = " {}" if self.subject_key else ""
        if language == "en":
            return self.subject_en or f"the {self.name.replace('_', ' ')}{named}"
        return self.subject_es or f"{self.name}{named}"

    def words(self, language: str) -> Mapping[str, str]:
        return self.words_en if language == "en" else self.words_es

    def subject(self, params: Mapping[str, object], language: str = "es") -> str:
        template = self.subject_template(language)
        return template.format(params.get(self.subject_key, "")) if self.subject_key else template
