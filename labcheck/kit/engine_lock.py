"""One run per set of engines: an flock on a file under the kit's state folder, naming its holder.

A lab run holds the lock of the engines it uses (the kit's nodes share one lock; each engine a
user names has its own) from before any node is touched until the nodes are given back, and
`kit up` / `kit down` take the kit nodes' lock too. The holder (pid, command, start time) is
written into the lock file, so a second run can say who it waits for. The kernel drops an flock
when its holder dies, so a lock left by a killed run is simply free: its holder line is then
stale, and taking it over says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from labcheck.errors import LabcheckError
from labcheck.i18n import cli
from labcheck.kit import paths

Say = Callable[[str], None]


class EngineBusy(LabcheckError):
    """Another run (or a kit operation) holds the engines this run needs."""


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    started_at: str
    purpose: str

    def describe(self) -> str:
        return cli().format(
            "pid {pid} ({purpose}: {command}), since {since}",
            pid=self.pid,
            purpose=self.purpose,
            command=self.command,
            since=self.started_at,
        )

    @property
    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def locks_dir() -> Path:
    return paths.kit_home() / "locks"


def kit_nodes_lock() -> Path:
    """The kit's nodes are recreated together (`kit up`, a fresh set for a run): one lock for all."""
    return locks_dir() / "kit-nodes.lock"


def engine_lock(docker_host: str) -> Path:
    digest = hashlib.sha256(docker_host.encode()).hexdigest()[:16]
    return locks_dir() / f"engine-{digest}.lock"


def this_command() -> str:
    try:
        words = Path(f"/proc/{os.getpid()}/cmdline").read_bytes().split(b"\0")
        text = " ".join(w.decode(errors="replace") for w in words if w)
    except OSError:
        text = " ".join(sys.argv)
    return text if len(text) <= 200 else text[:197] + "..."


def _read_holder(handle: IO[str]) -> Holder | None:
    handle.seek(0)
    try:
        data = json.loads(handle.read() or "null")
        if not isinstance(data, dict):
            return None
        return Holder(int(data["pid"]), str(data["command"]), str(data["started_at"]), str(data["purpose"]))
    except (ValueError, KeyError, TypeError):
        return None


def _write_holder(handle: IO[str], holder: Holder | None) -> None:
    handle.seek(0)
    handle.truncate()
    if holder is not None:
        handle.write(json.dumps(holder.__dict__) + "\n")
    handle.flush()


def holder_of(path: Path) -> Holder | None:
    """Who holds this lock now, or None when it is free."""
    if not path.exists():
        return None
    with path.open("r") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


class EngineLock:
    """The locks of a set of engines, taken in one order so two runs never deadlock."""

    def __init__(self, lock_files: Iterable[Path], purpose: str) -> None:
        self.lock_files = sorted(set(lock_files))
        self.purpose = purpose
        self._handles: list[IO[str]] = []

    @property
    def held(self) -> bool:
        return bool(self._handles)

    def acquire(self, *, wait: bool = True, say: Say | None = None) -> list[str]:
        """Take every lock; returns what is worth telling the user (waits, stale locks taken over)."""
        notes: list[str] = []
        tell = say or (lambda message: None)
        me = Holder(
            os.getpid(), this_command(), datetime.now(UTC).isoformat(timespec="seconds"), self.purpose
        )
        try:
            for lock_file in self.lock_files:
                handle = paths.open_shared(lock_file, "a+")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = _read_holder(handle)
                    t = cli()
                    who = holder.describe() if holder else t.gettext("another process")
                    if not wait:
                        handle.close()
                        raise EngineBusy(
                            t.format(
                                "the engines this run needs are in use by {who}; "
                                "run again when it ends (without --no-wait, labcheck waits for it)",
                                who=who,
                            )
                        ) from None
                    message = t.format("waiting for the engines, in use by {who}", who=who)
                    tell(message)
                    notes.append(message)
                    fcntl.flock(handle, fcntl.LOCK_EX)
                left = _read_holder(handle)
                if left is not None and left.pid != os.getpid():
                    message = cli().format(
                        "took over a stale lock left by {holder}, which is no longer running",
                        holder=left.describe(),
                    )
                    tell(message)
                    notes.append(message)
                _write_holder(handle, me)
                self._handles.append(handle)
        except BaseException:
            self.release()
            raise
        return notes

    def hand_over(self, pid: int, purpose: str) -> None:
        """A child that inherited the lock files keeps them held after this process lets go."""
        holder = Holder(pid, purpose, datetime.now(UTC).isoformat(timespec="seconds"), purpose)
        for handle in self._handles:
            _write_holder(handle, holder)

    def file_descriptors(self) -> list[int]:
        return [handle.fileno() for handle in self._handles]

    def release(self, *, clear_holder: bool = True) -> None:
        for handle in self._handles:
            with contextlib.suppress(OSError, ValueError):
                if clear_holder:
                    _write_holder(handle, None)
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        self._handles = []

    def forget(self) -> None:
        """Close this process's handles without unlocking: a child holding them keeps the lock."""
        for handle in self._handles:
            handle.close()
        self._handles = []


@contextlib.contextmanager
def kit_nodes_locked(purpose: str, say: Say | None = None) -> Iterator[list[str]]:
    """Hold the kit nodes' lock for a kit operation (`kit up`, `kit down`), waiting for a run."""
    lock = EngineLock([kit_nodes_lock()], purpose)
    notes = lock.acquire(wait=True, say=say)
    try:
        yield notes
    finally:
        lock.release()
