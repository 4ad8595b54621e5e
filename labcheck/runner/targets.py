"""Where a lab's steps run: a kit node (a shell inside a Docker-in-Docker node, as
play-with-docker gave each student), an engine the user names (a shell on this
machine with DOCKER_HOST pointing at it), or this machine alone with no engine at all
(`NAME=local`: plain shell steps, and labcheck's own tests)."""

from __future__ import annotations

import io
import platform
import posixpath
import shutil
import subprocess
import tarfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import docker

from labcheck import i18n
from labcheck.dockercli import docker_cli
from labcheck.errors import LabcheckError
from labcheck.evidence.model import LOCAL_TARGET
from labcheck.i18n import N_
from labcheck.kit.engine import client_at
from labcheck.kit.nodes import KitNode
from labcheck.runner.environment import scrubbed_environment
from labcheck.runner.lab_files import write_within_home
from labcheck.spec.model import Lab

NODE_HOME = "/root"
# How a user names an engine for a node, under either entry point.
TARGET_OPTION_HINT = N_("give --target NAME=DOCKER_HOST to labcheck run, --labcheck-target to pytest")


def no_target_for(names: Sequence[str], missing: Sequence[str]) -> str:
    """The lab's nodes some of which no --target names, said in the command line's language."""
    t = i18n.cli()
    return t.format(
        "the lab needs the nodes {nodes}; no target given for {missing} ({hint})",
        nodes=", ".join(names),
        missing=", ".join(missing),
        hint=t.gettext(TARGET_OPTION_HINT),
    )


# The pid of the shell running a step inside a node, so a timeout can stop it there too.
_STEP_PID_FILE = "/tmp/.labcheck-step.pid"
_STEP_WRAPPER = f'echo $$ > {_STEP_PID_FILE}; exec bash -c "$1"'


@dataclass(frozen=True)
class Invocation:
    argv: list[str]
    env: dict[str, str]
    cwd: str | None


class Target(Protocol):
    name: str
    kind: str
    docker_host: str

    def client(self) -> docker.DockerClient: ...

    def invocation(self, command: str, workdir: str, use_pty: bool) -> Invocation: ...

    def put_files(self, files: Mapping[str, bytes], workdir: str) -> None: ...

    def stop_step(self) -> None: ...

    def engine_facts(self) -> dict[str, str]: ...

    def forget_client(self) -> None: ...


def _engine_facts(client: docker.DockerClient) -> dict[str, str]:
    info = client.info()
    version = client.version()
    return {
        "id": str(info.get("ID", "")),
        "name": str(info.get("Name", "")),
        "version": str(version.get("Version", "")),
        "api_version": str(version.get("ApiVersion", "")),
        "os": str(info.get("OperatingSystem", "")),
        "kernel": str(info.get("KernelVersion", "")),
        "arch": str(info.get("Architecture", "")),
        "storage_driver": str(info.get("Driver", "")),
    }


def _expand_home(workdir: str, home: str) -> str:
    if workdir == "~":
        return home
    if workdir.startswith("~/"):
        return posixpath.join(home, workdir[2:])
    return workdir


class _EngineTarget:
    """What every target shares: one SDK client for its engine, opened on first use."""

    kind = "engine"

    def __init__(self, name: str, docker_host: str) -> None:
        self.name = name
        self.docker_host = docker_host
        self._client: docker.DockerClient | None = None

    def client(self) -> docker.DockerClient:
        if self._client is None:
            self._client = client_at(self.docker_host)
        return self._client

    def engine_facts(self) -> dict[str, str]:
        return _engine_facts(self.client())

    def forget_client(self) -> None:
        """The engine was replaced (a node made fresh): connect anew on next use."""
        if self._client is not None:
            self._client.close()
            self._client = None


class KitNodeTarget(_EngineTarget):
    """A node of the offline kit: steps run in a shell inside the node's container (`docker
    exec` on the host's engine, whatever the transport); the SDK reaches the node's engine over
    the node's transport (its socket, TLS or `docker exec`: labcheck.kit.transport)."""

    kind = "kit-node"

    def __init__(self, name: str, node: KitNode) -> None:
        super().__init__(name, node.docker_host)
        self.node = node
        self.container = node.container
        self.transport: str = node.transport
        # The kit's own name for the node; a lab's single node "host" runs on the kit's node1.
        self.kit_node = node.name

    def client(self) -> docker.DockerClient:
        if self._client is None:
            self._client = self.node.client()
        return self._client

    def invocation(self, command: str, workdir: str, use_pty: bool) -> Invocation:
        flags = ["-it"] if use_pty else []
        argv = [
            docker_cli(),
            "exec",
            *flags,
            "-w",
            _expand_home(workdir, NODE_HOME),
            "-e",
            "TERM=xterm",
            self.container,
            "bash",
            "-c",
            _STEP_WRAPPER,
            "labcheck",
            command,
        ]
        # The node's container lives on the engine this machine's docker CLI talks to.
        return Invocation(argv, scrubbed_environment(), None)

    def put_files(self, files: Mapping[str, bytes], workdir: str) -> None:
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
        subprocess.run(
            [docker_cli(), "cp", "-", f"{self.container}:{_expand_home(workdir, NODE_HOME)}"],
            input=archive.getvalue(),
            check=True,
            capture_output=True,
        )

    def stop_step(self) -> None:
        # The step's shell may not lead a process group, so stop its whole tree, children first.
        script = (
            f"p=$(cat {_STEP_PID_FILE} 2>/dev/null) || exit 0; "
            "t() { for c in $(pgrep -P $1); do t $c; done; kill -KILL $1 2>/dev/null; }; t $p; true"
        )
        subprocess.run(
            [docker_cli(), "exec", self.container, "sh", "-c", script],
            capture_output=True,
            timeout=30,
            check=False,
        )


