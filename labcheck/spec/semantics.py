"""What a schema cannot say: specs that read well and are valid to the schema, but cannot work.

Each check returns the message for the teacher (None when all is well); the loader puts the
file, the line and the key in front of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from labcheck import i18n, patterns
from labcheck.spec.documents import LinesDoc, SpecDoc
from labcheck.spec.placeholders import PLACEHOLDER

# No lab step waits a day; a longer timeout is a typo (and 9...9h is infinite as a float).
MAX_DURATION_S = 24 * 3600.0
# What a value captured at run time looks like, for checking the patterns it goes into.
_SAMPLE_VALUE = "0123456789ab"

DocPath = tuple[str | int, ...]


def duration_problem(text: str, seconds: float) -> str | None:
    t = i18n.cli()
    if seconds <= 0:
        return t.format("must be above zero; got {value}", value=repr(text))
    if seconds > MAX_DURATION_S:
        shown = text if len(text) <= 20 else f"{text[:12]}…{text[-2:]}"
        return t.format("must be at most 24h; got {value}", value=repr(shown))
    return None


def lines_problem(bounds: LinesDoc) -> str | None:
    low, high, exactly = bounds.get("min"), bounds.get("max"), bounds.get("equals")
    t = i18n.cli()
    if low is not None and high is not None and low > high:
        return t.format(
            "min ({low}) is above max ({high}): no output has such a count of lines", low=low, high=high
        )
    if exactly is not None and ((low is not None and exactly < low) or (high is not None and exactly > high)):
        return t.format("equals ({exactly}) is outside min..max: no output passes", exactly=exactly)
    return None


def group_problem(group: int, groups: int) -> str | None:
    if group <= groups:
        return None
    t = i18n.cli()
    if not groups:
        return t.format(
            "group {group} does not exist: the pattern has no group (group 0 is the whole match)", group=group
        )
    return t.ngettext(
        "group {group} does not exist: the pattern has {count} group (group 0 is the whole match)",
        "group {group} does not exist: the pattern has {count} groups (group 0 is the whole match)",
        groups,
    ).format(group=group, count=groups)


def pattern_problem(pattern: str, ignore_case: bool = False) -> tuple[int | None, str | None]:
    """(its group count, what is wrong): it must compile and must not backtrack catastrophically."""
    # Captured values go in escaped, as literal text; a sample stands for them.
    filled = PLACEHOLDER.sub(lambda _: patterns.escape(_SAMPLE_VALUE), pattern)
    try:
        groups = patterns.group_count(filled)
        slow = patterns.slow_input(filled, ignore_case)
    except patterns.PatternInvalid as error:
        return None, i18n.cli().format("is not a valid regular expression: {value}", value=error)
    if slow is None:
        return groups, None
    shown = slow if len(slow) <= 12 else slow[:8] + "…" + slow[-2:]
    t = i18n.cli()
    return groups, t.format(
        "the pattern {pattern} backtracks catastrophically: on the text {text} ({length}) it ran out of "
        "time, where a sound pattern needs microseconds. A repetition inside a repetition, or "
        "alternatives that match the same text, such as (a+)+ or (a|aa)+, cause it; write it so that "
        "each character can be matched one way only",
        pattern=repr(pattern),
        text=repr(shown),
        length=t.counted(len(slow), "character", "characters"),
    )


@dataclass
class Places:
    """Where every step id and every captured name is defined, to say where a later one is."""

    step_ids: dict[str, str] = field(default_factory=dict)
    captures: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: SpecDoc, where: Callable[[DocPath], str]) -> Places:
        places = cls()
        for s_index, section in enumerate(data["sections"]):
            for t_index, step in enumerate(section.get("steps", [])):
                doc_path: DocPath = ("sections", s_index, "steps", t_index)
                places.step_ids.setdefault(step["id"], where((*doc_path, "id")))
                for c_index, capture in enumerate(step.get("capture", [])):
                    at = where((*doc_path, "capture", c_index))
                    said = i18n.cli().format("step '{step}' ({at})", step=step["id"], at=at)
                    places.captures.setdefault(capture["name"], said)
        return places

    def need_problem(self, needed: str, step_id: str, before: Iterable[str]) -> str | None:
        """`needs` names a step that runs before this one."""
        t = i18n.cli()
        earlier = list(before)
        if needed == step_id:
            return t.format("'{step}' is this step itself", step=needed)
        if needed in earlier:
            return None
        if needed in self.step_ids:
            return t.format(
                "'{step}' comes after this step (at {at}): a step can need only steps before it",
                step=needed,
                at=self.step_ids[needed],
            )
        said = t.format(
            "'{step}' is not a step that comes before this one (no step has that id)", step=needed
        )
        suggestion = difflib.get_close_matches(needed, earlier, n=1)
        return (
            said + t.format("; did you mean '{suggestion}'?", suggestion=suggestion[0])
            if suggestion
            else said
        )

    def placeholder_problem(self, name: str, known_names: Iterable[str]) -> str:
        """A `${{ name }}` that no earlier capture nor student value defines."""
        t = i18n.cli()
        shown = f"'${{{{ {name} }}}}'"
        if name in self.captures:
            return t.format(
                "{name} is captured only later, by {at}: use it after that step",
                name=shown,
                at=self.captures[name],
            )
        said = t.format(
            "{name} is not captured by an earlier step nor declared in student_values", name=shown
        )
        suggestion = difflib.get_close_matches(name, sorted(known_names), n=1)
        if not suggestion:
            return said
        return said + t.format("; did you mean '{suggestion}'?", suggestion=f"${{{{ {suggestion[0]} }}}}")
