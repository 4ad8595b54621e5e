"""Many bundles at once: find them in folders, verify them on every core, one result per student."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileRefused, Reason, Value, Words
from labcheck.errors import LabcheckError
from labcheck.os_error_words import os_error_words
from labcheck.refusal_words import refusal_said
from labcheck.spec.model import Lab
from labcheck.verify.bundle import EVIDENCE_FILE, FOLDER
from labcheck.verify.result import ERROR, BundleResult
from labcheck.verify.verifier import Verifier, VerifyOptions

# Below this many bundles, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 16


class UsageError(LabcheckError):
    """The command line names no bundle, or asks for something that cannot be."""


@dataclass(frozen=True)
class Submission:
    path: Path
    expected_student: str | None = None
    folder: Path | None = None  # the submissions folder it was found in, which it must not leave


@dataclass(frozen=True)
class Found:
    submissions: tuple[Submission, ...]
    unreadable: tuple[BundleResult, ...]  # entries of a submissions folder that hold no bundle


def student_name(name: str) -> str:
    """A student id from a file name, in the composed Unicode form (NFC): macOS writes names
    decomposed (NFD), and «josé» must be «josé» whichever form its file name took."""
    return unicodedata.normalize("NFC", name)


def find_bundles(paths: Sequence[Path], *, ids_from_names: bool, student_id: str | None = None) -> Found:
    """A bundle is a JSON file or a folder holding evidence.json; any other folder holds bundles."""
    submissions: list[Submission] = []
    unreadable: list[BundleResult] = []

    def add(path: Path, name: str, folder: Path | None) -> None:
        submissions.append(Submission(path, student_name(name) if ids_from_names else None, folder))

    def refuse(entry: Path, message: str) -> None:
        unreadable.append(BundleResult(str(entry), None, _name(entry, ids_from_names), ERROR, error=message))

    t = i18n.cli()
    for path in paths:
        try:
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError:
            raise UsageError(t.format("{path}: no such file or folder", path=path)) from None
        except OSError as error:
            said = t.format("{path}: cannot be read: {reason}", path=path, reason=os_error_words(error, t))
            raise UsageError(said) from None
        if not is_folder:
            add(path, path.stem, None)  # named by the user: read as a regular file, never a FIFO
        elif os.path.lexists(path / EVIDENCE_FILE):
            add(path / EVIDENCE_FILE, path.resolve().name, path)
        else:
            _scan(path, add, refuse)
    if not submissions and not unreadable:
        raise UsageError(
            t.format(
                "no bundles found in {paths} (*.json or */{file})",
                paths=", ".join(str(p) for p in paths),
                file=EVIDENCE_FILE,
            )
        )
    if student_id is not None:
        if len(submissions) != 1 or unreadable:
            raise UsageError(
                t.gettext("--student-id names the student of one bundle; for many, use --ids-from-names")
            )
        submissions = [Submission(submissions[0].path, student_id, submissions[0].folder)]
    return Found(tuple(submissions), tuple(unreadable))


def _scan(
    folder: Path,
    add: Callable[[Path, str, Path | None], None],
    refuse: Callable[[Path, str], None],
) -> None:
    """One folder of submissions: only what is inside it is read; a symlink out is named, not followed."""
    base = folder.resolve()
    t = i18n.cli()
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            info = entry.lstat()
            if stat.S_ISLNK(info.st_mode):
                target = entry.resolve(strict=True)
                if not target.is_relative_to(base):
                    values: dict[str, Value] = {"target": os.readlink(entry), "where": Words(FOLDER)}
                    refused = FileRefused(str(entry), Reason.LINK_OUTSIDE, values, not_read=True)
                    refuse(entry, refusal_said(refused, t))
                    continue
                info = target.stat()
        except (OSError, RuntimeError):
            refuse(entry, refusal_said(FileRefused(str(entry), Reason.LINK_NOWHERE, not_read=True), t))
            continue
        if stat.S_ISDIR(info.st_mode):
            if os.path.lexists(entry / EVIDENCE_FILE):
                add(entry / EVIDENCE_FILE, entry.name, folder)
            else:
                refuse(entry, t.format("{entry}: no {file} in this folder", entry=entry, file=EVIDENCE_FILE))
        elif entry.suffix == ".json":
            add(entry, entry.stem, folder)  # a FIFO or a device is refused when read, without opening it


def _name(entry: Path, ids_from_names: bool) -> str | None:
    return student_name(entry.name) if ids_from_names else None


_worker: Verifier | None = None


def _start_worker(lab: Lab, options: VerifyOptions) -> None:
    global _worker
    _worker = Verifier(lab, options)


def _verify(submission: Submission) -> BundleResult:
    assert _worker is not None
    return verify_one(_worker, submission)


def verify_one(verifier: Verifier, submission: Submission) -> BundleResult:
    try:
        return verifier.verify_path(submission.path, submission.expected_student, within=submission.folder)
    except Exception as error:  # one odd bundle must never stop the batch
        message = i18n.cli().format(
            "{path}: could not be verified ({kind}: {error})",
            path=submission.path,
            kind=type(error).__name__,
            error=error,
        )
        return BundleResult(str(submission.path), None, submission.expected_student, ERROR, error=message)


def verify_all(
    lab: Lab, submissions: Sequence[Submission], options: VerifyOptions, jobs: int | None = None
) -> Iterator[BundleResult]:
    """Results in the order of the submissions; one worker per core, each loading the spec once."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(submissions)))
    if workers == 1 or len(submissions) < _POOL_THRESHOLD:
        verifier = Verifier(lab, options)
        for submission in submissions:
            yield verify_one(verifier, submission)
        return
    chunk = max(1, min(32, len(submissions) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(lab, options)) as pool:
        yield from pool.map(_verify, submissions, chunksize=chunk)
