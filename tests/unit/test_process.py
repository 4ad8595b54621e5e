from __future__ import annotations

import os
import time
from pathlib import Path

from labcheck.runner.process import run_command
from labcheck.spec.model import DEFAULT_PROMPT, TypedLine

ENV = dict(os.environ)


def test_pipes_keep_stdout_and_stderr_apart() -> None:
    result = run_command(
        ["bash", "-c", "echo out; echo err >&2; exit 3"], env=ENV, cwd=None, use_pty=False, timeout_s=10
    )
    assert (result.exit_code, result.stdout, result.stderr) == (3, b"out\n", b"err\n")
    assert b"out" in result.raw and b"err" in result.raw


def test_timeout_kills_the_whole_group_and_keeps_partial_output(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = f"echo started; sleep 300 & echo $! > {pid_file}; wait"
    result = run_command(["bash", "-c", script], env=ENV, cwd=None, use_pty=False, timeout_s=1)
    assert result.timed_out and result.exit_code is None and result.raw == b"started\n"
    child = int(pid_file.read_text())
    assert _ends(child), f"the step's background child {child} outlived the timeout"


def _ends(pid: int) -> bool:
    """Whether the process is gone (or a zombie waiting for its reaper): a SIGKILL is delivered
    asynchronously, so allow it to land instead of checking at one instant."""
    for _ in range(300):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)  # waiting for the kill to land, not measuring anything
    return False


def test_pty_types_lines_at_the_prompt_and_is_wide() -> None:
    typed = [TypedLine("tput cols", None), TypedLine("echo done-$((6*7))", None), TypedLine("exit", None)]
    result = run_command(
        ["bash", "--norc", "-i"],
        env={**ENV, "PS1": "root@box:/# "},
        cwd=None,
        use_pty=True,
        typed=typed,
        prompt=DEFAULT_PROMPT,
        timeout_s=20,
    )
    text = result.raw.decode()
    assert result.exit_code == 0 and not result.timed_out
    assert "200" in text and "done-42" in text


def test_pty_timeout_keeps_partial_output() -> None:
    result = run_command(
        ["bash", "-c", "echo waiting; sleep 300"], env=ENV, cwd=None, use_pty=True, timeout_s=1
    )
    assert result.timed_out and b"waiting" in result.raw
