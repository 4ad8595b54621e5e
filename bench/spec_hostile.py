"""Time and peak memory of `labcheck validate` on each hostile spec of tests/hostile/spec_inputs.py.

    .venv/bin/python bench/spec_hostile.py

Each case is validated in a child process of its own (`python -m labcheck validate DIR`), as a
teacher would; the figures are its wall time and its peak resident memory (from wait4), with the
bundled lab first as the baseline (most of both is Python starting and importing labcheck), then
the same load in-process, without the start-up. Goal: every case refused with exit 2 in well
under 20 s and 2 GB (before this guard: the alias bomb reached 1.77 GB and a MemoryError, a FIFO
blocked forever).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labcheck.errors import SpecInvalid  # noqa: E402
from labcheck.spec.loader import load_lab  # noqa: E402
from tests.hostile import spec_inputs  # noqa: E402


def validate_in_child(folder: Path) -> tuple[int, float, float]:
    """Exit code, wall seconds and peak RSS in MB of one `labcheck validate`."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "labcheck", "validate", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - start, usage.ru_maxrss / 1024


def in_process(folder: Path) -> float:
    start = time.perf_counter()
    try:
        load_lab(folder)
    except SpecInvalid:
        pass
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        cases: dict[str, Path] = {"(bundled lab)": ROOT / "specs" / "ops-stage1"}
        for name, (make, _) in spec_inputs.EXPECTED.items():
            folder = root / name
            folder.mkdir()
            (folder / "lab.yaml").write_text(make(), encoding="utf-8")
            cases[name] = folder
        for name, make_path in (
            ("link_to_dev_zero", spec_inputs.link_to_dev_zero),
            ("fifo", spec_inputs.fifo),
        ):
            folder = root / name
            folder.mkdir()
            cases[name] = make_path(folder)
        print(f"{'case':28} {'exit':>4} {'wall s':>7} {'peak MB':>8} {'in-process ms':>14}")
        for name, folder in cases.items():
            code, seconds, peak = validate_in_child(folder)
            print(f"{name:28} {code:>4} {seconds:7.2f} {peak:8.0f} {in_process(folder) * 1e3:14.1f}")


if __name__ == "__main__":
    main()
