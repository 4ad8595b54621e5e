"""Run one command the way a student's terminal would, and keep every byte it printed.

Under a pty when the step is interactive (typed lines, `-it`), with a wide window so
long lines do not wrap; otherwise with separate stdout and stderr pipes. A command
that outlives its timeout has its whole process group killed, and what it printed
until then is kept; so has one whose output shows what the step waits for (`until`), which
is then no failure but the way the step ends.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import regex

from labcheck import patterns
from labcheck.runner import interrupts
from labcheck.spec.model import TypedLine

COLUMNS = 200
ROWS = 50
_CURSOR_QUERY = b"\x1b[6n"
# After a line is typed, the program needs a moment to print its prompt again.
_QUIET_AFTER_PROMPT_S = 0.04
_KILL_GRACE_S = 2.0
# How often the output is looked at for what an `until` step waits for (it is rendered each time).
_UNTIL_EVERY_S = 0.1

# What a step waits for, asked of everything printed so far: (all of it, stdout, stderr).
Seen = Callable[[bytes, bytes, bytes], bool]


@dataclass
class ProcessResult:
    started_at: str
    duration_s: float
    exit_code: int | None
    timed_out: bool
    raw: bytes
    interrupted: bool = False  # Ctrl-C: the command was stopped, what it printed is kept
    # Stopped on purpose once its output showed what the step waits for (`until`): no exit code.
    stopped_when_seen: bool = False
    stdout: bytes | None = None
    stderr: bytes | None = None
    notes: list[str] = field(default_factory=list)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _set_window(fd: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))


def _take_terminal() -> None:  # runs in the child, after setsid
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGTERM, _KILL_GRACE_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _stop(
    process: subprocess.Popen[bytes], on_timeout: Callable[[], None] | None, *, interrupted: bool = False
) -> None:
    """The local process tree, then what the step runs elsewhere (inside a node, its containers).
    A Ctrl-C or SIGTERM waits until this is done instead of leaving half of it running (and is
    acted on after it, unless the step is already being interrupted)."""
    with interrupts.deferred(act_after=not interrupted):
        _kill_group(process)
        if on_timeout is not None:
            on_timeout()


def run_command(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: str | None,
    use_pty: bool,
    typed: Sequence[TypedLine] = (),
    prompt: str = r"[#$] ?\s*$",
    timeout_s: float,
    on_timeout: Callable[[], None] | None = None,
    until: Seen | None = None,
    on_seen: Callable[[], None] | None = None,
) -> ProcessResult:
    """`until`, when given, is asked about the output as it comes; once it says yes the command is
    stopped like at a timeout, but with `on_seen` (what the step runs elsewhere) instead of
    `on_timeout`, and the result says it was stopped when seen."""
    if use_pty:
        return _run_in_pty(argv, env, cwd, typed, prompt, timeout_s, on_timeout, until, on_seen)
    return _run_with_pipes(argv, env, cwd, timeout_s, on_timeout, until, on_seen)


class _Watch:
    """Asks `until` about the output at most every _UNTIL_EVERY_S, and once more at the end."""

    def __init__(self, until: Seen | None) -> None:
        self.until = until
        self.asked_at = 0.0

    def seen(self, combined: bytes, stdout: bytes, stderr: bytes, *, now: bool = False) -> bool:
        if self.until is None or (not now and time.monotonic() - self.asked_at < _UNTIL_EVERY_S):
            return False
        self.asked_at = time.monotonic()
        return self.until(combined, stdout, stderr)


def _run_with_pipes(
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: str | None,
    timeout_s: float,
    on_timeout: Callable[[], None] | None,
    until: Seen | None = None,
    on_seen: Callable[[], None] | None = None,
) -> ProcessResult:
    started_at, start = _now_iso(), time.monotonic()
    watch = _Watch(until)
    process = subprocess.Popen(
        list(argv),
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdout is not None and process.stderr is not None
    out_fd, err_fd = process.stdout.fileno(), process.stderr.fileno()
    streams = {out_fd: bytearray(), err_fd: bytearray()}
    combined = bytearray()
    open_fds = set(streams)
    deadline = start + timeout_s
    timed_out = interrupted = seen = False
    try:
        while open_fds:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(list(open_fds), [], [], min(remaining, 0.5, _UNTIL_EVERY_S))
            for fd in ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                    continue
                streams[fd].extend(chunk)
                combined.extend(chunk)
            if open_fds and watch.seen(bytes(combined), bytes(streams[out_fd]), bytes(streams[err_fd])):
                seen = True
                break
    except KeyboardInterrupt:
        interrupted = True
    except BaseException:  # another plugin stopped the step (pytest-timeout): nothing may outlive it
        _stop(process, on_timeout)
        raise
    if timed_out or interrupted:
        _stop(process, on_timeout, interrupted=interrupted)
    elif seen:
        _stop(process, on_seen)
    if open_fds:  # what it printed before it was stopped may still be in the pipes: keep it
        _drain_pipes(open_fds, streams, combined)
    exit_code = _wait(process, deadline)
    process.stdout.close()
    process.stderr.close()
    return ProcessResult(
        started_at=started_at,
        duration_s=time.monotonic() - start,
        exit_code=None if timed_out or interrupted or seen else exit_code,
        timed_out=timed_out,
        interrupted=interrupted,
        stopped_when_seen=seen,
        raw=bytes(combined),
        stdout=bytes(streams[out_fd]),
        stderr=bytes(streams[err_fd]),
    )


def _drain_pipes(open_fds: set[int], streams: dict[int, bytearray], combined: bytearray) -> None:
    # Bounded: a process outside the killed group may hold the pipe open and keep writing.
    until = time.monotonic() + 1.0
    while open_fds and time.monotonic() < until:
        ready, _, _ = select.select(list(open_fds), [], [], 0.05)
        if not ready:
            return
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                continue
            streams[fd].extend(chunk)
            combined.extend(chunk)


def _wait(process: subprocess.Popen[bytes], deadline: float) -> int | None:
    try:
        return process.wait(timeout=max(0.5, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return None


def _run_in_pty(
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: str | None,
    typed: Sequence[TypedLine],
    prompt: str,
    timeout_s: float,
    on_timeout: Callable[[], None] | None,
    until: Seen | None = None,
    on_seen: Callable[[], None] | None = None,
) -> ProcessResult:
    started_at, start = _now_iso(), time.monotonic()
    master, slave = pty.openpty()
    _set_window(slave)
    try:
        process = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
    finally:
        os.close(slave)
    raw = bytearray()
    pending = list(typed)
    timed_out = interrupted = seen = False
    notes: list[str] = []
    watch = _Watch(until)
    try:
        ended = _converse(
            master, process, raw, pending, patterns.compile_rule(prompt), start + timeout_s, watch
        )
        timed_out, seen = ended == "timed_out", ended == "seen"
    except KeyboardInterrupt:
        interrupted = True
    except BaseException:  # another plugin stopped the step (pytest-timeout): nothing may outlive it
        _stop(process, on_timeout)
        raise
    finally:
        if timed_out or interrupted:
            notes.append(
                f"stopped after {time.monotonic() - start:.1f} s; {len(pending)} typed line(s) not sent"
            )
            _stop(process, on_timeout, interrupted=interrupted)
        elif seen:
            _stop(process, on_seen)
        exit_code = None if timed_out or interrupted or seen else _wait(process, start + timeout_s)
        _drain(master, raw)
        os.close(master)
    return ProcessResult(
        started_at=started_at,
        duration_s=time.monotonic() - start,
        exit_code=exit_code,
        timed_out=timed_out,
        interrupted=interrupted,
        stopped_when_seen=seen,
        raw=bytes(raw),
        notes=notes,
    )


def _converse(
    master: int,
    process: subprocess.Popen[bytes],
    raw: bytearray,
    pending: list[TypedLine],
    prompt: regex.Pattern[str],
    deadline: float,
    watch: _Watch,
) -> str:
    """Read everything the program prints; type each pending line once its prompt shows and
    the output has settled. Returns how it ended: "ended", "timed_out" or "seen" (what the
    step waits for showed)."""
    since_last_send = 0  # where in raw the output of the last typed line starts
    last_output_at = time.monotonic()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timed_out"
        if watch.seen(bytes(raw), bytes(raw), b""):
            return "seen"
        ready, _, _ = select.select([master], [], [], min(remaining, 0.02))
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every process holding the terminal has gone
                return "ended"
            if not chunk:
                return "ended"
            raw.extend(chunk)
            last_output_at = time.monotonic()
            if _CURSOR_QUERY in chunk:
                # Answer like a terminal would; BusyBox's line editor asks where the cursor is.
                os.write(master, f"\x1b[{ROWS};{_cursor_column(raw)}R".encode())
            continue
        if process.poll() is not None:
            _drain(master, raw)
            return "ended"
        if pending and time.monotonic() - last_output_at >= _QUIET_AFTER_PROMPT_S:
            wait_for = pending[0].wait_for
            waiting_for = patterns.compile_rule(wait_for) if wait_for else prompt
            tail = bytes(raw[since_last_send:]).decode("utf-8", "replace")
            if _seen(waiting_for, tail[-400:]):
                os.write(master, pending.pop(0).send.encode() + b"\r")
                since_last_send = len(raw)


def _seen(prompt: regex.Pattern[str], tail: str) -> bool:
    # The prompt is the spec's pattern and the tail the program's output: bounded like every rule.
    # A match that runs out of time counts as not seen yet; the step's own timeout still holds.
    try:
        return prompt.search(tail, timeout=patterns.MATCH_TIMEOUT_S) is not None
    except TimeoutError:
        return False


def _drain(master: int, raw: bytearray) -> None:
    while True:
        try:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                return
            chunk = os.read(master, 65536)
        except OSError:
            return
        if not chunk:
            return
        raw.extend(chunk)


def _cursor_column(raw: bytearray) -> int:
    last_line = bytes(raw[-COLUMNS * 2 :]).rsplit(b"\n", 1)[-1].rsplit(b"\r", 1)[-1]
    visible = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", last_line)
    return min(COLUMNS, len(visible.decode("utf-8", "replace")) + 1)
