"""Running the docker CLI as a student would, against a kit node or the host engine."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from labcheck.dockercli import docker_cli
from labcheck.kit.nodes import KitNode


def docker_at(
    node: KitNode | None, args: Sequence[str], *, cwd: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the docker CLI as a student would, against a node's engine (or the host's)."""
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    if node is not None:
        env["DOCKER_HOST"] = node.docker_host
    return subprocess.run(
        [docker_cli(), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
    )


def in_node(
    node: KitNode, command: str, *, workdir: str = "/root", timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run a shell command inside a node, as in a play-with-docker terminal."""
    return subprocess.run(
        [docker_cli(), "exec", "-w", workdir, node.container, "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
