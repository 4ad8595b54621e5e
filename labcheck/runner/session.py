"""One run of a lab: set up the targets, run each step, keep the evidence, clean up."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import docker.errors
import msgspec

from labcheck import i18n
from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.checks.record import FAILED, PASSED, SKIPPED, CheckRecord
from labcheck.errors import LabcheckError
from labcheck.evidence import reasons
from labcheck.evidence.model import Capability, Engine, Reason
from labcheck.evidence.model import Target as Target_
from labcheck.evidence.writer import EvidenceWriteFailed, EvidenceWriter
from labcheck.kit.transport import Mode
from labcheck.runner import captures as capture_ops
from labcheck.runner import interrupts, inventory, sandbox
from labcheck.runner.lab_files import gather_lab_files
from labcheck.runner.process import ProcessResult, Seen, run_command
from labcheck.runner.records import step_record, streams_of
from labcheck.runner.sandbox import ENGINE_ERRORS
from labcheck.runner.state_checks import Baseline, judge_state
from labcheck.runner.step_result import StepResult
from labcheck.runner.step_trace import (
    StepTrace,
    engine_error_reason,
    engine_error_text,
    remove_new_containers,
)
from labcheck.runner.targets import Target, is_local, refuse_engine_needs
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab, Matcher, StateCheck, Step, TypedLine
from labcheck.spec.placeholders import MissingValue, substitute, substitute_known
from labcheck.spec.texts import plain
from labcheck.terminal import to_text

Progress = Callable[[str], None]
ERROR = "error"


@dataclass
class RunOptions:
    out_dir: Path
    targets: dict[str, str] = field(default_factory=dict)  # NAME=DOCKER_HOST; empty: kit nodes
    workspace: Path | None = None
    keep: bool = False
    student: dict[str, str | None] = field(default_factory=dict)
    # Kit nodes are given back by the caller (in the background, holding their lock) when set.
    kit_nodes_given_back_by_caller: bool = False
    signing_key: PrivateKey | None = None  # the course's key: the evidence is signed at the end
    node_transport: Mode = "auto"  # how the SDK reaches kit nodes (labcheck.kit.transport)


class LabRun:
    def __init__(self, lab: Lab, options: RunOptions, progress: Progress | None = None) -> None:
        self.lab = lab
        self.options = options
        self.progress = progress or (lambda message: None)
        self.targets: dict[str, Target] = {}
        self.baselines: dict[str, inventory.Inventory] = {}
        self.values: dict[str, str] = lab.values_for_student(options.student.get("id"))
        self.outcomes: dict[str, str] = {}
        self.capabilities: dict[str, Capability] = {}
        self.writer: EvidenceWriter | None = None
        self.cleanup_notes: list[str] = []
        # Why another plugin stopped a step; the caller that knows the plugin may say it better.
        self.describe_stop: Callable[[BaseException], Reason] = reasons.unexpected_stop
        self.finished = False
        self.kit_nodes_to_give_back: list[str] = []
        self.evidence_problem: str | None = None  # the evidence could not be written (full disk...)

    @property
    def evidence_path(self) -> Path:
        return self.options.out_dir / "evidence.json"

    # -- setting up -------------------------------------------------------------------------

    def start(self) -> None:
        """Set up every target; any failure is one LabcheckError in the user's terms."""
        try:
            self._start()
        except LabcheckError:
            raise
        except (*ENGINE_ERRORS, subprocess.SubprocessError, OSError) as error:
            said = i18n.cli().format(
                "setting up the lab's engines failed: {error}", error=engine_error_text(error)
            )
            raise LabcheckError(said) from None

    def _start(self) -> None:
        # Before any node is touched: a refused file (named, with why) stops the run here.
        files = gather_lab_files(self.lab, self.options.workspace, host_targets=bool(self.options.targets))
        where = "targets" if self.options.targets else "kit-nodes"
        if self.options.targets:
            self.targets, self.capabilities = sandbox.named_targets(
                self.lab.nodes, self.options.targets, self.options.out_dir / "homes"
            )
        else:
            # Recreating a node is never cut half-way: a Ctrl-C then acts once it is done.
            with interrupts.deferred():
                self.targets, self.capabilities = sandbox.kit_targets(
                    self.lab.nodes, self.progress, self.options.node_transport
                )
        refuse_engine_needs(self.lab, [name for name, target in self.targets.items() if is_local(target)])
        facts: dict[str, Target_] = {}
        for name, target in self.targets.items():
            facts[name] = Target_(
                kind=target.kind,
                docker_host=target.docker_host,
                transport=getattr(target, "transport", None),  # kit nodes only
                engine=msgspec.convert(target.engine_facts(), Engine),  # a local node's: this machine's
            )
            if not is_local(target):
                self.baselines[name] = inventory.take_inventory(target.client())
        for node, named_files in files.items():
            try:
                self.targets[node].put_files(named_files, self.lab.default_workdir)
            except (*ENGINE_ERRORS, subprocess.SubprocessError, OSError) as error:
                raise LabcheckError(
                    i18n.cli().format(
                        "copying the lab's files into node {node} failed: {error}",
                        node=node,
                        error=engine_error_text(error),
                    )
                ) from None
        self.writer = EvidenceWriter(
            self.evidence_path,
            self.lab,
            student=self.options.student,
            targets=facts,
            sandbox=where,
            workspace=str(self.options.workspace) if self.options.workspace else None,
            capabilities=self.capabilities,
            signing_key=self.options.signing_key,
        )

    # -- running a step ---------------------------------------------------------------------

    def run_step(self, step: Step) -> StepResult:
        """Run one step and record it, once, whatever happens: an engine that stops answering is
        an error of that step naming the node, an interruption keeps what the step printed."""
        if self.writer is None:
            raise LabcheckError(i18n.cli().gettext("the lab's engines were not set up, so no step can run"))
        trace, writer = StepTrace(), self.writer
        steps_before = len(writer.steps)

        def record_once(reason: Reason) -> StepResult:
            if len(writer.steps) == steps_before:
                return self._record_trace(step, trace, ERROR, reason)
            last = writer.steps[-1]  # already recorded: never twice
            return StepResult(step.id, last.outcome, last.reason, last, trace.checks, step.title, step.hint)

        try:
            return self._run_step(step, trace)
        except ENGINE_ERRORS as error:
            return record_once(engine_error_reason(self._silent_node(step), error))
        except KeyboardInterrupt:
            record_once(self._interrupted_reason(trace))
            raise
        except LabcheckError:
            raise  # the evidence cannot be written: recording again would fail the same way
        except Exception as error:
            record_once(reasons.internal_error(error))
            raise
        except BaseException as stopped:  # another plugin stopped the step (pytest-timeout...)
            record_once(self.describe_stop(stopped))
            raise

    def record_stopped(self, step: Step, reason: Reason) -> StepResult:
        """A step stopped from outside the runner (a pytest plugin's timeout): an error, never lost."""
        return self._record(step, ERROR, reason, None, [], attempts=1)

    def _run_step(self, step: Step, trace: StepTrace) -> StepResult:
        skip_reason = self._skip_reason(step)
        if skip_reason is not None:
            return self._record(step, SKIPPED, skip_reason, None, [], attempts=0)
        try:
            command = substitute(step.run, self.values)
            typed = tuple(TypedLine(substitute(t.send, self.values), t.wait_for) for t in step.input)
            workdir = substitute(step.workdir, self.values)
        except MissingValue as missing:
            return self._record(step, SKIPPED, reasons.missing_value(missing.args[0]), None, [], attempts=0)
        trace.command, trace.typed, trace.workdir = command, typed, workdir
        target = self.targets[step.node]
        deadline = time.monotonic() + (step.eventually.timeout_s if step.eventually else 0)
        while True:
            trace.attempts += 1
            trace.result, trace.streams, trace.checks = None, None, []
            local = is_local(target)  # no engine: no container to list before, or remove after
            before = set() if local else capture_ops.containers_now(target.client())
            invocation = target.invocation(command, workdir, step.uses_pty)
            self.progress(f"{step.number} {command}")

            def stop_what_the_step_started(before: set[str] = before, local: bool = local) -> None:
                target.stop_step()
                if not local:
                    trace.removed_containers = remove_new_containers(target.client(), before)

            # Once seen, only the command is stopped: what it started is the lab's, as after any step.
            until_seen = _until_seen(step.until, self.values) if step.until is not None else None

            result = run_command(
                invocation.argv,
                env=invocation.env,
                cwd=invocation.cwd,
                use_pty=step.uses_pty,
                typed=typed,
                prompt=step.prompt,
                timeout_s=step.timeout_s,
                on_timeout=stop_what_the_step_started,
                until=until_seen,
                on_seen=target.stop_step,
            )
            streams = streams_of(result)
            trace.result, trace.streams = result, streams
            checks = self._capture(step, target, streams["output"], before)
            trace.checks = checks
            checks += self._until(step, result, streams)
            checks += self._judge(step, result, streams)
            if step.eventually is not None:
                # Under a step-level `eventually`, the state is judged afresh on every attempt.
                checks += self._state_checks(step, patient=False)
            passed = all(check.verdict != FAILED for check in checks)
            finished = result.timed_out or result.interrupted or time.monotonic() >= deadline
            if passed or step.eventually is None or finished:
                break
            time.sleep(step.eventually.interval_s)
        if step.eventually is None and not result.interrupted:
            checks += self._state_checks(step, patient=True)
        trace.checks = checks
        outcome = PASSED if all(c.verdict != FAILED for c in checks) else FAILED
        reason = None
        if result.timed_out:
            outcome, reason = FAILED, reasons.timed_out(step.timeout_s, trace.removed_containers)
        if result.interrupted:
            outcome, reason = ERROR, self._interrupted_reason(trace)
        recorded = self._record_trace(step, trace, outcome, reason)
        if result.interrupted:
            raise KeyboardInterrupt
        return recorded

    def _interrupted_reason(self, trace: StepTrace) -> Reason:
        return reasons.interrupted(interrupts.received() or "SIGINT", trace.removed_containers)

    def _silent_node(self, step: Step) -> str:
        """The node whose engine stopped answering: the first of the step's nodes that does not."""
        names = dict.fromkeys([step.node, *(check.on for check in step.state_checks if check.on)])
        for name in names:
            if name is None or name not in self.targets or is_local(self.targets[name]):
                continue
            try:
                self.targets[name].client().ping()
            except ENGINE_ERRORS:
                return name
        return step.node

    def _record_trace(self, step: Step, trace: StepTrace, outcome: str, reason: Reason | None) -> StepResult:
        return self._record(
            step,
            outcome,
            reason,
            trace.result,
            trace.checks,
            attempts=trace.attempts,
            command=trace.command,
            typed=trace.typed,
            workdir=trace.workdir,
            streams=trace.streams,
        )

    def _skip_reason(self, step: Step) -> Reason | None:
        for needed in step.needs:
            outcome = self.outcomes.get(needed)
            if outcome != PASSED:
                return reasons.needs(needed, outcome)
        return self._missing_capability(step.requires)

    def _missing_capability(self, names: tuple[str, ...]) -> Reason | None:
        for capability in names:
            info = self.capabilities.get(capability)
            if info is None or not info.available:
                return reasons.capability_missing(capability, info.reason if info else None)
        return None

    def _capture(self, step: Step, target: Target, output: str, before: set[str]) -> list[CheckRecord]:
        records = []
        for capture in step.captures:
            try:
                value = capture_ops.capture_value(
                    capture,
                    client=None if is_local(target) else target.client(),
                    output_text=output,
                    containers_before=before,
                    values=self.values,
                )
            except (capture_ops.CaptureFailed, docker.errors.DockerException, KeyError) as error:
                records.append(
                    CheckRecord(
                        code="capture",
                        expected=capture.source,
                        observed=None,
                        verdict=FAILED,
                        reason=_capture_reason(error, step.node),
                        rule={"capture": capture.name},
                    )
                )
                continue
            self.values[capture.name] = value
        return records

    def _until(self, step: Step, result: ProcessResult, streams: Mapping[str, str]) -> list[CheckRecord]:
        """What the step waited for, judged on the whole transcript: `until.<kind>`, with the
        fact that labcheck stopped the command for it (a reason), or that it ended by itself."""
        if step.until is None:
            return []
        record = judge_output_rule(step.until.rule(), streams, self.values)
        record.code = "until." + record.code.partition(".")[2]
        record.says = plain(step.until.says)
        if result.stopped_when_seen:
            record.reason = reasons.stopped_when_seen(result.duration_s)
        return [record]

    def _judge(self, step: Step, result: ProcessResult, streams: Mapping[str, str]) -> list[CheckRecord]:
        checks: list[CheckRecord] = []
        if step.exit_code is not None:
            checks.append(judge_exit_code(step.exit_code, result.exit_code, result.timed_out))
        for matcher in step.matchers:
            record = judge_output_rule(matcher.rule(), streams, self.values)
            record.says = plain(matcher.says or matcher.description)
            checks.append(record)
        return checks

    def _state_checks(self, step: Step, *, patient: bool) -> list[CheckRecord]:
        return [self._state_check(step, check, patient=patient) for check in step.state_checks]

    def _state_check(self, step: Step, check: StateCheck, *, patient: bool) -> CheckRecord:
        missing = self._missing_capability(check.requires)
        said, on = plain(check.says or check.description), check.on if check.on != step.node else None
        if missing:
            return CheckRecord(
                code=f"state.{check.kind}",
                expected=check.params,
                observed=None,
                verdict=SKIPPED,
                reason=missing,
                rule={check.kind: check.params},
                says=said,
                on=on,
            )
        target = self.targets[check.on or step.node]
        try:
            params = {key: _fill(value, self.values) for key, value in check.params.items()}
        except MissingValue as absent:
            return CheckRecord(
                code=f"state.{check.kind}",
                expected=check.params,
                observed=None,
                verdict=FAILED,
                reason=reasons.missing_value(absent.args[0]),
                rule={check.kind: check.params},
                says=said,
                on=on,
            )
        baseline = Baseline(container_ids=self.baselines[target.name].containers)
        deadline = time.monotonic() + (check.eventually.timeout_s if check.eventually and patient else 0)
        attempts = 0
        while True:
            attempts += 1
            record = judge_state(check.kind, target.client(), params, baseline, node=target.name)
            if record.passed or check.eventually is None or time.monotonic() >= deadline:
                break
            time.sleep(check.eventually.interval_s)
        record.attempts, record.says, record.on = attempts, said, on
        return record

    def _record(
        self,
        step: Step,
        outcome: str,
        reason: Reason | None,
        result: ProcessResult | None,
        checks: list[CheckRecord],
        *,
        attempts: int,
        command: str | None = None,
        typed: tuple[TypedLine, ...] = (),
        workdir: str | None = None,
        streams: Mapping[str, str] | None = None,
    ) -> StepResult:
        assert self.writer is not None
        unchained = step_record(
            step,
            outcome=outcome,
            reason=reason,
            result=result,
            checks=checks,
            attempts=attempts,
            command=command if command is not None else substitute_known(step.run, self.values),
            workdir=workdir or step.workdir,
            typed=typed or step.input,
            streams=streams,
            values=self.values,
        )
        self.outcomes[step.id] = outcome
        with interrupts.deferred():  # a signal never cuts an evidence write short
            record = self.writer.add_step(unchained)
        return StepResult(step.id, outcome, reason, record, checks, step.title, step.hint)

    # -- finishing ----------------------------------------------------------------------------

    def finish(self, *, interrupted: bool = False, total_steps: int | None = None) -> None:
        """Write the evidence, then give the engines back; signals wait until both are done."""
        if self.finished:
            return
        self.finished = True
        with interrupts.deferred(act_after=False):
            images = sandbox.image_facts(self.targets, self.baselines)
            if self.writer is not None:
                try:
                    self.writer.finish(
                        status="interrupted" if interrupted else "complete",
                        images=images,
                        total_steps=total_steps if total_steps is not None else len(self.lab.steps),
                    )
                except EvidenceWriteFailed as error:
                    self.evidence_problem = error.summary()
            if self.options.keep:
                return
            kit_nodes = sandbox.kit_nodes_of(self.targets)
            if kit_nodes is not None and self.options.kit_nodes_given_back_by_caller:
                self.kit_nodes_to_give_back = kit_nodes
            else:
                sandbox.give_back(self.targets, self.baselines, self.cleanup_notes)


def _until_seen(until: Matcher, values: Mapping[str, str]) -> Seen:
    """Whether the output so far holds what the step waits for, rendered as the student sees it."""
    rule = until.rule()

    def seen(combined: bytes, stdout: bytes, stderr: bytes) -> bool:
        chosen = {"output": combined, "stdout": stdout, "stderr": stderr}[until.stream]
        return judge_output_rule(rule, {until.stream: to_text(chosen)}, values).passed

    return seen


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def _capture_reason(error: Exception, node: str) -> Reason:
    """Why a capture found no value, as a code and its facts (never a sentence in the evidence)."""
    if isinstance(error, capture_ops.CaptureFailed):
        return error.reason
    if isinstance(error, KeyError):  # a value the capture's reference names was never captured
        return reasons.missing_value(str(error.args[0]) if error.args else "?")
    return engine_error_reason(node, error)
