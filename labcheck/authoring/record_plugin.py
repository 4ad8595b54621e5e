"""The pytest side of `labcheck record`'s reference runs (`-p labcheck.authoring.record_plugin`):
each node's state read through the SDK just before and just after each step, one JSON line per
step in the file `--labcheck-record-state` names (written as the run goes, so an interrupted run
keeps what it saw)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from labcheck.authoring.engine_state import read_state
from labcheck.plugin import LabcheckSession, LabStepItem


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("labcheck").addoption(
        "--labcheck-record-state",
        default=None,
        metavar="FILE",
        help="(labcheck record) write each node's state before and after each step into FILE",
    )


def _states(item: LabStepItem) -> dict[str, object]:
    from labcheck.runner.sandbox import ENGINE_ERRORS
    from labcheck.runner.targets import is_local

    session = item.config.pluginmanager.get_plugin("labcheck-session")
    run = session.runs.get(item.lab.path) if isinstance(session, LabcheckSession) else None
    if run is None:
        return {}
    states: dict[str, object] = {}
    for name, target in run.targets.items():
        if is_local(target) or name not in run.baselines:
            continue
        try:
            states[name] = read_state(target.client(), run.baselines[name])
        except ENGINE_ERRORS:
            states[name] = None  # the engine did not answer: nothing is proposed from this node
    return states


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    out = item.config.getoption("labcheck_record_state")
    if not out or not isinstance(item, LabStepItem):
        yield
        return
    before = _states(item)
    yield
    line = {"step": item.step.id, "before": before, "after": _states(item)}
    with Path(out).open("a", encoding="utf-8") as states:
        states.write(json.dumps(line) + "\n")
