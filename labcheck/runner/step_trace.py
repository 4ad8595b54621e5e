"""What a step has done so far, so a step that ends badly is still recorded with all of it;
and removing the containers a stopped step left running inside its engine."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field

import docker
import docker.errors
import requests

from labcheck import i18n
from labcheck.checks.record import CheckRecord
from labcheck.errors import EngineUnreachable
from labcheck.evidence import reasons
from labcheck.evidence.model import Reason
from labcheck.os_error_words import os_error_words
from labcheck.runner.process import ProcessResult
from labcheck.spec.model import TypedLine

# Containers a swarm service runs are the swarm's to replace; removing them would only start more.
_SWARM_TASK_LABEL = "com.docker.swarm.task.id"


@dataclass
class StepTrace:
    """Mutable on purpose: filled in as the step runs, read when it ends, however it ends."""

    attempts: int = 0
    command: str | None = None
    typed: tuple[TypedLine, ...] = ()
    workdir: str | None = None
    result: ProcessResult | None = None
    streams: Mapping[str, str] | None = None
    checks: list[CheckRecord] = field(default_factory=list)
    removed_containers: list[str] = field(default_factory=list)


def remove_new_containers(client: docker.DockerClient, before: set[str]) -> list[str]:
    """Stop and remove, right away, the containers created since `before` (a step's own, an `-it`
    session's); their short ids. An engine that does not answer leaves them to the clean-up."""
    removed = []
    try:
        for container in client.api.containers(all=True):
            labels = container.get("Labels") or {}
            if container["Id"] in before or _SWARM_TASK_LABEL in labels:
                continue
            try:
                client.api.remove_container(container["Id"], force=True, v=True)
            except docker.errors.NotFound:
                pass
            removed.append(str(container["Id"])[:12])
    except (docker.errors.DockerException, requests.exceptions.RequestException):
        pass
    return removed


def engine_error_text(error: BaseException) -> str:
    """An engine or copy failure in a few words (for CLI messages): the engine's own explanation,
    a command's last line of stderr, never a Python exception's repr."""
    if isinstance(error, docker.errors.APIError):
        return str(error.explanation or error)
    if isinstance(error, subprocess.CalledProcessError):
        stderr = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else error.stderr
        lines = [line for line in (stderr or "").strip().splitlines() if line.strip()]
        return (
            lines[-1] if lines else i18n.cli().format("the command exited with {code}", code=error.returncode)
        )
    if isinstance(error, EngineUnreachable):
        return str(error)
    if isinstance(error, requests.exceptions.Timeout):
        return i18n.cli().gettext("the Docker engine did not answer in time")
    if isinstance(error, (requests.exceptions.ConnectionError, docker.errors.DockerException)):
        return i18n.cli().gettext("the Docker engine does not answer")
    if isinstance(error, OSError):
        return os_error_words(error)
    return str(error)


def engine_error_reason(node: str, error: BaseException) -> Reason:
    """The same, as a step's reason in the evidence, naming the node."""
    if isinstance(error, docker.errors.APIError) and error.response is not None:
        return reasons.engine_error(node, str(error.explanation or error), timeout=False)
    return reasons.engine_error(node, None, timeout=isinstance(error, requests.exceptions.Timeout))
