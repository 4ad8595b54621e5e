"""What a schema cannot say: specs that read well and are valid to the schema, but cannot work.

Each check returns the message for the teacher (None when all is well); the loader puts the
file, the line and the key in front of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from labcheck import patterns
from labcheck.spec.placeholders import PLACEHOLDER

# No lab step waits a day; a longer timeout is a typo (and 9...9h is infinite as a float).
MAX_DURATION_S = 24 * 3600.0
# What a value captured at run time looks like, for checking the patterns it goes into.
_SAMPLE_VALUE = "0123456789ab"

DocPath = tuple[str | int, ...]


def duration_problem(text: str, seconds: float) -> str | None:
    if seconds <= 0:
        return f"must be above zero; got {text!r}"
    if seconds > MAX_DURATION_S:
        shown = text if len(text) <= 20 else f"{text[:12]}…{text[-2:]}"
        return f"must be at most 24h; got {shown!r}"
    return None


def lines_problem(bounds: Mapping[str, int]) -> str | None:
    low, high, exactly = bounds.get("min"), bounds.get("max"), bounds.get("equals")
    if low is not None and high is not None and low > high:
        return f"min ({low}) is above max ({high}): no output has such a count of lines"
    if exactly is not None and ((low is not None and exactly < low) or (high is not None and exactly > high)):
        return f"equals ({exactly}) is outside min..max: no output passes"
    return None


def group_problem(group: int, groups: int) -> str | None:
    if group <= groups:
        return None
    have = f"has {groups} group{'s' if groups != 1 else ''}" if groups else "has no group"
    return f"group {group} does not exist: the pattern {have} (group 0 is the whole match)"


def pattern_problem(pattern: str, ignore_case: bool = False) -> tuple[int | None, str | None]:
    """(its group count, what is wrong): it must compile and must not backtrack catastrophically."""
    # Captured values go in escaped, as literal text; a sample stands for them.
    filled = PLACEHOLDER.sub(lambda _: patterns.escape(_SAMPLE_VALUE), pattern)
    try:
        groups = patterns.group_count(filled)
        slow = patterns.slow_input(filled, ignore_case)
    except patterns.PatternInvalid as error:
        return None, f"is not a valid regular expression: {error}"
    if slow is None:
        return groups, None
    shown = slow if len(slow) <= 12 else slow[:8] + "…" + slow[-2:]
    return groups, (
        f"the pattern {pattern!r} backtracks catastrophically: on the {len(slow):,}-character "
        f"text {shown!r} it ran out of time, where a sound pattern needs microseconds. "
        "A repetition inside a repetition, or alternatives that match the same text, such as "
        "(a+)+ or (a|aa)+, cause it; write it so that each character can be matched one way only"
    )


@dataclass
class Places:
    """Where every step id and every captured name is defined, to say where a later one is."""

    step_ids: dict[str, str] = field(default_factory=dict)
    captures: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Any], where: Callable[[DocPath], str]) -> Places:
        places = cls()
        for s_index, section in enumerate(data["sections"]):
            for t_index, step in enumerate(section.get("steps", [])):
                doc_path: DocPath = ("sections", s_index, "steps", t_index)
                places.step_ids.setdefault(step["id"], where((*doc_path, "id")))
                for c_index, capture in enumerate(step.get("capture", [])):
                    at = where((*doc_path, "capture", c_index))
                    places.captures.setdefault(capture["name"], f"step '{step['id']}' ({at})")
        return places

    def need_problem(self, needed: str, step_id: str, before: Iterable[str]) -> str | None:
        """`needs` names a step that runs before this one."""
        earlier = list(before)
        if needed == step_id:
            return f"'{needed}' is this step itself"
        if needed in earlier:
            return None
        if needed in self.step_ids:
            return (
                f"'{needed}' comes after this step (at {self.step_ids[needed]}): "
                "a step can need only steps before it"
            )
        suggestion = difflib.get_close_matches(needed, earlier, n=1)
        hint = f"; did you mean '{suggestion[0]}'?" if suggestion else ""
        return f"'{needed}' is not a step that comes before this one (no step has that id){hint}"

    def placeholder_problem(self, name: str, known_names: Iterable[str]) -> str:
        """A `${{ name }}` that no earlier capture nor student value defines."""
        shown = f"'${{{{ {name} }}}}'"
        if name in self.captures:
            return f"{shown} is captured only later, by {self.captures[name]}: use it after that step"
        suggestion = difflib.get_close_matches(name, sorted(known_names), n=1)
        hint = f"; did you mean '${{{{ {suggestion[0]} }}}}'?" if suggestion else ""
        return f"{shown} is not captured by an earlier step nor declared in student_values{hint}"
