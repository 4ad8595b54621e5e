"""`pytest --labcheck`: each step of a lab spec is a pytest item, run in order on real engines.

Only public pytest APIs: pytest_collect_file -> pytest.File / pytest.Item, stash,
user_properties. The runner knows nothing about pytest; this module only adapts it.
"""

from __future__ import annotations

import base64
import os
import re
import sys
from collections.abc import Iterator
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from labcheck import i18n
from labcheck.bundled import bundled_root, bundled_spec_files
from labcheck.checks.reason_words import reason_words
from labcheck.errors import LabcheckError, SpecInvalid
from labcheck.evidence import reasons
from labcheck.evidence.model import Reason
from labcheck.evidence.writer import EvidenceWriteFailed
from labcheck.kit.transport import MODES, parse_mode
from labcheck.signing.keys import SIGNING_KEY_ENV, PrivateKey, private_key_from_env
from labcheck.spec.loader import SPEC_FILE_NAMES, load_lab
from labcheck.spec.model import Lab, Step

if TYPE_CHECKING:
    from labcheck.plugin_selection import SelectionTracker

    # The runner (docker SDK and all) is imported only when a step runs: collection stays quick.
    from labcheck.runner.guard import RunGuard
    from labcheck.runner.session import LabRun, RunOptions
    from labcheck.runner.step_result import StepResult

BUNDLED_SPECS = bundled_root()  # the same finder as `labcheck labs` and `labcheck run ID`
_RESULT_KEY = pytest.StashKey["StepResult"]()
_SPEC_FILES_KEY = pytest.StashKey[dict[Path, int]]()  # spec path -> its place in collection order
_SEVERAL_LABS_KEY = pytest.StashKey[bool]()  # more than one lab's steps were collected


def started_as_this_command(config: pytest.Config) -> bool:
    """This session is its process's command (`pytest ...`, `python -m pytest ...` from a shell),
    not a pytest.main inside a program (pytester, a script, `labcheck run`, which says so itself):
    the process ends with it, so after an interrupted run nothing of a caller's is left to give
    Ctrl-C back to. pytest's own clean-ups run after every plugin's unconfigure (a gc.collect
    among them); a Ctrl-C given back to Python's default handler there ended the process with a
    traceback and status -2 instead of 130."""
    entry = Path(sys.argv[0])
    by_pytest = entry.name in ("pytest", "py.test") or (
        entry.name == "__main__.py" and entry.parent.name == "pytest"
    )
    return by_pytest and tuple(config.invocation_params.args) == tuple(sys.argv[1:])


