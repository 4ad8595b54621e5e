"""Candidate output rules from a lab's sample output: stable lines kept, volatile values (IDs,
digests, sizes, times, addresses) generalised, abbreviations (`...`, `<Snip>`) read as gaps.

The sample is illustrative, often abbreviated and sometimes wrong: every rule is a candidate for
the author to confirm (`labcheck lint` and a reference run tell which ones hold)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from labcheck import patterns
from labcheck.spec.semantics import pattern_problem

MAX_RULES = 3
_MIN_LITERAL = 4  # letters and digits a line keeps once generalised, to say something
_GAP = re.compile(r"^\s*(?:\.{2,}|…+|<snip>|\[\.\.\.\]|\[snip\]|\(\.\.\.\))\s*$", re.I)
_TIME_WORDS = r"(?:second|minute|hour|day|week|month|year)s?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# (what a volatile value looks like in a sample, the pattern it becomes), tried in this order.
_VOLATILE: tuple[tuple[str, str], ...] = (
    (r"sha256:[0-9a-f]{64}", r"sha256:[0-9a-f]{64}"),
    (r"\b[0-9a-f]{64}\b", r"[0-9a-f]{64}"),
    (r"SWMTKN-[0-9A-Za-z-]+", r"SWMTKN-[0-9A-Za-z-]+"),
    (r"\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{12}\b", r"[0-9a-f]{12}"),
    (r"\b(?=[0-9a-z]*[0-9])(?=[0-9a-z]*[a-z])[0-9a-z]{25}\b", r"[0-9a-z]{25}"),
    (r"\b(?=[0-9a-z]*[0-9])(?=[0-9a-z]*[a-z])[0-9a-z]{12}\b", r"[0-9a-z]{12}"),
    (
        r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?Z?",
        r"[0-9-]{10}[T ][0-9:.]+Z?",
    ),
    (
        rf"\b{_MONTH} +[0-9]{{1,2}} +(?:[0-9]{{1,2}}:[0-9]{{2}}|[0-9]{{4}})\b",
        r"[A-Z][a-z]{2} +[0-9]+ +[0-9:]+",
    ),
    (
        rf"\b(?:About an?|Less than an?|an?|[0-9]+) {_TIME_WORDS}(?= ago\b)",
        r"(?:About an?|Less than an?|an?|[0-9]+) [a-z]+",
    ),
    (
        rf"(?<=Up )(?:About an?|Less than an?|an?|[0-9]+) {_TIME_WORDS}",
        r"(?:About an?|Less than an?|an?|[0-9]+) [a-z]+",
    ),
    (r"\b[0-9]+(?:\.[0-9]+){3}(?::[0-9]+)?\b", r"[0-9]+(?:\.[0-9]+){3}(?::[0-9]+)?"),
    (r"\b[0-9]+(?:\.[0-9]+)? ?(?:B|kB|KB|MB|GB|KiB|MiB|GiB)\b", r"[0-9.]+ ?[kKMG]?i?B"),
    (r"\b[0-9]+(?:\.[0-9]+)?m?s\b", r"[0-9.]+m?s"),
    (r"\b[0-9]+(?:\.[0-9]+)?%", r"[0-9.]+%"),
    (r"(?<=  )[a-z]+_[a-z]+$", r"[a-z]+_[a-z]+"),  # a container's random name, last in a table
)
_VOLATILE_ANY = re.compile("|".join(f"({pattern})" for pattern, _ in _VOLATILE))
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class CandidateRule:
    kind: str  # contains or matches
    value: str
    line: str  # the sample's line it comes from
    line_number: int


def is_gap(line: str) -> bool:
    return bool(_GAP.match(line))


def generalised(line: str) -> tuple[str, bool]:
    """The line as a pattern (blanks as ` +`, volatile values as classes) and whether it changed."""
    text = line.strip()
    pieces: list[str] = []
    changed = False
    position = 0
    for match in _VOLATILE_ANY.finditer(text):
        pieces.append(_literal(text[position : match.start()]))
        group = next(index for index, value in enumerate(match.groups()) if value is not None)
        pieces.append(_VOLATILE[group][1])
        changed = True
        position = match.end()
    pieces.append(_literal(text[position:]))
    joined = "".join(pieces)
    return joined, changed or "  " in text


def _literal(text: str) -> str:
    return " +".join(patterns.escape(part) for part in _BLANKS.split(text)) if text else ""


def _literal_weight(line: str) -> int:
    return sum(character.isalnum() for character in _VOLATILE_ANY.sub("", line))


def candidate_rules(sample: str, first_line: int) -> list[CandidateRule]:
    """At most MAX_RULES rules: the sample's first telling line, then those that say most."""
    return pick(all_candidates(sample, first_line))


def all_candidates(sample: str, first_line: int) -> list[CandidateRule]:
    """A rule for every telling line of the text, generalised, in order and without repeats."""
    found: list[CandidateRule] = []
    for offset, raw in enumerate(sample.split("\n")):
        if is_gap(raw) or _literal_weight(raw) < _MIN_LITERAL:
            continue
        pattern, changed = generalised(raw)
        if changed:
            _, problem = pattern_problem(pattern)
            if problem:
                continue
            rule = CandidateRule("matches", pattern, raw.strip(), first_line + offset)
        else:
            rule = CandidateRule("contains", raw.strip(), raw.strip(), first_line + offset)
        if all(rule.value != other.value for other in found):
            found.append(rule)
    return found


def pick(found: list[CandidateRule]) -> list[CandidateRule]:
    """The first rule (often a table's header) and the last (often the command's result), then
    those that keep most literal text, in their order: at most MAX_RULES."""
    if len(found) <= MAX_RULES:
        return found
    chosen = {0, len(found) - 1}
    by_weight = sorted(range(1, len(found) - 1), key=lambda index: -_literal_weight(found[index].line))
    chosen.update(by_weight[: MAX_RULES - 2])
    return [found[index] for index in sorted(chosen)]
