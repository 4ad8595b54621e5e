"""An interrupted run ends with status 130 whatever signals follow, to the process's very end, and
gives its caller's signals back: a process that goes on after a run (pytest.main twice, pytester)
has its own Ctrl-C again, and so do the processes it starts.

Real signals to real processes; the runs are on the local target, so none of this needs Docker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli_process import labcheck_argv, labcheck_env

ROOT = Path(__file__).resolve().parents[2]

# A run interrupted by its first SIGINT, then ended as labcheck's plugin ends it: `after_run` is
# what its process does next.
INTERRUPTED_RUN = """\
import os, signal, sys
from labcheck.runner import interrupts
{before_run}
interrupts.install()
try:
    os.kill(os.getpid(), signal.SIGINT)
    signal.pause()
except KeyboardInterrupt:
    pass
interrupts.settle()
interrupts.uninstall()
{after_run}
print("ending", flush=True)
sys.exit(130)
"""

# `labcheck run`: the command owns its process, which ends with the run.
THE_COMMAND = INTERRUPTED_RUN.format(before_run="interrupts.command_owns_process()", after_run="")

# A program that goes on after the run, with a Ctrl-C of its own (it counts them): it has it back.
A_CALLER = INTERRUPTED_RUN.format(
    before_run="counted = []\nsignal.signal(signal.SIGINT, lambda signum, frame: counted.append(signum))",
    after_run="assert signal.getsignal(signal.SIGINT).__name__ == '<lambda>'",
)


def _exit_statuses_under_a_stream_of_sigint(program: str, runs: int = 10) -> list[int]:
    statuses = []
    for _ in range(runs):
        child = subprocess.Popen([sys.executable, "-c", program], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "ending\n"
        # As fast as a user can type and faster: through the interpreter's shutdown to its exit.
        while child.poll() is None:
            try:
                os.kill(child.pid, signal.SIGINT)
            except ProcessLookupError:
                break
        statuses.append(child.wait())
    return statuses


def test_an_impatient_ctrl_c_while_the_process_exits_does_not_change_its_status() -> None:
    assert _exit_statuses_under_a_stream_of_sigint(THE_COMMAND) == [130] * 10


def test_a_caller_given_its_ctrl_c_back_still_exits_as_it_says_under_ctrl_c() -> None:
    # Its handler takes the stream until Python's finalization drops it; the run's exit guard
    # ignores the signals before that.
    assert _exit_statuses_under_a_stream_of_sigint(A_CALLER) == [130] * 10


# A lab on the local target (no Docker): its one step signals that it started, then waits.
SPEC = """\
labcheck: 1
lab: {id: interrupted-in-process, title: Interrumpido, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: long
        title: Largo
        run: touch started; sleep 20
        timeout: 10m
        expect: {exit_code: 0}
"""

# A Python program that calls pytest.main as any in-process caller does (pytester, a script, a
# test session), once per argument given: the test interrupts each run with a real SIGINT. After
# each run it says what the caller has then: its SIGINT handler, and the signals a child it starts
# ignores (exec keeps ignored signals; SigIgn in /proc is their mask).
IN_PROCESS_RUNS = """\
import json, signal, subprocess, sys
import pytest

# Ctrl-C as a terminal program has it, whoever started this one.
signal.signal(signal.SIGINT, signal.default_int_handler)
handler = signal.getsignal(signal.SIGINT)


def ignored_by_a_child():
    status = subprocess.run(["cat", "/proc/self/status"], capture_output=True, text=True).stdout
    return next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:"))


ignored = ignored_by_a_child()
for out in sys.argv[1:]:
    code = pytest.main(
        ["-p", "no:cacheprovider", "-q", "--labcheck", "lab.yaml", "--labcheck-target", "host=local",
         "--labcheck-out", out, "--labcheck-no-report"]
    )
    said = {"code": int(code), "handler_given_back": signal.getsignal(signal.SIGINT) is handler,
            "child_ignores": ignored_by_a_child(), "child_ignored_before": ignored}
    print("RESULT " + json.dumps(said), flush=True)
"""


def _interrupted_in_process_runs(folder: Path, runs: int) -> list[dict[str, Any]]:
    """Each run interrupted by a SIGINT once its step has started; what the caller said after each."""
    (folder / "lab.yaml").write_text(SPEC, encoding="utf-8")
    outs = [f"out{run}" for run in range(runs)]
    child = subprocess.Popen(
        [sys.executable, "-c", IN_PROCESS_RUNS, *outs],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert child.stdout is not None
    results: list[dict[str, Any]] = []
    try:
        for out in outs:
            started = folder / out / "homes" / "host" / "started"
            deadline = time.monotonic() + 60
            while not started.exists() and child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)  # waiting for the step to begin, not measuring anything
            assert started.exists(), f"the run into {out} never started its step"
            child.send_signal(signal.SIGINT)
            for line in child.stdout:
                if line.startswith("RESULT "):
                    result = json.loads(line.removeprefix("RESULT "))
                    document = json.loads((folder / out / "evidence.json").read_text("utf-8"))
                    results.append({**result, "status": document["run"]["status"]})
                    break
    finally:
        child.kill()
        child.wait()
    return results


def test_after_an_interrupted_run_its_caller_has_its_own_ctrl_c_again(tmp_path: Path) -> None:
    [result] = _interrupted_in_process_runs(tmp_path, 1)
    assert result["code"] == 130 and result["status"] == "interrupted"
    assert result["handler_given_back"], "the caller's SIGINT handler was not given back"
    # No SIGINT, SIGTERM or SIGHUP left ignored for whatever the caller starts afterwards.
    assert result["child_ignores"] == result["child_ignored_before"]


def test_a_second_run_in_the_same_process_is_interrupted_like_the_first(tmp_path: Path) -> None:
    results = _interrupted_in_process_runs(tmp_path, 2)
    assert [(result["code"], result["status"]) for result in results] == [(130, "interrupted")] * 2


# The two ways a student starts a run from a shell: each process ends with its run.
THE_COMMANDS = {
    "labcheck run": lambda out: labcheck_argv(
        "run", "lab.yaml", "--target", "host=local", "--out", str(out), "--", "--labcheck-no-report"
    ),
    "pytest --labcheck": lambda out: [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--labcheck",
        "lab.yaml",
        "--labcheck-target",
        "host=local",
        "--labcheck-out",
        str(out),
        "--labcheck-no-report",
    ],
}


@pytest.mark.parametrize("command", THE_COMMANDS)
def test_a_run_from_the_shell_ends_with_130_however_long_ctrl_c_is_held(tmp_path: Path, command: str) -> None:
    """The command itself, from the first Ctrl-C of its run to its exit: the run's clean-up, pytest's
    teardown (its own clean-ups run after every plugin's unconfigure), the command's last lines and
    the interpreter's shutdown."""
    (tmp_path / "lab.yaml").write_text(SPEC, encoding="utf-8")
    ended = []
    for run in range(5):
        out = tmp_path / f"out{run}"
        child = subprocess.Popen(
            THE_COMMANDS[command](out),
            cwd=tmp_path,
            env=labcheck_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = out / "homes" / "host" / "started"
        deadline = time.monotonic() + 60
        while not started.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # waiting for the step to begin, not measuring anything
        assert started.exists(), "the run never started its step"
        while child.poll() is None:
            try:
                os.kill(child.pid, signal.SIGINT)
            except ProcessLookupError:
                break
        _, err = child.communicate()
        # No KeyboardInterrupt escaped anywhere. (Under such a stream CPython may say now and then
        # that it ignored a signal "due to race condition", bpo-43406: its words, not an error.)
        ended.append((child.returncode, "KeyboardInterrupt" in err))
    assert ended == [(130, False)] * 5
