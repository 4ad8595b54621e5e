"""Counted nouns, through gettext: the one place a number meets the noun it counts.

Every "1 capa" / "2 capas" of labcheck goes through `counted`, so plural rules (and, later, a second
language: issue #11) live in gettext catalogs, not in `if count == 1` scattered over the code. The
source strings are Spanish; a catalog `labcheck/locale/<lang>/LC_MESSAGES/labcheck.mo` translates
them, and without one gettext's fallback applies the Spanish rule (singular for 1, plural otherwise).
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

DOMAIN = "labcheck"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=8)
def translations(language: str = "es") -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def number(count: int) -> str:
    """Spanish digit grouping: a (non-breaking) space every three digits from five digits on."""
    return f"{count:,}".replace(",", "\u00a0") if count >= 10_000 else str(count)


def noun(count: int, singular: str, plural: str, *, language: str = "es") -> str:
    """The noun alone, agreeing with count (for phrases that place the number themselves)."""
    return translations(language).ngettext(singular, plural, count)


def counted(count: int, singular: str, plural: str, *, language: str = "es") -> str:
    """ "1 capa", "2 capas", "0 capas": the number and its noun, agreeing."""
    return f"{number(count)} {noun(count, singular, plural, language=language)}"