class HostTarget(_EngineTarget):
    """An engine named by the user (NAME=DOCKER_HOST): steps run in a shell on this machine."""

    kind = "docker-host"

    def __init__(self, name: str, docker_host: str, workspace: Path) -> None:
        super().__init__(name, docker_host)
        self.workspace = workspace

    def invocation(self, command: str, workdir: str, use_pty: bool) -> Invocation:
        cwd = _expand_home(workdir, str(self.workspace))
        env = scrubbed_environment(docker_host=self.docker_host)
        env.update(DOCKER_HOST=self.docker_host, TERM="xterm")
        return Invocation(["bash", "-c", command], env, cwd)

    def put_files(self, files: Mapping[str, bytes], workdir: str) -> None:
        write_within_home(self.workspace, _expand_home(workdir, str(self.workspace)), files)

    def stop_step(self) -> None:
        """The step's process group was killed on this machine; nothing runs elsewhere."""


# The DOCKER_HOST-like value that asks for no engine: `--labcheck-target host=local`.
LOCAL = LOCAL_TARGET


class NeedsEngine(LabcheckError):
    """Something of the lab asks a local node (no Docker engine) for what only an engine has."""

    def __init__(self, node: str, what: str | None = None) -> None:
        t = i18n.cli()
        asking = what if what is not None else t.gettext("this check")
        super().__init__(
            t.format("{what} needs a Docker engine; node {node} is local", what=asking, node=node)
        )


class LocalTarget:
    """This machine, with no Docker engine: steps run as plain shell processes in a fresh
    folder of the run's own. There is nothing to inventory, no image and nothing to give back."""

    kind = LOCAL
    docker_host = LOCAL

    def __init__(self, name: str, workspace: Path) -> None:
        self.name = name
        self.workspace = workspace

    def client(self) -> docker.DockerClient:
        raise NeedsEngine(self.name)

    def invocation(self, command: str, workdir: str, use_pty: bool) -> Invocation:
        env = scrubbed_environment()
        env.pop("DOCKER_HOST", None)  # nothing here is an engine the lab may reach
        env["TERM"] = "xterm"
        return Invocation(["bash", "-c", command], env, _expand_home(workdir, str(self.workspace)))

    def put_files(self, files: Mapping[str, bytes], workdir: str) -> None:
        write_within_home(self.workspace, _expand_home(workdir, str(self.workspace)), files)

    def stop_step(self) -> None:
        """The step's process group was killed on this machine; nothing runs elsewhere."""

    def engine_facts(self) -> dict[str, str]:
        """The machine's facts where an engine's would be; its id names it as no engine."""
        node = platform.node()
        return {
            "id": f"{LOCAL}:{node}",
            "name": node,
            "os": platform.system(),
            "kernel": platform.release(),
            "arch": platform.machine(),
        }

    def forget_client(self) -> None:
        """There is no client to forget."""


def is_local(target: Target) -> bool:
    return target.kind == LOCAL


def local_nodes(hosts: Mapping[str, str]) -> set[str]:
    return {name for name, host in hosts.items() if host == LOCAL}


def refuse_engine_needs(lab: Lab, local: Collection[str]) -> None:
    """Before anything runs: a state check or a capture that asks an engine, on a local node,
    is refused naming where the spec asks for it (it could only fail, step after step)."""
    for step in lab.steps:
        for check in step.state_checks:
            node = check.on or step.node
            if node in local:
                what = i18n.cli().format(
                    "{location}: the state check '{kind}'", location=check.location, kind=check.kind
                )
                raise NeedsEngine(node, what)
        for capture in step.captures:
            if capture.source != "output" and step.node in local:
                what = i18n.cli().format(
                    "{location}: the capture '{name}' ({source})",
                    location=step.location,
                    name=capture.name,
                    source=capture.source,
                )
                raise NeedsEngine(step.node, what)


def parse_target_options(values: Sequence[str]) -> dict[str, str]:
    """`NAME=DOCKER_HOST` pairs, e.g. `node1=unix:///var/run/docker.sock`, or `NAME=local`."""
    targets: dict[str, str] = {}
    for value in values:
        name, sep, host = value.partition("=")
        if not sep or not name or not host:
            raise ValueError(i18n.cli().format("expected NAME=DOCKER_HOST, got {value}", value=repr(value)))
        targets[name] = host
    return targets


def clear_workspace(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
