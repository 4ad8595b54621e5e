"""The path rules of labcheck.confined for spec-time problems (a spec's `files:` entry, a pack's
folder), said in the command line's language: a spec is checked for the command line."""

from __future__ import annotations

from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, check_within, relative_path_problem
from labcheck.i18n import N_
from labcheck.refusal_words import path_rule_words, reason_words

SPEC_FOLDER = N_("the spec's folder")


def path_problem(relative: str) -> str | None:
    """Why a path written in a spec cannot name something inside the spec's folder, or None."""
    rule = relative_path_problem(relative)
    return None if rule is None else path_rule_words(rule)


def lab_file_problem(spec_folder: Path, relative: str) -> str | None:
    """Why a spec's `files:` entry cannot be used (a spec-time error), or None."""
    t = i18n.cli()
    rule = path_problem(relative)
    if rule is not None:
        return t.format("the lab file '{file}' {rule}", file=relative, rule=rule)
    try:
        check_within(spec_folder, relative, where=SPEC_FOLDER, display=relative)
    except FileMissing:
        return t.format("the lab file '{file}' is not beside the spec", file=relative)
    except FileRefused as refused:
        return t.format("the lab file '{file}' {reason}", file=refused.path, reason=reason_words(refused, t))
    return None
