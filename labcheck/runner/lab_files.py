"""The lab's files: read from where they belong before a run starts, written only into a node's home.

A lab file comes from the spec's folder; a student's workspace may replace it. Both folders
are read through `labcheck.confined`: a regular file inside its folder, within a size limit.
A refused file stops the run before any node is touched, naming every file and why (a
workspace `index.js` that is a symlink to `/proc/self/environ` would otherwise put labcheck's
own environment into the node, and from there into the evidence and the report).
"""

from __future__ import annotations

import errno
import os
import posixpath
from collections.abc import Mapping
from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, Limits, read_within, relative_path_problem
from labcheck.errors import LabcheckError
from labcheck.os_error_words import os_error_words
from labcheck.spec.model import Lab

MAX_LAB_FILE_BYTES = 16 * 1024 * 1024
_SPEC_LIMITS = Limits(MAX_LAB_FILE_BYTES)
_WORKSPACE_LIMITS = Limits(MAX_LAB_FILE_BYTES, refuse_hard_links=True)

FilesByNode = dict[str, dict[str, bytes]]


class LabFilesRefused(LabcheckError):
    """One or more lab files cannot be used: the run does not start."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {problem}" for problem in problems)
        said = i18n.cli().gettext("the run was not started; lab files refused:")
        super().__init__(f"{said}\n{listed}")


def gather_lab_files(lab: Lab, workspace: Path | None, *, host_targets: bool) -> FilesByNode:
    """Every lab file's bytes, by node and path; LabFilesRefused naming each file that cannot be."""
    problems: list[str] = []
    if workspace is not None and not workspace.is_dir():
        problems.append(f"{workspace}: {i18n.cli().gettext('the workspace is not a folder')}")
        workspace = None
    if host_targets and lab.files:
        problem = home_workdir_problem(lab.default_workdir)
        if problem:
            problems.append(problem)
    by_node: FilesByNode = {}
    for lab_file in lab.files:
        rule = relative_path_problem(lab_file.path)
        if rule is not None:
            problems.append(f"{lab_file.path}: {rule}")
            continue
        try:
            data = _replacement(workspace, lab_file.path) if lab_file.student_may_replace else None
            if data is None:
                data = read_within(lab.path.parent, lab_file.path, _SPEC_LIMITS, where="the spec's folder")
        except FileRefused as refused:
            problems.append(str(refused))
            continue
        by_node.setdefault(lab_file.node, {})[lab_file.path] = data
    if problems:
        raise LabFilesRefused(problems)
    return by_node


def _replacement(workspace: Path | None, path: str) -> bytes | None:
    """The student's own copy of a lab file, or None when the workspace has none."""
    if workspace is None:
        return None
    try:
        return read_within(workspace, path, _WORKSPACE_LIMITS, where="the workspace")
    except FileMissing:
        return None


def home_workdir_problem(workdir: str) -> str | None:
    """On an engine the user named, lab files go to a folder of this machine: only in the home."""
    if workdir == "~" or (workdir.startswith("~/") and ".." not in workdir.split("/")):
        return None
    return i18n.cli().format(
        "the lab's workdir '{workdir}' is outside the node's home folder; on a target of this "
        "machine lab files are written only inside it (use '~' or '~/FOLDER')",
        workdir=workdir,
    )


def write_within_home(home: Path, folder: str, files: Mapping[str, bytes]) -> None:
    """Write each file under folder, which must be home or inside it, never through a symlink."""
    base = home.resolve()
    destination = Path(posixpath.normpath(base / folder))
    if not destination.is_relative_to(base):
        said = i18n.cli().format(
            "outside the node's home folder {home}; lab files were not written", home=base
        )
        raise LabcheckError(f"{folder}: {said}")
    for name, data in files.items():
        rule = relative_path_problem(name)
        if rule is not None:
            said = i18n.cli().format("{rule}; lab files were not written", rule=rule)
            raise LabcheckError(f"{name}: {said}")
        parts = destination.relative_to(base).parts + Path(name).parts
        _write_below(base, parts, data, name)


def _write_below(base: Path, parts: tuple[str, ...], data: bytes, name: str) -> None:
    dir_fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            if part == ".":
                continue
            try:
                os.mkdir(part, 0o755, dir_fd=dir_fd)
            except FileExistsError:
                pass
            next_fd = _open_refusing_links(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd, name)
            os.close(dir_fd)
            dir_fd = next_fd
        fd = _open_refusing_links(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, dir_fd, name)
        try:
            with os.fdopen(fd, "wb", closefd=False) as stream:
                stream.write(data)
        finally:
            os.close(fd)
    finally:
        os.close(dir_fd)


def _open_refusing_links(part: str, flags: int, dir_fd: int, name: str) -> int:
    try:
        return os.open(part, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            said = i18n.cli().gettext("a symlink is in the way in the node's home; not written")
            raise LabcheckError(f"{name}: {said}") from None
        said = i18n.cli().format("cannot be written in the node's home: {cause}", cause=os_error_words(error))
        raise LabcheckError(f"{name}: {said}") from None
