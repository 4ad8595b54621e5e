"""What `labcheck lint` reports: a rule that cannot fail, named by file, line and key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from labcheck.spec.model import Lab, Matcher, Step
from labcheck.spec.schema_errors import describe_path


@dataclass(frozen=True)
class Finding:
    where: str  # file:line
    key: str  # sections[3].steps[0].expect.output[1].matches
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.key}: {self.message}"


@dataclass(frozen=True)
class PlacedRule:
    step: Step
    matcher: Matcher
    key: str


def placed_rules(lab: Lab) -> Iterator[PlacedRule]:
    """Every output rule with its key, in file order (the loader builds matchers stream by stream)."""
    for s_index, section in enumerate(lab.sections):
        for t_index, step in enumerate(section.steps):
            counts: dict[str, int] = {}
            for matcher in step.matchers:
                index = counts.get(matcher.stream, 0)
                counts[matcher.stream] = index + 1
                path = ("sections", s_index, "steps", t_index, "expect", matcher.stream, index, matcher.kind)
                yield PlacedRule(step, matcher, describe_path(path))


def exit_code_key(lab: Lab, step: Step) -> tuple[str, str]:
    for s_index, section in enumerate(lab.sections):
        for t_index, candidate in enumerate(section.steps):
            if candidate is step:
                return step.location, describe_path(
                    ("sections", s_index, "steps", t_index, "expect", "exit_code")
                )
    return step.location, "expect.exit_code"
