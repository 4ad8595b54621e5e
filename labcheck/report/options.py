"""What the person asking for a report can choose, and where the student's name comes from.

The student's name and group come, first found first used, from the options (the
command line), from `.labcheck-student.toml` in the current folder or in the
evidence file's folder, and from the evidence itself. The file looks like::

    [student]
    name = "Ana Pérez Gómez"
    group = "2.º B"
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileRefused, Limits, read_regular
from labcheck.errors import LabcheckError
from labcheck.os_error_words import os_error_words
from labcheck.refusal_words import reason_words
from labcheck.spec.model import Lab

STUDENT_CONFIG = ".labcheck-student.toml"
_MAX_CONFIG_BYTES = 64 * 1024


@dataclass(frozen=True)
class ReportOptions:
    student_name: str | None = None
    group: str | None = None
    images: bool = False  # terminal pictures (PNG) instead of text blocks
    from_markdown: Path | None = None  # the student's own report, screenshots to replace
    config: Path | None = None  # a student file other than the default one
    search_dirs: tuple[Path, ...] = ()  # where to look for STUDENT_CONFIG
    pdf: bool = True
    generated_at: str | None = None  # ISO date-time to print, for reproducible output
    language: str | None = None  # "en", "es"; None: the lab's own language, as the evidence names it
    # The lab's spec when the caller has it (a run, the lab it ran): its other languages and what
    # each node is for. None: the bundled lab of the evidence's id, if there is one.
    spec: Lab | None = None


@dataclass(frozen=True)
class ReportPaths:
    html: Path
    pdf: Path | None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StudentInfo:
    name: str | None
    group: str | None


def _unreadable(path: Path, reason: str) -> str:
    return i18n.cli().format("{path}: cannot be read: {reason}", path=path, reason=reason)


def _read_config(path: Path) -> StudentInfo:
    try:
        # A regular file of bounded size: never a FIFO that blocks the report.
        data = tomllib.loads(read_regular(path, Limits(_MAX_CONFIG_BYTES)).decode("utf-8"))
    except FileRefused as refused:
        raise LabcheckError(_unreadable(path, reason_words(refused))) from None
    except OSError as error:
        raise LabcheckError(_unreadable(path, os_error_words(error))) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LabcheckError(_unreadable(path, str(error))) from error
    table = data.get("student", data)
    name = table.get("name") if isinstance(table, dict) else None
    group = table.get("group") if isinstance(table, dict) else None
    return StudentInfo(
        name if isinstance(name, str) and name.strip() else None,
        group if isinstance(group, str) and group.strip() else None,
    )


def find_config(options: ReportOptions, extra_dirs: Iterable[Path] = ()) -> Path | None:
    if options.config is not None:
        return options.config
    for folder in (*options.search_dirs, *extra_dirs):
        candidate = folder / STUDENT_CONFIG
        if candidate.is_file():
            return candidate
    return None


def resolve_student(
    options: ReportOptions,
    evidence_name: str | None,
    evidence_group: str | None,
    extra_dirs: Iterable[Path] = (),
) -> StudentInfo:
    config_path = find_config(options, extra_dirs)
    config = _read_config(config_path) if config_path else StudentInfo(None, None)
    return StudentInfo(
        options.student_name or config.name or evidence_name,
        options.group or config.group or evidence_group,
    )
