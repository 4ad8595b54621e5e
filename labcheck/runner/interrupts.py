"""Every way a run is told to stop ends it the way Ctrl-C does.

SIGTERM (CI cancelling a job, `timeout`) and SIGHUP (the terminal closing) raise
KeyboardInterrupt like SIGINT, so the step in progress is stopped and recorded and the run
finishes normally: evidence marked interrupted, nodes given back, report written. Where stopping
half-way would break something (an evidence write, recreating a node, the final clean-up), the
signal is deferred: noted, and acted on once that part is done. Only the first signal stops the
run: later ones (an impatient second Ctrl-C) would only cut its clean-up short, so they are noted
and said to be waited on.
"""

from __future__ import annotations

import atexit
import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any, ClassVar

from labcheck import i18n

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
EXIT_STATUS = 130  # what a shell reports for a command ended by Ctrl-C


class _State:
    received: str | None = None  # the first signal of the run
    deferring = 0
    pending = False
    told = False
    previous: ClassVar[dict[int, Any]] = {}
    process_is_the_command = False


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP as Ctrl-C from now on (main thread only). Every run
    installs its handler anew (a process may run labs one after another: pytest.main twice,
    pytester) and keeps the handlers it found, to give them back."""
    reset()
    _forget_exit_guard()  # how the process ends is its latest run's to say
    for sig in HANDLED:
        previous = signal.signal(sig, _handler)
        if previous is not _handler:  # installed twice in a row: the first one knows the caller's
            _State.previous[sig] = previous


def command_owns_process() -> None:
    """This process is a command that ends when its run does (`labcheck run`, `pytest` started
    from a shell): after an
    interrupted run the signals are ignored at once instead of given back (see `uninstall`)."""
    _State.process_is_the_command = True


def settle() -> None:
    """The run is over: from now until `uninstall`, signals are only noted (pytest's own
    teardown is no place for a KeyboardInterrupt)."""
    _State.deferring += 1


def uninstall() -> None:
    """Give the signals back to the handlers `install` found: the caller (a program calling
    pytest.main, pytester, a test session) has its own Ctrl-C again, and what it starts later does
    not inherit ignored signals (exec keeps a signal ignored).

    After an interrupted run the process is usually on its way out with status 130, and more
    Ctrl-C must not change that. Python's finalization puts a signal that has a Python handler
    back to its default, so a SIGINT while the interpreter shuts down would kill the process
    (status -2). An interrupted run therefore leaves, once, an atexit guard that ignores the
    signals: atexit callbacks run before that reset. Checked in CPython 3.11's sources:
    Py_FinalizeEx (Python/pylifecycle.c) calls _PyAtExit_Call right after
    wait_for_thread_shutdown and before _PySignal_Fini, and _PySignal_Fini
    (Modules/signalmodule.c) resets only the signals whose handler is a Python callable, leaving
    SIG_IGN as it is.

    A process that is the run's command (`command_owns_process`) has nothing of a caller's left to
    run: its signals are ignored at once, as a caller's handler given back could only turn one more
    Ctrl-C in the last lines before exit into a traceback and status -2 (2 of 10 `labcheck run`
    under a stream of SIGINT did, before it did this)."""
    previous, _State.previous = _State.previous, {}
    if _State.received is not None and _State.process_is_the_command:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        return
    if _State.received is not None:
        _forget_exit_guard()
        atexit.register(_ignore_at_exit)
    # SIGINT last: signal.signal first runs the handler of a signal that came in meanwhile, and the
    # caller's SIGINT handler is the one that raises (KeyboardInterrupt), which would leave the
    # others unchanged.
    for sig, handler in reversed(previous.items()):
        signal.signal(sig, handler)


def reset() -> None:
    _State.received, _State.deferring, _State.pending, _State.told = None, 0, False, False


def received() -> str | None:
    """The name of the first signal that interrupted the run (SIGINT, SIGTERM, SIGHUP), if any."""
    return _State.received


def _handler(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    first = _State.received is None
    if first:
        _State.received = name
    if first and not _State.deferring:
        raise KeyboardInterrupt
    # The run is already ending (or in a part that must not be cut): only the first signal
    # stops it, later ones would only cut its clean-up short.
    _State.pending = _State.pending or first
    if not _State.told:
        _State.told = True
        said = i18n.cli().format(
            "{signal}: finishing the evidence and giving the nodes back, a moment", signal=name
        )
        print(f"\nlabcheck: {said}", file=sys.stderr, flush=True)


def _ignore_at_exit() -> None:
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN)


def _forget_exit_guard() -> None:
    atexit.unregister(_ignore_at_exit)


@contextlib.contextmanager
def deferred(*, act_after: bool = True) -> Iterator[None]:
    """No KeyboardInterrupt from a signal inside this block; with act_after, one that arrived
    during it is raised at its end."""
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
    if act_after and _State.pending and not _State.deferring:
        _State.pending = False
        raise KeyboardInterrupt
