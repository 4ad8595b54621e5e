"""A spec's text in several languages: `title: {es: ..., en: ...}`, or one plain string as before.

A `LocalText` is the text in the lab's own language (a `str`, so everything that prints or stores
a title keeps working) that also knows its other languages, for a report asked in one of them.
"""

from __future__ import annotations

from collections.abc import Mapping


class LocalText(str):
    """The text in the lab's language; `.texts` has it in every language the spec gives."""

    texts: Mapping[str, str]

    def __new__(cls, text: str, texts: Mapping[str, str] | None = None) -> LocalText:
        made = super().__new__(cls, text)
        made.texts = dict(texts or {})
        return made

    def in_language(self, language: str) -> str:
        return self.texts.get(language, str(self))


def local_text(value: object, language: str) -> LocalText | None:
    """A spec value (a string, or a mapping of language to string) as a LocalText in the lab's
    language; a mapping without that language reads as its first entry."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        texts = {str(key): str(text) for key, text in value.items()}
        own = texts.get(language) or next(iter(texts.values()), "")
        return LocalText(own, texts)
    return LocalText(str(value), {language: str(value)})


def in_language(value: str | None, language: str) -> str | None:
    """A text in the given language when the spec gave it, else as it is."""
    if isinstance(value, LocalText):
        return value.in_language(language)
    return value


def plain(value: str | None) -> str | None:
    """The text in the lab's language as a plain `str`: what the evidence stores (its encoder
    takes no str subclass, and the other languages are the spec's, not the run's)."""
    return None if value is None else str(value)
