"""How much labcheck adds to the lab's own time.

Runs the bundled lab's commands as a plain shell script (bench/ops_stage1_plain.sh) on fresh kit
nodes, then the same lab through `pytest --labcheck` on fresh nodes, and prints both times and
their ratio: for the steps alone (first step's start to last step's end, from the evidence) and
for the whole run (from starting pytest to its exit: checks, lock, nodes, evidence). Also times
`pytest --labcheck --collect-only`. Needs the kit up; run: .venv/bin/python bench/lab_overhead.py [ROUNDS]

A labcheck run gives its nodes back in a detached process after the evidence is written, so the
next run finds them pristine; the benchmark does the same for the plain script (untimed) before
each labcheck run, and prints how long that give-back took after the run, which nobody waits for.
Goal: whole run at most x1.05 of the plain script, each round's ratio measured in that round.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from labcheck.kit import api as kit
from labcheck.kit.engine_lock import EngineLock, kit_nodes_lock
from labcheck.runner.targets import KitNodeTarget

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "ops-stage1"


def plain_run() -> float:
    nodes = kit.fresh_nodes(["node1", "node2"])
    node1 = nodes["node1"]
    KitNodeTarget("node1", node1).put_files(
        {name: (SPEC / name).read_bytes() for name in ("index.js", "Dockerfile")}, "~"
    )
    started = time.monotonic()
    subprocess.run(
        ["bash", str(ROOT / "bench" / "ops_stage1_plain.sh")],
        env={"NODE1": node1.container, "NODE2": nodes["node2"].container, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    elapsed = time.monotonic() - started
    # Untimed, as a previous labcheck run would have done in the background.
    kit.give_back_nodes(["node1", "node2"])
    return elapsed


def wait_for_give_back() -> float:
    """Seconds until the run's detached give-back lets the nodes' lock go."""
    started = time.monotonic()
    lock = EngineLock([kit_nodes_lock()], "benchmark")
    lock.acquire(wait=True)
    lock.release()
    return time.monotonic() - started


def labcheck_run() -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--labcheck",
                "-q",
                "-p",
                "no:cacheprovider",
                "--labcheck-no-report",
                "--labcheck-out",
                out,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        total = time.monotonic() - started
        give_back = wait_for_give_back()
        steps = [s for s in json.loads((Path(out) / "evidence.json").read_text())["steps"] if s["started_at"]]
        first = datetime.fromisoformat(steps[0]["started_at"]).timestamp()
        last = max(datetime.fromisoformat(s["started_at"]).timestamp() + s["duration_s"] for s in steps)
        return last - first, total, give_back


def collect_only() -> float:
    best = float("inf")
    for _ in range(5):
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "pytest", "--labcheck", "--collect-only", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        best = min(best, time.monotonic() - started)
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    print(f"pytest --labcheck --collect-only (best of 5): {collect_only():.3f} s  (goal < 0.5 s)")
    plains, steps_ratios, total_ratios = [], [], []
    for index in range(rounds):
        plain = plain_run()
        steps, total, give_back = labcheck_run()
        plains.append(plain)
        steps_ratios.append(steps / plain)
        total_ratios.append(total / plain)
        print(
            f"round {index + 1}: plain script {plain:.1f} s | labcheck steps {steps:.1f} s "
            f"(x{steps / plain:.3f}) | labcheck whole run {total:.1f} s (x{total / plain:.3f}) "
            f"| nodes given back {give_back:.1f} s after it, in the background"
        )
    # A registry pull that stalls 30 s now and then (see the kit notes) swamps one round: use medians.
    print(
        f"median of {rounds}: plain {statistics.median(plains):.1f} s, steps "
        f"x{statistics.median(steps_ratios):.3f}, whole run x{statistics.median(total_ratios):.3f}"
    )
    print("goal: labcheck adds at most 5% to the lab's own time")


if __name__ == "__main__":
    main()
