"""Every regular expression labcheck runs over text it did not write goes through here.

Two kinds of pattern, two engines (measured in bench/regex_engines.py):

- A spec's rules (`matches`, `not_matches`, `distinct_matches`, capture patterns, prompts) are
  the course's, written in Python's syntax, and run over transcripts a student controls. They
  go through the `regex` module: Python's `re` syntax and meaning (`$` before a final newline,
  Unicode `\\s`, lookarounds), plus a time limit on every match, so a pattern that backtracks
  too much gives up with `PatternTimeout` instead of hanging a run or a verify batch.
  `slow_input()` finds, before any run, the patterns that backtrack exponentially on short
  text, so `validate` refuses them.
- Patterns built from a student's own text (the report's command matching) have only literal
  text and word placeholders; they go through RE2, whose matching is linear in the text, so
  no input can make them slow and no time limit is needed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2
import regex

from labcheck.errors import LabcheckError

# A sound pattern runs over a megabyte of transcript in well under a millisecond (measured:
# bench/regex_engines.py); half a second is far beyond any honest rule, and short enough that
# a batch of bundles still ends. regex checks its clock as it goes: a match that runs out
# gives up within 2 s (measured 1.1 to 1.7 s on a loaded 2-core machine).
MATCH_TIMEOUT_S = 0.5
# Probing for catastrophic backtracking: runs of one character that a nested repetition can
# split in many ways, then one that makes the match fail. 32 repeats are 2**32 ways for an
# exponential pattern; 2,000 repeats are billions of steps for a cubic one. A sound pattern
# takes microseconds on either, so the limits are generous.
_PROBES: tuple[tuple[int, tuple[str, ...], float], ...] = (
    (32, ("!", "\n!", "\x00"), 0.05),
    (2000, ("!", "\n!"), 0.1),
)
_PROBE_CHARACTERS = "a0 \n\t-_.:/x"
_META = "\\()[]{}|*+?^$."


class PatternInvalid(LabcheckError):
    """A pattern the regex engine cannot compile."""


class PatternTimeout(LabcheckError):
    """A match that ran out of time: the pattern backtracks too much on this text."""

    def __init__(self, pattern: str, timeout_s: float) -> None:
        self.pattern = pattern
        self.timeout_s = timeout_s
        super().__init__(f"/{pattern}/ took more than {timeout_s:g} s")


@lru_cache(maxsize=1024)
def compile_rule(pattern: str, ignore_case: bool = False) -> regex.Pattern[str]:
    """A spec pattern compiled with `re`'s syntax (regex's version 0)."""
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    try:
        return regex.compile(pattern, flags)
    except RecursionError:
        raise PatternInvalid("groups nested too deeply") from None
    except (regex.error, ValueError, OverflowError) as error:
        raise PatternInvalid(str(error)) from None


def escape(text: str) -> str:
    """A value put into a spec pattern matches as literal text."""
    return str(regex.escape(text))


def search(
    pattern: str, text: str, *, ignore_case: bool = False, timeout_s: float = MATCH_TIMEOUT_S
) -> regex.Match[str] | None:
    try:
        return compile_rule(pattern, ignore_case).search(text, timeout=timeout_s)
    except TimeoutError:
        raise PatternTimeout(pattern, timeout_s) from None


def findall(
    pattern: str, text: str, *, ignore_case: bool = False, timeout_s: float = MATCH_TIMEOUT_S
) -> list[Any]:
    try:
        return list(compile_rule(pattern, ignore_case).findall(text, timeout=timeout_s))
    except TimeoutError:
        raise PatternTimeout(pattern, timeout_s) from None


def group_count(pattern: str) -> int:
    return int(compile_rule(pattern).groups)


@lru_cache(maxsize=1024)
def slow_input(pattern: str, ignore_case: bool = False) -> str | None:
    """A text on which the pattern runs out of a generous time limit, if there is one."""
    compiled = compile_rule(pattern, ignore_case)
    units = _probe_units(pattern)
    # The literal text the pattern needs, after the run, so that the engine cannot skip the
    # search by seeing that a required character is missing.
    needed = "!" + "".join(char for char in pattern if char not in _META)
    for repeats, endings, timeout_s in _PROBES:
        for unit in units:
            for ending in (*endings, needed):
                text = unit * max(1, repeats // len(unit)) + ending
                try:
                    compiled.search(text, timeout=timeout_s)
                except TimeoutError:
                    return text
    return None


def _probe_units(pattern: str) -> list[str]:
    """The characters the pattern names, a few common ones, and short words of the pattern."""
    units: list[str] = []
    words = regex.findall(r"[A-Za-z0-9]{2,4}", pattern)[:10]
    for unit in [*pattern, *_PROBE_CHARACTERS, *words]:
        if unit not in units and unit not in _META:
            units.append(unit)
    return units


@lru_cache(maxsize=4096)
def linear(pattern: str) -> Any:
    """A pattern built from untrusted text, compiled by RE2: matching time linear in the text."""
    return re2.compile(pattern)


def linear_escape(text: str) -> str:
    return str(re2.escape(text))
