"""The one language layer: every user-facing message of labcheck goes through `translator(language)`.

Messages are written in English in the sources (gettext's convention) and translated by the
catalogs in `labcheck/locale/<lang>/LC_MESSAGES/labcheck.mo` (stdlib gettext; `labcheck.catalogs`
builds and checks them). English and Spanish are both complete catalogs. The report's language is
the lab's (`lab.language` of the spec and the evidence) unless `labcheck report --lang` says
otherwise; the command line follows the locale as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES,
LANG), English by default.

    t = translator("es")
    t.gettext("Summary")                      # "Resumen"
    t.counted(2, "layer", "layers")           # "2 capas"
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from labcheck.catalogs import DOMAIN, LANGUAGES, LOCALE_DIR

DEFAULT_LANGUAGE = "en"  # the command line's, when the locale names no language labcheck has
REPORT_FALLBACK = "es"  # a report whose evidence names no language (older evidence was Spanish)


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is only looked up later (tables built at import)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted noun for the catalogs, for `Translator.counted(count, *pair)` later."""
    return singular, plural


def language_code(value: str | None) -> str | None:
    """ "es_ES.UTF-8" -> "es", "en" -> "en"; None for "C", "POSIX" or a language labcheck lacks."""
    if not value:
        return None
    code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return code if code in LANGUAGES else None


LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


def _languages(values: tuple[str | None, ...]) -> list[str]:
    """What gettext searches: the first variable set, split at its colons ("fr:es"), then "C" (where
    the search stops)."""
    languages = next((value.split(":") for value in values if value), [])
    if "C" not in languages:
        languages.append("C")
    return languages


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: the catalog gettext itself picks for the locale (argparse's words
    come from gettext's lookup, labcheck's through this one: both must choose the same), English
    when the locale is C, POSIX or names only languages without a catalog."""
    env = os.environ if environ is None else environ
    return _catalog_language(tuple(env.get(name) for name in LOCALE_VARIABLES))


@lru_cache(maxsize=32)
def _catalog_language(values: tuple[str | None, ...]) -> str:
    # Cached by the variables' values: gettext.find looks for files, and every message asks.
    found = gettext.find(DOMAIN, str(LOCALE_DIR), languages=_languages(values))
    if found is None:
        return DEFAULT_LANGUAGE
    return Path(found).parents[1].name  # locale/<language>/LC_MESSAGES/labcheck.mo


@dataclass(frozen=True)
class Translator:
    language: str
    catalog: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalog.ngettext(singular, plural, count)

    def noun(self, count: int, singular: str, plural: str) -> str:
        """The noun alone, agreeing with count (for phrases that place the number themselves)."""
        return self.catalog.ngettext(singular, plural, count)

    def number(self, count: int) -> str:
        """Digits grouped the language's way: "12 345" (a non-breaking space, from five digits on) in
        Spanish, "12,345" in English."""
        if self.language == "es":
            return f"{count:,}".replace(",", "\u00a0") if count >= 10_000 else str(count)
        return f"{count:,}"

    def counted(self, count: int, singular: str, plural: str) -> str:
        """ "1 layer", "2 layers", "0 layers": the number and its noun, agreeing."""
        return f"{self.number(count)} {self.noun(count, singular, plural)}"

    def decimal(self, value: float, digits: int) -> str:
        shown = f"{value:.{digits}f}"
        return shown.replace(".", ",") if self.language == "es" else shown

    def megabytes(self, size: int) -> str:
        """A size in bytes as MB with one decimal ("1.5"; "1,5" in Spanish), the unit left to the message."""
        return self.decimal(size / (1024 * 1024), 1)

    def short_decimal(self, value: float) -> str:
        """A number with only the digits it needs ("30", "0.5"; "0,5" in Spanish)."""
        shown = f"{value:g}"
        return shown.replace(".", ",") if self.language == "es" else shown

    def format(self, message: str, /, **values: Any) -> str:
        """A translated message with its named values put in (values are never translated)."""
        return self.catalog.gettext(message).format(**values)


@lru_cache(maxsize=len(LANGUAGES) + 1)
def translator(language: str | None = None) -> Translator:
    """The translator of a language ("es", "en", "es_ES.UTF-8"); an unknown one is English."""
    code = language_code(language) or DEFAULT_LANGUAGE
    catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)
    return Translator(code, catalog)


def cli() -> Translator:
    """The command line's translator, from the locale."""
    return translator(locale_language())


def spanish() -> Translator:
    return translator("es")
