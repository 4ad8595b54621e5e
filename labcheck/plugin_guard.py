"""Other pytest plugins cannot corrupt a lab: spec order, one process, one run per step.

A lab's steps build on each other on shared engines, so whatever another plugin does to
pytest's items, each lab's steps run once, in the spec's order, in this process:
- reordering plugins (pytest-randomly, `--ff`, `--nf`): the spec's order is put back once
  every `pytest_collection_modifyitems` has run;
- pytest-xdist (`-n`, `--dist`): refused before anything runs, because the steps of a lab (and
  the labs of one kit) share engines and would only wait for each other;
- rerun plugins (pytest-rerunfailures, flaky...): a step asked to run again is never run again;
  its first result is reported again (see `LabStepItem.runtest`);
- pytest-timeout: forced to its `signal` method for lab steps, so its kill is an exception the
  plugin records as the step's error, not `os._exit` losing the step and the clean-up.
"""

from __future__ import annotations

import pytest

from labcheck.plugin import LabStepItem

PARALLEL_REFUSED = (
    "labcheck: pytest-xdist (-n/--dist) would split a lab's steps over several processes, but "
    "they build on each other on shared engines and must run one after another, in order: "
    "run without -n (or with -n 0)"
)


def refuse_parallel(config: pytest.Config) -> None:
    """Raised in pytest_configure, before xdist starts a worker and before any engine is touched."""
    in_worker = hasattr(config, "workerinput")
    option = config.option
    spread = bool(getattr(option, "numprocesses", None)) or getattr(option, "dist", "no") != "no"
    if in_worker or spread:
        raise pytest.UsageError(PARALLEL_REFUSED)


def restore_spec_order(items: list[pytest.Item]) -> None:
    """Lab steps back in their spec's order (labs in collection order), other items left in place."""
    slots = [index for index, item in enumerate(items) if isinstance(item, LabStepItem)]
    ordered = sorted((items[index] for index in slots), key=_spec_position)
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


def _spec_position(item: pytest.Item) -> tuple[int, int]:
    assert isinstance(item, LabStepItem)
    return item.spec_position


class StepOrderGuard:
    """Registered with --labcheck; its hooks run after every other plugin has had its say."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # After every pytest_collection_modifyitems (wrappers included: pytest-randomly shuffles
        # in one, --ff/--nf reorder after theirs), before the first step runs.
        restore_spec_order(session.items)
        if self.config.pluginmanager.hasplugin("timeout"):
            for item in session.items:
                if isinstance(item, LabStepItem):
                    # The `thread` method ends the process with os._exit: the step, the rest of
                    # the evidence and the clean-up would be lost. `signal` raises in the step.
                    item.add_marker(pytest.mark.timeout(method="signal"))
