"""Reference runs for `labcheck record`: the spec run for real (`pytest --labcheck`, fresh kit
nodes each time unless targets are named), each run's evidence read back through the evidence view."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.evidence_view import RunView, read_run
from labcheck.errors import LabcheckError


class ReferenceRunFailed(LabcheckError):
    """A reference run left no evidence (the engine, the kit or the spec stopped it)."""


def reference_runs(spec: Path, runs: int, work: Path, targets: Sequence[str] = ()) -> list[RunView]:
    t = i18n.cli()
    views = []
    for number in range(1, runs + 1):
        out = work / f"run-{number}"
        argv = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(work),
            "--labcheck",
            str(spec),
            "--labcheck-out",
            str(out),
            "--labcheck-no-report",
            "--labcheck-force",
            "-p",
            "labcheck.authoring.record_plugin",
            "--labcheck-record-state",
            str(out / "state.jsonl"),
        ]
        for target in targets:
            argv += ["--labcheck-target", target]
        print(t.format("record: reference run {number} of {runs} ...", number=number, runs=runs), flush=True)
        done = subprocess.run(argv, cwd=work, capture_output=True, text=True)
        evidence = out / "evidence.json"
        if not evidence.is_file():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
            raise ReferenceRunFailed(
                t.format(
                    "reference run {number} left no evidence (exit {code}):\n{tail}",
                    number=number,
                    code=done.returncode,
                    tail=tail,
                )
            )
        views.append(dataclasses.replace(read_run(evidence), states=_states(out / "state.jsonl")))
    return views


def _states(path: Path) -> dict[str, dict[str, object]]:
    """Each step's engine states before and after it, as the reference run wrote them."""
    states: dict[str, dict[str, object]] = {}
    if not path.is_file():
        return states
    for line in path.read_text(encoding="utf-8").splitlines():
        seen = json.loads(line)
        states.setdefault(str(seen["step"]), {"before": seen["before"], "after": seen["after"]})
    return states
