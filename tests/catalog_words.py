"""The words each catalog gives, for tests that read a command's output and say which language a
line is in: the runs of three words or more between a message's placeholders, in English (the
msgids) or in Spanish (their translations), where the two differ."""

from __future__ import annotations

import re
from functools import cache

from labcheck import catalogs

_PLACEHOLDER = re.compile(r"\{[^}]*\}|%\([^)]*\)s|%s")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _runs(text: str) -> set[str]:
    found = set()
    for piece in _PLACEHOLDER.split(text):
        flat = " ".join(piece.split()).strip(" :;,.()«»'`-")
        if len(_WORD.findall(flat)) >= 3:
            found.add(flat)
    return found


@cache
def phrases(language: str) -> frozenset[str]:
    """Runs of words only that language's side of the catalogs says (English: msgids; "es": the
    Spanish), from the messages whose Spanish is not the English itself."""
    english: set[str] = set()
    spanish: set[str] = set()
    for entry in catalogs.read_catalog("es"):
        msgids = [entry.message.msgid, *([entry.message.plural] if entry.message.plural else [])]
        en_runs = set().union(*(_runs(text) for text in msgids))
        es_runs = set().union(*(_runs(text) for text in entry.translations))
        english |= en_runs - es_runs
        spanish |= es_runs - en_runs
    return frozenset(english - spanish if language == "en" else spanish - english)


def other_language_in(line: str, language: str) -> list[str]:
    """The phrases of the other language that the line holds (none, for a line all in `language`)."""
    other = phrases("es" if language == "en" else "en")
    flat = " ".join(line.split())
    return sorted(phrase for phrase in other if phrase in flat)


def language_in(line: str, language: str) -> list[str]:
    """The phrases of `language` that the line holds."""
    flat = " ".join(line.split())
    return sorted(phrase for phrase in phrases(language) if phrase in flat)
