"""What each node transport (socket, tls, exec) costs labcheck, per step and on the bundled lab.

For each transport, on fresh kit nodes made for it: the time to open a client (API version
negotiation and a ping), the SDK work labcheck does around every step (the containers before,
a ping, the containers after) as median and 90th percentile of ROUNDS rounds, then the bundled
lab through `pytest --labcheck --labcheck-node-transport T` (no report): its steps' time (first
step's start to last step's end), the whole run, and the mean per step over the socket's run.
The lab's commands are `docker exec` into the node under every transport; only labcheck's own
SDK calls change. Goal: the portable transport adds under 50 ms per step over the socket.

Needs the kit up; leaves its nodes as the kit makes them. Run:
    .venv/bin/python bench/node_transports.py [ROUNDS] [--no-lab]
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
from labcheck.kit.transport import TRANSPORTS, Transport
from labcheck.runner.captures import containers_now

ROOT = Path(__file__).resolve().parents[1]
NODES = ["node1", "node2"]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def sdk_figures(transport: Transport, rounds: int) -> tuple[float, float, float]:
    node = kit.fresh_nodes(NODES, transport)["node1"]
    opens = []
    for _ in range(5):
        started = time.monotonic()
        node.client(timeout=30).close()
        opens.append(time.monotonic() - started)
    client = node.client(timeout=30)
    steps = []
    try:
        for _ in range(rounds):
            started = time.monotonic()
            containers_now(client)
            client.ping()
            containers_now(client)
            steps.append(time.monotonic() - started)
    finally:
        client.close()
    steps.sort()
    return statistics.median(opens), statistics.median(steps), steps[int(len(steps) * 0.9) - 1]


def _wait_for_give_back() -> None:
    lock = EngineLock([kit_nodes_lock()], "benchmark")
    lock.acquire(wait=True)
    lock.release()


def lab_figures(transport: Transport) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--labcheck",
                "-q",
                "-p",
                "no:cacheprovider",
                "--labcheck-no-report",
                "--labcheck-node-transport",
                transport,
                "--labcheck-out",
                out,
                str(ROOT / "specs" / "ops-stage1"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        total = time.monotonic() - started
        _wait_for_give_back()
        evidence = json.loads((Path(out) / "evidence.json").read_text())
        if done.returncode != 0:
            print(f"  ({transport}: the lab did not pass, exit {done.returncode})")
        steps = [s for s in evidence["steps"] if s["started_at"]]
        first = datetime.fromisoformat(steps[0]["started_at"]).timestamp()
        last = max(datetime.fromisoformat(s["started_at"]).timestamp() + s["duration_s"] for s in steps)
        used = {t["transport"] for t in evidence["targets"].values()}
        assert used == {transport}, f"the run used {used}, not {transport}"
        return last - first, total, len(steps)


def main() -> None:
    rounds = int(next((a for a in sys.argv[1:] if a.isdigit()), "30"))
    with_lab = "--no-lab" not in sys.argv
    try:
        print(f"SDK work per step on node1 ({rounds} rounds: containers, ping, containers)")
        for transport in TRANSPORTS:
            opened, median, p90 = sdk_figures(transport, rounds)
            print(
                f"  {transport:6} open client {_ms(opened)} | per step median {_ms(median)}, p90 {_ms(p90)}"
            )
        if with_lab:
            print("bundled lab ops-stage1, fresh nodes per transport (no report)")
            socket_steps: float | None = None
            for transport in TRANSPORTS:
                steps, total, count = lab_figures(transport)
                socket_steps = steps if socket_steps is None else socket_steps
                extra = (steps - socket_steps) / count
                print(
                    f"  {transport:6} steps {steps:.1f} s | whole run {total:.1f} s | "
                    f"{count} steps, {extra * 1000:+.0f} ms per step over socket"
                )
    finally:
        kit.give_back_nodes(NODES)  # as the kit makes them, whatever the last transport was


if __name__ == "__main__":
    main()