def out_dir_for(config: pytest.Config, lab: Lab) -> Path:
    out = config.getoption("labcheck_out")
    if not out:
        return Path("reports") / lab.id
    # Several labs in one run get a folder each under DIR: one evidence never replaces another's.
    return Path(out) / lab.id if config.stash.get(_SEVERAL_LABS_KEY, False) else Path(out)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("labcheck", "replay Docker lab specs on real engines")
    group.addoption(
        "--labcheck",
        action="store_true",
        default=False,
        help="collect lab specs (the bundled ones unless paths are given) and run their steps",
    )
    group.addoption(
        "--labcheck-target",
        action="append",
        default=[],
        metavar="NAME=DOCKER_HOST",
        help="run the lab's node NAME on this engine instead of a fresh kit node "
        "(e.g. node1=unix:///var/run/docker.sock)",
    )
    group.addoption(
        "--labcheck-workspace",
        default=None,
        metavar="DIR",
        help="folder with the student's own lab files (index.js, Dockerfile...)",
    )
    group.addoption(
        "--labcheck-out",
        default=None,
        metavar="DIR",
        help="where evidence and report go (default: reports/<lab-id>)",
    )
    group.addoption(
        "--labcheck-keep",
        action="store_true",
        default=False,
        help="keep what the lab created (containers, images, swarm) instead of removing it",
    )
    group.addoption("--labcheck-student-id", default=None, help="student identifier")
    group.addoption("--labcheck-student-name", default=None, help="student name for the report")
    group.addoption("--labcheck-group", default=None, help="student group for the report")
    group.addoption(
        "--labcheck-no-report",
        action="store_true",
        default=False,
        help="write the evidence only, no HTML/PDF report",
    )
    group.addoption(
        "--labcheck-node-transport",
        default="auto",
        choices=MODES,
        help="how the kit nodes' engines are reached: their socket, TLS on a loopback port, or "
        "docker exec (default auto: the socket where it works, TLS otherwise)",
    )
    group.addoption(
        "--labcheck-no-wait",
        action="store_true",
        default=False,
        help="if another run holds the engines, exit (status 2) naming it instead of waiting",
    )
    group.addoption(
        "--labcheck-images",
        action="store_true",
        default=False,
        help="put terminal pictures in the report as well as text",
    )
    group.addoption(
        "--labcheck-force",
        action="store_true",
        default=False,
        help="let a partial run (-k, -m, --lf, -x...) replace a complete evidence in its folder",
    )
    group.addoption(
        "--labcheck-signing-key-env",
        default=None,
        metavar="VAR",
        help=f"sign the evidence with the Ed25519 private key (PEM) in this environment variable "
        f"(default: {SIGNING_KEY_ENV}, if set)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("labcheck"):
        return
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args = [str(path) for path in bundled_spec_files()]
    from labcheck.plugin_guard import StepOrderGuard, refuse_parallel
    from labcheck.plugin_selection import SelectionTracker

    refuse_parallel(config)
    tracker = SelectionTracker(config)
    config.pluginmanager.register(StepOrderGuard(config), "labcheck-order")
    config.pluginmanager.register(tracker, "labcheck-selection")
    from labcheck.runner.targets import parse_target_options

    try:
        parse_target_options(config.getoption("labcheck_target"))
    except ValueError as error:  # before any lab is collected, as pytest's own usage errors
        raise pytest.UsageError(f"--labcheck-target: {error}") from None
    try:
        # Read once, before anything runs: a bad key stops the run instead of leaving it unsigned.
        key_variable = config.getoption("labcheck_signing_key_env")
        signing_key = private_key_from_env(key_variable)
    except LabcheckError as error:
        raise pytest.UsageError(str(error)) from None
    if key_variable:
        # Held in memory from here on: a variable of any name is gone before a step could print it
        # (LABCHECK_SIGNING_KEY itself is left out of every step's environment by name).
        os.environ.pop(key_variable, None)
    config.pluginmanager.register(LabcheckSession(config, tracker, signing_key), "labcheck-session")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # With --labcheck, only specs are collected; without it, specs are never collected.
    if config.getoption("labcheck") and collection_path.is_file():
        return collection_path.name not in SPEC_FILE_NAMES
    return None


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if parent.config.getoption("labcheck") and file_path.name in SPEC_FILE_NAMES:
        collector: pytest.Collector = LabSpecFile.from_parent(parent, path=file_path)
        return collector
    return None


class StepFailed(Exception):
    pass


_PYTEST_TIMEOUT = re.compile(r"Timeout \(>([0-9.]+)s\) from pytest-timeout")


def stop_reason(error: BaseException) -> Reason:
    """Why a step stopped from outside the runner, as the evidence keeps it."""
    timeout = _PYTEST_TIMEOUT.search(str(error))
    if timeout:
        return reasons.pytest_timeout(float(timeout.group(1)))
    if isinstance(error, KeyboardInterrupt):
        from labcheck.runner import interrupts

        return reasons.interrupted(interrupts.received() or "SIGINT", while_checking=True)
    return reasons.unexpected_stop(error)


class LabSpecFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            lab = load_lab(self.path)
        except SpecInvalid as error:
            raise self.CollectError(str(error)) from None
        files = self.config.stash.setdefault(_SPEC_FILES_KEY, {})
        file_index = files.setdefault(self.path, len(files))
        for index, step in enumerate(lab.steps):
            yield LabStepItem.from_parent(
                self, name=step.id, step=step, lab=lab, spec_position=(file_index, index)
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, self.CollectError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class LabStepItem(pytest.Item):
    def __init__(
        self, *, step: Step, lab: Lab, spec_position: tuple[int, int] = (0, 0), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.lab = lab
        self.spec_position = spec_position  # (spec file in collection order, step in its spec)
        self.replays = 0
        self.user_properties.append(("step", step.number))

    def _labcheck_session(self) -> LabcheckSession:
        session = self.config.pluginmanager.get_plugin("labcheck-session")
        assert isinstance(session, LabcheckSession)
        return session

    def setup(self) -> None:
        # Engines, kit nodes and lab files are set up once per lab, before its first step:
        # a failure there is this step's set-up error, and the session stops on it.
        self._labcheck_session().run_for(self.lab, self.session)

    def runtest(self) -> None:
        session = self._labcheck_session()
        run = session.run_for(self.lab, self.session)
        if _RESULT_KEY in self.stash:
            # A rerun plugin asked for this step again: its command already changed the
            # engines, so it never runs twice; the evidence keeps one record, its first result.
            self.replays += 1
            self._report(self.stash[_RESULT_KEY])
            return
        if self.step.id in run.outcomes:
            said = i18n.cli().format("step «{step}» already ran in this session", step=self.step.id)
            raise StepFailed(f"labcheck: {said}")
        try:
            result = run.run_step(self.step)
        except EvidenceWriteFailed as error:  # running more steps would only lose them
            self.session.shouldfail = str(error)
            raise
        except BaseException as error:
            # Stopped from outside the runner (pytest-timeout's kill, Ctrl-C during a check...):
            # the step is recorded as an error, never lost, and the exception goes on.
            if self.step.id not in run.outcomes and run.writer is not None:
                self.stash[_RESULT_KEY] = stopped = run.record_stopped(self.step, stop_reason(error))
                self._describe(stopped)
            raise
        self.stash[_RESULT_KEY] = result
        self._describe(result)
        self._report(result)

    def _describe(self, result: StepResult) -> None:
        """Once per step, replays aside: its properties, and its transcript for pytest's outputs."""
        self.user_properties.append(("outcome", result.outcome))
        if result.record.duration_s is not None:
            self.user_properties.append(("duration_s", result.record.duration_s))
        transcript = result.record.transcript.text
        if transcript:
            # pytest's outputs (JUnit system-out, pytest-html's log) show it as the step's output.
            self.add_report_section("call", "stdout", transcript)

    def _report(self, result: StepResult) -> None:
        t = i18n.cli()  # what pytest prints follows the locale, as every command line does
        if result.outcome == "skipped":
            pytest.skip(
                reason_words(result.reason, t.language) if result.reason else t.gettext("step skipped")
            )
        if result.outcome != "passed":
            raise StepFailed(result.failure_report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, (StepFailed, LabcheckError)):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = int(self.step.location.rsplit(":", 1)[-1]) if ":" in self.step.location else None
        return self.path, (line - 1 if line else None), f"{self.step.number} {self.step.title}"


class LabcheckSession:
    """The state of one `pytest --labcheck` session: one LabRun per spec, started on first use."""

    def __init__(
        self, config: pytest.Config, selection: SelectionTracker, signing_key: PrivateKey | None = None
    ) -> None:
        self.config = config
        self.selection = selection
        self.signing_key = signing_key
        self.runs: dict[Path, LabRun] = {}
        self.failures: dict[Path, LabcheckError] = {}
        self.reports: list[str] = []  # the summary's lines, in the locale's language
        self.pdf_paths: list[Path] = []  # each report's PDF: `labcheck run` ends with them
        self.step_ids: set[str] = set()  # node ids of lab steps, for pytest-html's hook
        self.guard: RunGuard | None = None

    def options_for(self, lab: Lab) -> RunOptions:
        from labcheck.runner.session import RunOptions
        from labcheck.runner.targets import parse_target_options

        workspace = self.config.getoption("labcheck_workspace")
        return RunOptions(
            out_dir=out_dir_for(self.config, lab),
            targets=parse_target_options(self.config.getoption("labcheck_target")),  # checked at configure
            workspace=Path(workspace) if workspace else None,
            keep=bool(self.config.getoption("labcheck_keep")),
            student={
                "id": self.config.getoption("labcheck_student_id"),
                "name": self.config.getoption("labcheck_student_name"),
                "group": self.config.getoption("labcheck_group"),
            },
            signing_key=self.signing_key,
            node_transport=parse_mode(self.config.getoption("labcheck_node_transport")),
        )

    def run_for(self, lab: Lab, session: pytest.Session) -> LabRun:
        if lab.path in self.failures:
            raise self.failures[lab.path]
        if lab.path not in self.runs:
            from labcheck.runner.session import LabRun

            try:
                options = self.options_for(lab)
                options.kit_nodes_given_back_by_caller = self.guard is not None
                run = LabRun(lab, options, progress=self._progress)
                run.describe_stop = stop_reason
                self.runs[lab.path] = run
                run.start()
            except LabcheckError as error:
                # Said once, on the first step: no later step could run without it.
                self.failures[lab.path] = error
                said = i18n.cli().format("lab {lab} could not be set up, so no step ran", lab=lab.id)
                session.shouldfail = f"labcheck: {said}"
                raise
            if run.writer is not None:
                run.writer.record_selection(self.selection.selected_ids(lab))
        return self.runs[lab.path]

    def _progress(self, message: str) -> None:
        if self.config.getoption("verbose") > 1:
            print(f"\nlabcheck: {message}", file=sys.stderr)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
        outcome = yield
        report = outcome.get_result()  # type: ignore[attr-defined]
        if isinstance(item, LabStepItem):
            self.step_ids.add(item.nodeid)
            error = call.excinfo.value if call.excinfo is not None else None
            if call.when == "setup" and isinstance(error, LabcheckError):
                # The set-up error in the user's terms (pytest shows set-up errors as tracebacks).
                report.longrepr = f"{item.lab.path}: {error}"
        if call.when != "call" or not isinstance(item, LabStepItem) or _RESULT_KEY not in item.stash:
            return
        result = item.stash[_RESULT_KEY]
        if report.skipped and isinstance(report.longrepr, tuple):
            # Point at the step in the spec, not at the plugin line that called pytest.skip.
            path, line, _ = item.reportinfo()
            report.longrepr = (str(path), (line or 0) + 1, report.longrepr[2])
        if self.config.pluginmanager.hasplugin("html"):
            report.extras = getattr(report, "extras", []) + _html_extras(result)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_html(self, report: pytest.TestReport, data: list[str]) -> None:
        # pytest-html prints a skip's longrepr as a Python tuple: show the reason instead.
        if report.skipped and isinstance(report.longrepr, tuple) and report.nodeid in self.step_ids:
            path, line, reason = report.longrepr
            data[:] = [html_escape(f"{path}:{line}: {reason.removeprefix('Skipped: ')}") + "\n", *data[1:]]

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Before the first step: check what the runs need and take their engines' lock."""
        steps = [item for item in session.items if isinstance(item, LabStepItem)]
        labs = list({item.lab.path: item.lab for item in steps}.values())
        if self.config.option.collectonly or not labs:
            return
        from labcheck.runner import interrupts
        from labcheck.runner.guard import RunGuard

        interrupts.install()
        if started_as_this_command(self.config):
            interrupts.command_owns_process()
        guard = RunGuard()
        try:
            plans = [(lab, self.options_for(lab)) for lab in labs]
            guard.prepare(plans, wait=not self.config.getoption("labcheck_no_wait"), say=_tell)
        except LabcheckError as error:
            pytest.exit(f"labcheck: {error}", returncode=2)
        self.guard = guard

    @pytest.hookimpl(trylast=True)  # after -k and -m have deselected what they leave out
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        labs = {item.lab.path for item in items if isinstance(item, LabStepItem)}
        self.config.stash[_SEVERAL_LABS_KEY] = len(labs) > 1

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        """A lab whose last step has run is finished before the next lab starts: the next one may
        take the same kit nodes afresh, and the evidence must record this lab's images, not its."""
        from labcheck.runner import interrupts

        if not isinstance(item, LabStepItem) or nextitem is None:
            return  # the session's end finishes the last lab
        if isinstance(nextitem, LabStepItem) and nextitem.lab.path == item.lab.path:
            return
        session = item.session
        if session.shouldstop or session.shouldfail or interrupts.received() is not None:
            return  # stopping: the session's end says why each step did not run
        run = self.runs.get(item.lab.path)
        if run is not None and not run.finished:
            self._finish(run, session, pytest.ExitCode.OK, interrupted=False)

    def _finish(self, run: LabRun, session: pytest.Session, exitstatus: int, *, interrupted: bool) -> None:
        if run.writer is not None:
            not_run = self.selection.not_run(run.lab, set(run.outcomes), session, exitstatus)
            try:
                run.writer.record_selection(self.selection.selected_ids(run.lab), not_run)
            except EvidenceWriteFailed as error:  # a full disk: finish() says so once
                run.evidence_problem = error.summary()
        run.finish(interrupted=interrupted)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        from labcheck.runner import interrupts

        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED or interrupts.received() is not None
        for run in self.runs.values():
            if not run.finished:
                self._finish(run, session, exitstatus, interrupted=interrupted)
        if self.guard is not None:
            self.guard.give_back(list(self.runs.values()))
        t = i18n.cli()
        for run in self.runs.values():
            if run.writer is None:
                continue  # the run never started: its error was reported on the first step
            self.reports.append(t.format("evidence: {path}", path=run.evidence_path))
            if run.evidence_problem:
                self.reports.append(t.format("evidence: {problem}", problem=run.evidence_problem))
                continue
            if self.signing_key is not None:
                from labcheck.signing.files import envelope_path

                key_id = self.signing_key.public.key_id
                self.reports.append(
                    t.format(
                        "signature: {path} (key {key}…)",
                        path=envelope_path(run.evidence_path),
                        key=key_id[:16],
                    )
                )
            if not self.config.getoption("labcheck_no_report"):
                try:
                    self.reports.extend(self._render(run, t))
                except KeyboardInterrupt:
                    self.reports.append(t.gettext("report: not made (interrupted)"))
        if interrupts.received() is not None:
            session.exitstatus = interrupts.EXIT_STATUS
        interrupts.settle()

    @pytest.hookimpl(trylast=True)  # after the other plugins' own, which a Ctrl-C must not cut
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        from labcheck.runner import interrupts

        interrupts.uninstall()

    def _render(self, run: LabRun, t: i18n.Translator) -> list[str]:
        try:
            from labcheck.report.api import ReportOptions, render_report

            paths = render_report(
                run.evidence_path,
                run.options.out_dir,
                options=ReportOptions(
                    student_name=run.options.student.get("name"),
                    group=run.options.student.get("group"),
                    images=bool(self.config.getoption("labcheck_images")),
                    spec=run.lab,
                ),
            )
        except Exception as error:  # a report failure must never lose the evidence
            return [t.format("report: could not be made ({error})", error=error)]
        lines = [t.format("HTML report: {path}", path=paths.html)]
        if paths.pdf is not None:
            self.pdf_paths.append(paths.pdf)
            lines.append(t.format("PDF report: {path}", path=paths.pdf))
        return lines

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        t = i18n.cli()
        replayed = sum(1 for item in self.selection.items if item.replays)
        if replayed:
            again = t.ngettext(
                "{count} rerun step reported its first result again",
                "{count} rerun steps reported their first result again",
                replayed,
            ).format(count=t.number(replayed))
            self.reports.append(t.format("reruns: a lab step never runs twice; {again}", again=again))
        if self.reports:
            terminalreporter.write_sep("-", "labcheck")
            for line in self.reports:
                terminalreporter.write_line(line)
            for run in self.runs.values():
                for note in run.cleanup_notes:
                    terminalreporter.write_line(t.format("clean-up: {note}", note=note))


def _tell(message: str) -> None:
    print(f"labcheck: {message}", file=sys.stderr, flush=True)


def _html_extras(result: StepResult) -> list[Any]:
    try:
        from pytest_html import extras

        from labcheck.report.api import step_html_extra, terminal_png
    except ImportError:
        return []
    png = base64.b64encode(terminal_png(result.record)).decode()
    return [extras.html(step_html_extra(result.record)), extras.png(png, name=result.step_id)]
