"""How a `labcheck run` ended, read from the pytest session it ran: pytest folds several
stops into one exit code, and labcheck's own codes tell them apart."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from labcheck import i18n


class SessionOutcome:
    """Watches the pytest session to tell apart what pytest folds into one exit code
    (2 is both Ctrl-C and a collection error) and whether a lab failed to set up."""

    def __init__(self) -> None:
        self.collection_errors = 0
        self.user_interrupt = False
        self.setup_failed = False
        # pytest.exit(returncode=...) by a plugin: labcheck's pre-flight
        self.exit_requested: int | None = None
        self.pdf_paths: list[Path] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors += 1

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        # pytest reports its own stops (collection errors, pytest.exit) through this hook too.
        internal = (pytest.Session.Interrupted, pytest.exit.Exception)
        self.user_interrupt = not isinstance(excinfo.value, internal)
        if isinstance(excinfo.value, pytest.exit.Exception) and excinfo.value.returncode is not None:
            self.exit_requested = int(excinfo.value.returncode)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        # After every pytest_sessionfinish: the labcheck session has set up, run and reported.
        labcheck_session: Any = config.pluginmanager.get_plugin("labcheck-session")
        self.setup_failed = bool(getattr(labcheck_session, "failures", None))
        self.pdf_paths = list(getattr(labcheck_session, "pdf_paths", None) or [])

    def exit_code(self, pytest_code: int) -> int:
        if self.user_interrupt:
            return 130
        if pytest_code == pytest.ExitCode.OK:
            return 0
        if self.exit_requested in (1, 2, 130):
            return self.exit_requested
        if self.setup_failed:
            return 2
        if pytest_code == pytest.ExitCode.TESTS_FAILED:
            return 1
        if pytest_code == pytest.ExitCode.NO_TESTS_COLLECTED:
            said = i18n.cli().gettext("no step was selected (check the spec and any -k given after --)")
            print(f"labcheck: {said}", file=sys.stderr)
            return 2
        if pytest_code == pytest.ExitCode.INTERRUPTED and not self.collection_errors:
            return 130
        return 2  # a spec that does not load, a pytest usage or internal error
