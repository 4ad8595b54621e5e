"""Which evidence step a command written in a student's report refers to.

A student writes commands as the lab does, sometimes with placeholders
(`<container ID>`, `<IMAGE_ID>`, `CONTAINER_ID`) and sometimes with the values of
their own run; the evidence has the command as run (values filled in), the spec's
template (`${{ name }}` placeholders) and, for interactive steps, the lines typed in.
A placeholder on either side stands for one word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from labcheck import patterns
from labcheck.report.model import Step

_PLACEHOLDER = re.compile(
    r"\$\{\{\s*[a-z][a-z0-9_]*\s*\}\}"  # the spec's own form
    r"|<[A-Za-z][^<>\n]*>"  # <container ID>, <IMAGE_ID>
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"  # CONTAINER_ID
)
_PROMPT = re.compile(r"^(?:\$|#|PS [^>]*>|>)\s+")
_COMMENT = re.compile(r"\s+#[^\"']*$")
_SPLIT = re.compile(r"\s+(?=docker\s)|\s*(?:&&|;)\s*")


def _pattern(text: str) -> Any:
    """Both sides may be a student's text, so the pattern runs on RE2: linear time whatever
    the text (with `re`, `<a>x<b>x<c>x` against a long word backtracked for minutes)."""
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        pieces.append(_literal(text[position : match.start()]))
        pieces.append(r"\S+")
        position = match.end()
    pieces.append(_literal(text[position:]))
    return patterns.linear("".join(pieces))


def _literal(text: str) -> str:
    # Commands are normalised first (one space between words), so RE2's ASCII \s suffices.
    return r"\s+".join(patterns.linear_escape(part) for part in text.split(" "))


def normalise(command: str) -> str:
    return " ".join(_PROMPT.sub("", command.strip()).split())


def _canonical(command: str) -> str:
    return _PLACEHOLDER.sub("\x00", command)


def match_score(written: str, candidate: str) -> int:
    """3: the same command; 2: the same up to placeholders; 1: a placeholder took a value; 0: no."""
    written, candidate = normalise(written), normalise(candidate)
    if not written or not candidate:
        return 0
    if written == candidate or _canonical(written) == _canonical(candidate):
        return 3 if written == candidate or _PLACEHOLDER.search(written) else 2
    if _pattern(candidate).fullmatch(written):
        return 2
    if _pattern(written).fullmatch(candidate):
        return 1
    return 0


def commands_in(code: str) -> list[str]:
    """The commands a code block or inline code may hold, most specific forms included."""
    found: list[str] = []
    for line in code.splitlines() or [code]:
        line = normalise(line)
        if not line:
            continue
        for form in (line, _COMMENT.sub("", line)):
            if form and form not in found:
                found.append(form)
        for piece in _SPLIT.split(line):
            piece = normalise(_COMMENT.sub("", piece))
            if piece and piece not in found:
                found.append(piece)
    return found


@dataclass(frozen=True)
class Match:
    index: int
    score: int
    typed_inside: bool  # matched a line typed into an interactive step, not the step's command


def matching_steps(command: str, steps: Sequence[Step]) -> list[Match]:
    found: list[Match] = []
    for index, step in enumerate(steps):
        forms = [step.command, *([step.command_template] if step.command_template else [])]
        score = max((match_score(command, form) for form in forms), default=0)
        inside = max((match_score(command, line) for line in step.inputs), default=0)
        if score:
            found.append(Match(index, score, typed_inside=False))
        elif inside:
            found.append(Match(index, inside, typed_inside=True))
    return found


def pick(matches: Sequence[Match], cursor: int) -> int | None:
    """The best match, at or after the last placed step (a report follows the lab), else the
    nearest before it."""
    if not matches:
        return None
    best = max(match.score for match in matches)
    indexes = [match.index for match in matches if match.score == best]
    later = [index for index in indexes if index >= cursor]
    return later[0] if later else max(indexes)
