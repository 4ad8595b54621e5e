"""An interrupted run keeps its exit status 130 whatever signals follow, to the process's very end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A run that was interrupted (its first SIGINT handled), then ends as labcheck's plugin ends it.
INTERRUPTED_RUN = """\
import os, signal, sys
from labcheck.runner import interrupts
interrupts.install()
try:
    os.kill(os.getpid(), signal.SIGINT)
    signal.pause()
except KeyboardInterrupt:
    pass
interrupts.settle()
interrupts.uninstall()
print("ending", flush=True)
sys.exit(130)
"""


def test_an_impatient_ctrl_c_while_the_process_exits_does_not_change_its_status() -> None:
    statuses = []
    for _ in range(10):
        child = subprocess.Popen(
            [sys.executable, "-c", INTERRUPTED_RUN], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "ending\n"
        # As fast as a user can type and faster: through the interpreter's shutdown to its exit.
        while child.poll() is None:
            try:
                os.kill(child.pid, signal.SIGINT)
            except ProcessLookupError:
                break
        statuses.append(child.wait())
    assert statuses == [130] * 10
