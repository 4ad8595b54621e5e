"""Time `kit up` cold (after `kit down --purge`) and warm (after `kit down`), and a node refresh.

Goals on a 2-core machine: cold < 3 min, warm < 20 s. Leaves the kit up.
Run: .venv/bin/python bench/kit_up.py [--skip-cold]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

from labcheck.kit import api

COLD_GOAL_S = 180.0
WARM_GOAL_S = 20.0


def _progress(message: str) -> None:
    print(f"  kit: {message}", file=sys.stderr, flush=True)


def _timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-cold", action="store_true", help="keep the data dir")
    args = parser.parse_args(argv)
    results: dict[str, float] = {}
    if not args.skip_cold:
        print("cold: kit down --purge, then kit up", file=sys.stderr)
        api.kit_down(purge=True)
        results["cold_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    print("warm: kit down, then kit up", file=sys.stderr)
    results["down_s"] = _timed(api.kit_down)
    results["warm_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    results["already_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    results["fresh_nodes_2_s"] = _timed(lambda: api.fresh_nodes(["node1", "node2"]))
    for key, value in results.items():
        goal = {"cold_up_s": COLD_GOAL_S, "warm_up_s": WARM_GOAL_S}.get(key)
        verdict = ""
        if goal is not None:
            verdict = f"  (goal < {goal:.0f} s: {'met' if value < goal else 'MISSED'})"
        print(f"{key:<16} {value:7.1f} s{verdict}")
    print(json.dumps({k: round(v, 2) for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
