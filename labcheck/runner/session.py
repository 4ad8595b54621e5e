"""One run of a lab: set up the targets, run each step, keep the evidence, clean up."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import docker.errors
import requests

from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.checks.record import FAILED, PASSED, SKIPPED, CheckRecord
from labcheck.errors import EngineUnreachable, LabcheckError
from labcheck.evidence.chain import SIGNING_KEY_ENV
from labcheck.evidence.writer import EvidenceWriter
from labcheck.kit.engine import client_at
from labcheck.runner import captures as capture_ops
from labcheck.runner import inventory
from labcheck.runner.process import ProcessResult, run_command
from labcheck.runner.records import step_record, streams_of
from labcheck.runner.state_checks import Baseline, judge_state
from labcheck.runner.step_result import StepResult
from labcheck.runner.targets import HostTarget, KitNodeTarget, Target, clear_workspace
from labcheck.spec.model import Lab, StateCheck, Step, TypedLine
from labcheck.spec.placeholders import MissingValue, substitute

Progress = Callable[[str], None]
ERROR = "error"
# What a missing capability means, in the report's language; the kit's own wording stays in "detail".
CAPABILITY_REASONS_ES = {
    "routing_mesh": "el núcleo de este equipo no tiene IPVS, así que la malla de enrutamiento "
    "(routing mesh) del Swarm no lleva tráfico a los puertos publicados",
    "real_images": "las imágenes vienen del registro local del kit sin conexión: son sustitutas "
    "etiquetadas (io.labcheck.standin=true), no las de Docker Hub",
}
# The SDK lets some connection failures through as requests' own exceptions.
ENGINE_ERRORS = (docker.errors.DockerException, requests.exceptions.RequestException, EngineUnreachable)


@dataclass
class RunOptions:
    out_dir: Path
    targets: dict[str, str] = field(default_factory=dict)  # NAME=DOCKER_HOST; empty: kit nodes
    workspace: Path | None = None
    keep: bool = False
    student: dict[str, str | None] = field(default_factory=dict)


def student_values(lab: Lab, student_id: str | None) -> dict[str, str]:
    """Per-student values, so one student's evidence does not verify for another."""
    identity = student_id or "anonimo"
    digest = hashlib.sha256(f"{lab.id}\0{identity}".encode()).hexdigest()[:8]
    return {v.name: v.template.format(student_id=identity, hash=digest) for v in lab.student_values}


