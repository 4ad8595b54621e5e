"""The path rules of labcheck.confined said in the command line's language, for spec-time problems
(a spec's `files:` entry, a pack's folder).

confined's reasons are English and stay so there: the report shares them, and the report's language
is the lab's, not the locale's. A spec is checked for the command line, so its problems are
translated here, at that boundary."""

from __future__ import annotations

from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, check_within, relative_path_problem
from labcheck.i18n import N_

# Every reason confined.relative_path_problem gives (tests/unit/test_spec_path_rules.py holds them
# to it): a reason not in this table is shown as confined says it.
RULES = (
    N_("is empty"),
    N_("contains a NUL character"),
    N_("is an absolute path; name it relative to the spec's folder"),
    N_("goes up with '..'; it must be inside the spec's folder"),
    N_("names the folder itself, not a file"),
)


def rule_said(rule: str) -> str:
    return i18n.cli().gettext(rule) if rule in RULES else rule


def path_problem(relative: str) -> str | None:
    """Why a path written in a spec cannot name something inside the spec's folder, or None."""
    rule = relative_path_problem(relative)
    return None if rule is None else rule_said(rule)


def lab_file_problem(spec_folder: Path, relative: str) -> str | None:
    """Why a spec's `files:` entry cannot be used (a spec-time error), or None."""
    t = i18n.cli()
    rule = path_problem(relative)
    if rule is not None:
        return t.format("the lab file '{file}' {rule}", file=relative, rule=rule)
    try:
        check_within(spec_folder, relative, where="the spec's folder", display=relative)
    except FileMissing:
        return t.format("the lab file '{file}' is not beside the spec", file=relative)
    except FileRefused as refused:
        return t.format("the lab file '{file}' {reason}", file=refused.path, reason=refused.reason)
    return None
