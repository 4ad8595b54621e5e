"""Which docker CLI labcheck runs, and one way to run it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

from labcheck.errors import LabcheckError
from labcheck.i18n import cli
from labcheck.install import docker_cli_hint

# Debian's engine ships a CLI matching its API; a newer client on PATH may not speak to it.
_PINNED_CLI = "/usr/bin/docker"


def docker_cli() -> str:
    """Path of the docker CLI to run: Debian's own when present, else the one on PATH."""
    if os.path.exists(_PINNED_CLI):
        return _PINNED_CLI
    found = shutil.which("docker")
    if found is None:
        raise LabcheckError(cli().format("no docker CLI found: {hint}", hint=docker_cli_hint()))
    return found


def classic_build_env() -> dict[str, str]:
    """Environment for `docker build` with the classic builder, whose output the lab shows."""
    return {**os.environ, "DOCKER_BUILDKIT": "0"}


def run_docker(
    args: Sequence[str],
    *,
    input_bytes: bytes | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the pinned docker CLI, capturing text output; raise LabcheckError on failure."""
    cmd = [docker_cli(), *args]
    proc = subprocess.run(
        cmd,
        input=input_bytes.decode() if input_bytes is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        t = cli()
        last = detail[-1] if detail else t.format("exit code {code}", code=proc.returncode)
        raise LabcheckError(
            t.format("`docker {command}` failed: {error}", command=" ".join(args[:3]), error=last)
        )
    return proc