class LabRun:
    def __init__(self, lab: Lab, options: RunOptions, progress: Progress | None = None) -> None:
        self.lab = lab
        self.options = options
        self.progress = progress or (lambda message: None)
        self.targets: dict[str, Target] = {}
        self.baselines: dict[str, inventory.Inventory] = {}
        self.values: dict[str, str] = student_values(lab, options.student.get("id"))
        self.outcomes: dict[str, str] = {}
        self.capabilities: dict[str, dict[str, Any]] = {}
        self.writer: EvidenceWriter | None = None
        self.cleanup_notes: list[str] = []
        self.finished = False

    @property
    def evidence_path(self) -> Path:
        return self.options.out_dir / "evidence.json"

    # -- setting up -------------------------------------------------------------------------

    def start(self) -> None:
        sandbox = "targets" if self.options.targets else "kit-nodes"
        if self.options.targets:
            self._named_targets()
        else:
            self._kit_targets()
        facts: dict[str, dict[str, Any]] = {}
        for name, target in self.targets.items():
            facts[name] = {
                "kind": target.kind,
                "docker_host": target.docker_host,
                "engine": target.engine_facts(),
            }
            self.baselines[name] = inventory.take_inventory(target.client())
        self._put_lab_files()
        key = os.environ.get(SIGNING_KEY_ENV)
        self.writer = EvidenceWriter(
            self.evidence_path,
            self.lab,
            student=self.options.student,
            targets=facts,
            sandbox=sandbox,
            workspace=str(self.options.workspace) if self.options.workspace else None,
            capabilities=self.capabilities,
            signing_key=key.encode() if key else None,
            key_id=os.environ.get("LABCHECK_SIGNING_KEY_ID"),
        )

    def _kit_targets(self) -> None:
        from labcheck.kit import api as kit

        nodes = _pristine_nodes(self.lab.nodes)
        if nodes is None:
            self.progress(f"preparing fresh nodes: {', '.join(self.lab.nodes)}")
            nodes = kit.fresh_nodes(self.lab.nodes)
        for name, node in nodes.items():
            self.targets[name] = KitNodeTarget(name, node.container, node.docker_host)
        self.capabilities = {
            name: {
                "available": cap.available,
                "reason": CAPABILITY_REASONS_ES.get(name, cap.reason) if not cap.available else cap.reason,
                "detail": cap.reason,
            }
            for name, cap in kit.capabilities().items()
        }

    def _named_targets(self) -> None:
        # Each node's home is a fresh folder of the run's own, never the student's workspace:
        # the lab edits index.js and clones into it, and a second run must start clean.
        homes = (self.options.out_dir / "homes").resolve()
        missing = [node for node in self.lab.nodes if node not in self.options.targets]
        if missing:
            raise LabcheckError(
                f"the lab needs the nodes {', '.join(self.lab.nodes)}; no target given for "
                f"{', '.join(missing)} (use --labcheck-target NAME=DOCKER_HOST)"
            )
        for name in self.lab.nodes:
            folder = homes / name
            clear_workspace(folder)
            self.targets[name] = HostTarget(name, self.options.targets[name], folder)
        # A user's own engine: nothing proves IPVS is missing, so the routing mesh is assumed.
        self.capabilities = {"routing_mesh": {"available": True, "reason": "engine named by the user"}}

    def _put_lab_files(self) -> None:
        by_node: dict[str, dict[str, bytes]] = {}
        for lab_file in self.lab.files:
            source = lab_file.source
            if self.options.workspace is not None and lab_file.student_may_replace:
                replacement = self.options.workspace / lab_file.path
                if replacement.is_file():
                    source = replacement
            by_node.setdefault(lab_file.node, {})[lab_file.path] = source.read_bytes()
        for node, files in by_node.items():
            self.targets[node].put_files(files, self.lab.default_workdir)

    # -- running a step ---------------------------------------------------------------------

    def run_step(self, step: Step) -> StepResult:
        """Run one step and record it; an engine that stops answering is an error of that step."""
        try:
            return self._run_step(step)
        except ENGINE_ERRORS as error:
            reason = f"el motor de Docker no respondió: {error}"
            return self._record(step, ERROR, reason, None, [], attempts=0)

    def _run_step(self, step: Step) -> StepResult:
        assert self.writer is not None, "start() first"
        skip_reason = self._skip_reason(step)
        if skip_reason is not None:
            return self._record(step, SKIPPED, skip_reason, None, [], attempts=0)
        try:
            command = substitute(step.run, self.values)
            typed = tuple(TypedLine(substitute(t.send, self.values), t.wait_for) for t in step.input)
            workdir = substitute(step.workdir, self.values)
        except MissingValue as missing:
            missing_value = f"omitido: falta el valor «{missing.args[0]}», que debía dar un paso anterior"
            return self._record(step, SKIPPED, missing_value, None, [], attempts=0)
        target = self.targets[step.node]
        deadline = time.monotonic() + (step.eventually.timeout_s if step.eventually else 0)
        attempts = 0
        while True:
            attempts += 1
            before = (
                capture_ops.containers_now(target.client())
                if capture_ops.needs_container_snapshot(step.captures)
                else set()
            )
            invocation = target.invocation(command, workdir, step.uses_pty)
            self.progress(f"{step.number} {command}")
            result = run_command(
                invocation.argv,
                env=invocation.env,
                cwd=invocation.cwd,
                use_pty=step.uses_pty,
                typed=typed,
                prompt=step.prompt,
                timeout_s=step.timeout_s,
                on_timeout=target.stop_step,
            )
            streams = streams_of(result)
            checks = self._capture(step, target, streams["output"], before)
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
        outcome = PASSED if all(c.verdict != FAILED for c in checks) else FAILED
        reason = None
        if result.timed_out:
            outcome = FAILED
            reason = (
                f"se agotó el tiempo ({step.timeout_s:g} s): se detuvo la orden y se guardó su salida parcial"
            )
        if result.interrupted:
            outcome, reason = ERROR, "interrumpido (Ctrl-C): se detuvo la orden y se guardó su salida parcial"
        recorded = self._record(
            step,
            outcome,
            reason,
            result,
            checks,
            attempts=attempts,
            command=command,
            typed=typed,
            workdir=workdir,
            streams=streams,
        )
        if result.interrupted:
            raise KeyboardInterrupt
        return recorded

    def _skip_reason(self, step: Step) -> str | None:
        for needed in step.needs:
            outcome = self.outcomes.get(needed)
            if outcome != PASSED:
                state = {"failed": "falló", "skipped": "se omitió", "error": "dio un error"}.get(
                    outcome or "", "no se ejecutó"
                )
                return f"omitido: depende del paso «{needed}», que {state}"
        missing = self._missing_capability(step.requires)
        return f"omitido: {missing}" if missing else None

    def _missing_capability(self, names: tuple[str, ...]) -> str | None:
        for capability in names:
            info = self.capabilities.get(capability, {"available": False, "reason": "desconocida"})
            if not info.get("available"):
                return f"este motor no ofrece «{capability}»: {info.get('reason')}"
        return None

    def _capture(self, step: Step, target: Target, output: str, before: set[str]) -> list[CheckRecord]:
        records = []
        for capture in step.captures:
            try:
                value = capture_ops.capture_value(
                    capture,
                    client=target.client(),
                    output_text=output,
                    containers_before=before,
                    values=self.values,
                )
            except (capture_ops.CaptureFailed, docker.errors.DockerException, KeyError) as error:
                records.append(
                    CheckRecord(
                        kind="capture",
                        description=f"capturar «{capture.name}»",
                        expected=capture.source,
                        actual=str(error),
                        verdict=FAILED,
                        rule={"capture": capture.name},
                    )
                )
                continue
            self.values[capture.name] = value
        return records

    def _judge(self, step: Step, result: ProcessResult, streams: Mapping[str, str]) -> list[CheckRecord]:
        checks: list[CheckRecord] = []
        if step.exit_code is not None:
            checks.append(judge_exit_code(step.exit_code, result.exit_code, result.timed_out))
        for matcher in step.matchers:
            record = judge_output_rule(matcher.rule(), streams, self.values)
            if matcher.description:
                record.description = matcher.description
            checks.append(record)
        return checks

    def _state_checks(self, step: Step, *, patient: bool) -> list[CheckRecord]:
        return [self._state_check(step, check, patient=patient) for check in step.state_checks]

    def _state_check(self, step: Step, check: StateCheck, *, patient: bool) -> CheckRecord:
        missing = self._missing_capability(check.requires)
        if missing:
            return CheckRecord(
                kind="state",
                description=check.description or check.kind,
                expected=check.params,
                actual=None,
                verdict=SKIPPED,
                reason=missing,
                rule={check.kind: check.params},
            )
        target = self.targets[check.on or step.node]
        try:
            params = {key: _fill(value, self.values) for key, value in check.params.items()}
        except MissingValue as absent:
            return CheckRecord(
                kind="state",
                description=check.kind,
                expected=check.params,
                actual=f"falta el valor «{absent.args[0]}»",
                verdict=FAILED,
                rule={check.kind: check.params},
            )
        baseline = Baseline(container_ids=self.baselines[target.name].containers)
        deadline = time.monotonic() + (check.eventually.timeout_s if check.eventually and patient else 0)
        attempts = 0
        while True:
            attempts += 1
            record = judge_state(check.kind, target.client(), params, baseline)
            if record.passed or check.eventually is None or time.monotonic() >= deadline:
                break
            time.sleep(check.eventually.interval_s)
        record.attempts = attempts
        if check.description:
            record.description = check.description
        if check.on and check.on != step.node:
            record.description += f" (en {check.on})"
        return record

    def _record(
        self,
        step: Step,
        outcome: str,
        reason: str | None,
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
        record = step_record(
            step,
            outcome=outcome,
            reason=reason,
            result=result,
            checks=checks,
            attempts=attempts,
            command=command if command is not None else _best_effort(step.run, self.values),
            workdir=workdir or step.workdir,
            typed=typed or step.input,
            streams=streams,
            values=self.values,
        )
        self.writer.add_step(record)
        self.outcomes[step.id] = outcome
        return StepResult(step.id, outcome, reason, record, checks)

    # -- finishing ----------------------------------------------------------------------------

    def finish(self, *, interrupted: bool = False, total_steps: int | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        images = self._image_facts()
        if not self.options.keep:
            self.cleanup()
        if self.writer is not None:
            self.writer.finish(
                status="interrupted" if interrupted else "complete",
                images=images,
                total_steps=total_steps if total_steps is not None else len(self.lab.steps),
            )

    def _image_facts(self) -> list[dict[str, Any]]:
        facts = []
        for name, target in self.targets.items():
            try:
                added = inventory.images_added(target.client(), self.baselines[name])
            except ENGINE_ERRORS:
                continue
            for image in added:
                labels = image.attrs.get("Config", {}).get("Labels") or {}
                facts.append(
                    {
                        "target": name,
                        "id": image.id,
                        "tags": list(image.tags),
                        "repo_digests": list(image.attrs.get("RepoDigests") or []),
                        "layers": list(image.attrs.get("RootFS", {}).get("Layers") or []),
                        # Images built on a stand-in inherit its labels; only pulled ones are stand-ins.
                        "standin": labels.get("io.labcheck.standin") == "true"
                        and bool(image.attrs.get("RepoDigests")),
                        "standin_of": labels.get("io.labcheck.standin.of"),
                    }
                )
        return facts

    def cleanup(self) -> None:
        """Remove what the lab made on every target, and nothing older."""
        if self._reset_sandbox():
            return
        self._remove_what_the_lab_added()

    def _reset_sandbox(self) -> bool:
        """Kit nodes were empty when the run began, so everything on them is the lab's: giving
        them back empty removes exactly that, in about a second instead of one object at a time."""
        if not self.targets or not all(isinstance(t, KitNodeTarget) for t in self.targets.values()):
            return False
        from labcheck.kit import api as kit

        try:
            kit.fresh_nodes(list(self.targets))
        except (LabcheckError, *ENGINE_ERRORS) as error:
            self.cleanup_notes.append(f"no se pudieron vaciar los nodos ({error}); se quita objeto a objeto")
            return False
        for target in self.targets.values():
            target.forget_client()
        return True

    def _remove_what_the_lab_added(self) -> None:
        """Workers before managers; never anything that existed before the run."""
        ordered = sorted(self.targets.items(), key=lambda item: _is_manager(item[1]))
        for name, target in ordered:
            try:
                client = target.client()
                inventory.remove_services_added(client, self.baselines[name], self.cleanup_notes)
            except ENGINE_ERRORS as error:
                self.cleanup_notes.append(f"{name}: {error}")
        for name, target in ordered:
            try:
                client = target.client()
                inventory.leave_swarm_if_new(client, self.baselines[name], self.cleanup_notes)
                inventory.remove_added(client, self.baselines[name], self.cleanup_notes)
            except ENGINE_ERRORS as error:
                self.cleanup_notes.append(f"{name}: {error}")


def _pristine_nodes(names: tuple[str, ...]) -> dict[str, Any] | None:
    """The kit's nodes as they are, if every one is as empty as a fresh node (a previous run
    gives them back that way); None when any holds something, so they must be made fresh."""
    from labcheck.kit import api as kit

    try:
        nodes = kit.existing_nodes(names)
        for node in nodes.values():
            client = client_at(node.docker_host, timeout=10)
            try:
                empty = (
                    not client.api.containers(all=True)
                    and not client.api.images(all=True)
                    and not (client.api.volumes() or {}).get("Volumes")
                    and client.info().get("Swarm", {}).get("LocalNodeState") == "inactive"
                    and {n["Name"] for n in client.api.networks()} <= {"bridge", "host", "none"}
                )
            finally:
                client.close()
            if not empty:
                return None
    except (LabcheckError, *ENGINE_ERRORS):
        return None
    return dict(nodes)


def _is_manager(target: Target) -> bool:
    try:
        return bool(target.client().info().get("Swarm", {}).get("ControlAvailable"))
    except ENGINE_ERRORS:
        return False


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def _best_effort(text: str, values: Mapping[str, str]) -> str:
    try:
        return substitute(text, values)
    except MissingValue:
        return text
