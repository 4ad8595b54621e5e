"""A session's runs, guarded: checked and locked before the first step, given back after the last.

Before any node is touched, every run's output folder is checked, the engines' lock is taken
(waiting for another run, or refusing with --no-wait), and the engines, the kit's registry and
the lab's images are checked. At the end, once the evidence is written, the kit's nodes are
given back empty by a detached process that holds the lock until they are: the user does not
wait for it, and the next run finds them pristine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from labcheck import i18n
from labcheck.errors import LabcheckError
from labcheck.kit import engine_lock
from labcheck.runner import preflight
from labcheck.runner.sandbox import ENGINE_ERRORS
from labcheck.runner.session import LabRun, RunOptions
from labcheck.runner.step_trace import engine_error_text
from labcheck.runner.targets import LOCAL
from labcheck.spec.model import Lab

Say = Callable[[str], None]


def lock_files(plans: Sequence[tuple[Lab, RunOptions]]) -> list[Path]:
    files = []
    for _, options in plans:
        if options.targets:
            # A local node has no engine to share: nothing to lock.
            files += [engine_lock.engine_lock(host) for host in options.targets.values() if host != LOCAL]
        else:
            files.append(engine_lock.kit_nodes_lock())
    return files


class RunGuard:
    def __init__(self) -> None:
        self.lock: engine_lock.EngineLock | None = None
        self.notes: list[str] = []

    def prepare(self, plans: Sequence[tuple[Lab, RunOptions]], *, wait: bool, say: Say) -> None:
        """Raise one LabcheckError (and hold nothing) unless every run can start."""
        for lab, options in plans:
            preflight.check_output_folder(options.out_dir, lab)
        lock = engine_lock.EngineLock(lock_files(plans), "lab run")
        self.notes = lock.acquire(wait=wait, say=say)
        try:
            for lab, options in plans:
                if options.targets:
                    preflight.check_named_engines(lab, options.targets)
                else:
                    preflight.check_kit(lab)
        except ENGINE_ERRORS as error:
            lock.release()
            if isinstance(error, LabcheckError):
                raise
            said = i18n.cli().format("an engine did not answer: {error}", error=engine_error_text(error))
            raise preflight.PreflightFailed(said) from None
        except BaseException:
            lock.release()
            raise
        self.lock = lock

    def give_back(self, runs: Sequence[LabRun]) -> None:
        """The runs' kit nodes, recreated empty in the background (holding the lock); then let go."""
        if self.lock is None:
            return
        names = list(dict.fromkeys(name for run in runs for name in run.kit_nodes_to_give_back))
        lock, self.lock = self.lock, None
        if not names:
            lock.release()
            return
        from labcheck.kit.background import give_back_detached

        try:
            give_back_detached(names, lock)
        except OSError:  # no process could be started: give them back here, and wait
            try:
                from labcheck.kit import api as kit

                kit.give_back_nodes(names)
            finally:
                lock.release()
