"""Counted nouns in the report's Spanish, for code that has no translator at hand.

The language layer is `labcheck.i18n` (a `Translator` per language, with `counted` and `noun`);
these functions are its Spanish, kept for the evidence-writing code that still phrases in Spanish.
"""

from __future__ import annotations

from labcheck.i18n import translator


def number(count: int, *, language: str = "es") -> str:
    """Spanish digit grouping: a (non-breaking) space every three digits from five digits on."""
    return translator(language).number(count)


def noun(count: int, singular: str, plural: str, *, language: str = "es") -> str:
    """The noun alone, agreeing with count (for phrases that place the number themselves)."""
    return translator(language).noun(count, singular, plural)


def counted(count: int, singular: str, plural: str, *, language: str = "es") -> str:
    """ "1 capa", "2 capas", "0 capas": the number and its noun, agreeing."""
    return translator(language).counted(count, singular, plural)
