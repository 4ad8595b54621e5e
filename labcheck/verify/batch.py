"""Many bundles at once: find them in folders, verify them on every core, one result per student."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import LabcheckError
from labcheck.spec.model import Lab
from labcheck.verify.bundle import EVIDENCE_FILE
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


@dataclass(frozen=True)
class Found:
    submissions: tuple[Submission, ...]
    unreadable: tuple[BundleResult, ...]  # entries of a submissions folder that hold no bundle


def find_bundles(paths: Sequence[Path], *, ids_from_names: bool, student_id: str | None = None) -> Found:
    """A bundle is a JSON file or a folder holding evidence.json; any other folder holds bundles."""
    submissions: list[Submission] = []
    unreadable: list[BundleResult] = []

    def add(path: Path, name: str) -> None:
        submissions.append(Submission(path, name if ids_from_names else None))

    for path in paths:
        if path.is_file():
            add(path, path.stem)
        elif (path / EVIDENCE_FILE).is_file():
            add(path / EVIDENCE_FILE, path.resolve().name)
        elif path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    if (entry / EVIDENCE_FILE).is_file():
                        add(entry / EVIDENCE_FILE, entry.name)
                    else:
                        message = f"{entry}: no {EVIDENCE_FILE} in this folder"
                        unreadable.append(
                            BundleResult(str(entry), None, _name(entry, ids_from_names), ERROR, error=message)
                        )
                elif entry.suffix == ".json":
                    add(entry, entry.stem)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not submissions and not unreadable:
        raise UsageError(
            f"no bundles found in {', '.join(str(p) for p in paths)} (*.json or */{EVIDENCE_FILE})"
        )
    if student_id is not None:
        if len(submissions) != 1 or unreadable:
            raise UsageError("--student-id names the student of one bundle; for many, use --ids-from-names")
        submissions = [Submission(submissions[0].path, student_id)]
    return Found(tuple(submissions), tuple(unreadable))


def _name(entry: Path, ids_from_names: bool) -> str | None:
    return entry.name if ids_from_names else None


_worker: Verifier | None = None


def _start_worker(lab: Lab, options: VerifyOptions) -> None:
    global _worker
    _worker = Verifier(lab, options)


def _verify(submission: Submission) -> BundleResult:
    assert _worker is not None
    return verify_one(_worker, submission)


def verify_one(verifier: Verifier, submission: Submission) -> BundleResult:
    try:
        return verifier.verify_path(submission.path, submission.expected_student)
    except Exception as error:  # one odd bundle must never stop the batch
        message = f"{submission.path}: could not be verified ({type(error).__name__}: {error})"
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
