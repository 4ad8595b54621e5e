"""Giving kit nodes back after a run without making the user wait for it.

The run hands the nodes' lock to a detached process (the lock files' descriptors are inherited,
so the kernel keeps the flock held) which recreates the nodes empty and then lets the lock go:
the next run, or `kit up`, waits for that lock and finds the nodes pristine. Run as
`python -m labcheck.kit.background FD[,FD...] NODE...`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from labcheck.kit import paths
from labcheck.kit.engine_lock import EngineLock

PURPOSE = "giving the kit nodes back empty after a run"


def log_file() -> str:
    return str(paths.kit_home() / "give-back.log")


def give_back_detached(names: Sequence[str], lock: EngineLock) -> int:
    """Start the detached give-back, holding `lock` from now on; returns its pid."""
    fds = lock.file_descriptors()
    paths.open_shared(Path(log_file()), "a").close()  # the docker group's too, on root's kit
    with open(log_file(), "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "labcheck.kit.background", ",".join(map(str, fds)), *names],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            pass_fds=fds,
            start_new_session=True,  # neither a second Ctrl-C nor the terminal closing reach it
        )
    lock.hand_over(process.pid, PURPOSE)
    lock.forget()
    return process.pid


def main(argv: Sequence[str]) -> int:
    from labcheck.i18n import cli
    from labcheck.kit import api

    fds = [int(fd) for fd in argv[0].split(",") if fd]
    try:
        api.give_back_nodes(list(argv[1:]))
    except Exception as error:  # the next run finds the nodes dirty and makes them fresh itself
        said = cli().format("giving back {nodes} failed: {error}", nodes=", ".join(argv[1:]), error=error)
        print(f"labcheck: {said}", file=sys.stderr)
        return 1
    finally:
        for fd in fds:
            # Clear the holder line so the next run does not report a stale lock, then let go.
            os.ftruncate(fd, 0)
            os.close(fd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
