"""Partial runs say they are partial: which steps pytest selected, and why the others did not run.

pytest leaves steps out in two ways: before the run (`-k`, `-m`, `--deselect`, `--lf`,
`--sw`; every one of them calls `pytest_deselected`) and during it (`-x`/`--maxfail` and
`--sw` stop the session, Ctrl-C interrupts it). This plugin tells them apart and hands the
evidence writer a reason for every step of the spec that did not run. It also keeps a partial
run from replacing a complete evidence in the same folder unless `--labcheck-force` is given.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from labcheck.evidence import selection as sel
from labcheck.evidence.reader import EvidenceUnreadable, read_evidence
from labcheck.plugin import LabStepItem, out_dir_for
from labcheck.spec.model import Lab

_MAX_EVIDENCE_BYTES = 256 * 1024 * 1024  # never read a huge file only to decide whether to refuse


class SelectionTracker:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.deselected: dict[tuple[Path, str], tuple[str, dict[str, str]]] = {}  # (spec, step id) -> why
        self._reason = sel.DESELECTED
        self.items: list[LabStepItem] = []  # the lab steps pytest will run, in order

    # -- before the run -------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_collection_modifyitems(self) -> Generator[None]:
        # A plain wrapper sits inside --lf's and pytest-randomly's (tryfirst) wrappers and
        # outside every plain implementation: what -k, -m, --deselect and --sw leave out is
        # deselected during the yield; what --lf leaves out, after it.
        self._reason = sel.DESELECTED
        try:
            return (yield)
        finally:
            self._reason = sel.LAST_FAILED if self.config.getoption("lf", False) else sel.DESELECTED

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        facts = {} if self._reason == sel.LAST_FAILED else self._deselecting_options()
        for item in items:
            if isinstance(item, LabStepItem):
                self.deselected[(item.lab.path, item.step.id)] = (self._reason, facts)

    def _deselecting_options(self) -> dict[str, str]:
        """The options that can leave steps out, those given, with their values."""
        option = self.config.option
        given = {
            "-k": getattr(option, "keyword", None),
            "-m": getattr(option, "markexpr", None),
            "--deselect": ", ".join(getattr(option, "deselect", None) or []),
            "--stepwise": "yes" if getattr(option, "stepwise", False) else None,
        }
        return {flag: value for flag, value in given.items() if value}

    # First of the collection_finish hooks: refusing a partial run touches nothing, while the
    # session's pre-flight that follows reaches the engines and takes their lock.
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = [item for item in session.items if isinstance(item, LabStepItem)]
        if self.config.getoption("collectonly") or self.config.getoption("labcheck_force"):
            return
        labs = {item.lab.path: item.lab for item in self.items}
        for lab in labs.values():
            why = self._why_partial(lab)
            evidence = out_dir_for(self.config, lab) / "evidence.json"
            if why and is_complete_evidence(evidence):
                raise pytest.UsageError(
                    f"labcheck: {evidence} holds a complete run of lab «{lab.id}»; this run {why} "
                    "and would replace it with a partial one: choose another folder with "
                    "--labcheck-out DIR, or give --labcheck-force to replace it"
                )

    def _why_partial(self, lab: Lab) -> str | None:
        selected = len(self.selected_ids(lab))
        if selected < len(lab.steps):
            return f"runs {selected} of its {len(lab.steps)} steps"
        if self.config.getoption("maxfail", 0):
            return "may stop early (-x/--maxfail)"
        if self.config.getoption("stepwise", False):
            return "may stop early (--stepwise)"
        return None

    # -- after the run ----------------------------------------------------------------------

    def selected_ids(self, lab: Lab) -> list[str]:
        return [item.step.id for item in self.items if item.lab.path == lab.path]

    def not_run(
        self, lab: Lab, recorded: set[str], session: pytest.Session, exitstatus: int
    ) -> list[sel.NotRun]:
        """Every step of the spec with no record, and why: left out before the run, or never reached."""
        by_id = {item.step.id: item for item in self.items if item.lab.path == lab.path}
        deselected = {step_id: why for (path, step_id), why in self.deselected.items() if path == lab.path}
        stopped = self._stop_reason(session, exitstatus)
        entries = []
        for step in lab.steps:
            if step.id in recorded:
                continue
            if step.id in by_id:
                entries.append(sel.NotRun(step.id, *stopped))
            elif step.id in deselected:
                entries.append(sel.NotRun(step.id, *deselected[step.id]))
            else:  # never collected: the command line named other steps of the spec
                entries.append(sel.NotRun(step.id, sel.DESELECTED, self._deselecting_options()))
        return entries

    def _stop_reason(self, session: pytest.Session, exitstatus: int) -> tuple[str, dict[str, str]]:
        maxfail = int(self.config.getoption("maxfail", 0) or 0)
        if session.shouldfail:
            if "session-timeout" in str(session.shouldfail):
                return sel.STOPPED, {"by": "session-timeout"}
            if maxfail == 1:
                return sel.STOPPED, {"by": "-x"}
            return sel.STOPPED, {"by": "--maxfail", "maxfail": str(maxfail)}
        if session.shouldstop:
            return sel.STOPPED, {"by": "--stepwise"} if self.config.getoption("stepwise", False) else {}
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            return sel.INTERRUPTED, {}
        return sel.NOT_REACHED, {}


def is_complete_evidence(path: Path) -> bool:
    """An evidence file of a run that ended normally with every step of its spec recorded."""
    try:
        evidence = read_evidence(path, _MAX_EVIDENCE_BYTES)
    except EvidenceUnreadable:
        return False  # nothing there, or nothing a report could be made from
    if evidence.run.status != "complete":
        return False
    if evidence.run.selection is not None and evidence.run.selection.not_run:
        return False
    return evidence.summary.not_run == 0
