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


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP as Ctrl-C from now on (main thread only)."""
    reset()
    for sig in HANDLED:
        if sig not in _State.previous:
            _State.previous[sig] = signal.signal(sig, _handler)


def settle() -> None:
    """The run is over: from now until `uninstall`, signals are only noted (pytest's own
    teardown is no place for a KeyboardInterrupt)."""
    _State.deferring += 1


def uninstall() -> None:
    """Give the signals back to their previous handlers, unless the run was interrupted: then
    the process is on its way out with status 130 and pytest's own teardown (which runs after
    this) must not meet a KeyboardInterrupt from an impatient Ctrl-C either."""
    if _State.received is not None:
        # Ignored, not handled: Python's finalization sets a signal with a Python handler back to
        # its default, so one more Ctrl-C while the interpreter shuts down would kill the process
        # (status -2, not 130). An ignored signal stays ignored until the process is gone.
        for sig in _State.previous:
            signal.signal(sig, signal.SIG_IGN)
        return
    for sig, previous in _State.previous.items():
        signal.signal(sig, previous)
    _State.previous = {}


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
