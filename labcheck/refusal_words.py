"""A refused file (labcheck.confined's FileRefused) said in a reader's language: the one place
that words a refusal, for every command that reads files others control.

confined says why with a Reason (its English sentence is the msgid) and the reason's values; the
values that are words (the folder a file must stay in, the system's cause of an error, a size) are
said in the same language, so a Spanish line holds no English. The command line's language is the
default; a report passes the lab's.
"""

from __future__ import annotations

from labcheck import i18n
from labcheck.confined import NOT_READ, FileRefused, Megabytes, Reason, Seconds, Value, Words
from labcheck.os_error_words import os_error_words


def reason_words(refused: FileRefused, t: i18n.Translator | None = None) -> str:
    """Why the file was refused, without its name: "es un enlace simbólico en bucle"."""
    t = t or i18n.cli()
    if not isinstance(refused.why, Reason):
        return refused.why  # worded by the caller's own check: said as it was given
    said = t.format(refused.why.value, **{key: _value(value, t) for key, value in refused.values.items()})
    return t.format(NOT_READ, reason=said) if refused.not_read else said


def refusal_said(refused: FileRefused, t: i18n.Translator | None = None) -> str:
    """The file's name and why it was refused: "x.json: es una FIFO (tubería con nombre), ..."."""
    return f"{refused.path}: {reason_words(refused, t)}"


def path_rule_words(reason: Reason, t: i18n.Translator | None = None) -> str:
    """A reason alone, with no values (relative_path_problem's rules of a written path)."""
    return (t or i18n.cli()).gettext(reason.value)


def _value(value: Value, t: i18n.Translator) -> str:
    if isinstance(value, Words):
        return t.gettext(value.msgid)
    if isinstance(value, Megabytes):
        return t.megabytes(value.size)
    if isinstance(value, Seconds):
        return t.short_decimal(value.seconds)
    if isinstance(value, OSError):
        return os_error_words(value, t)
    return value
