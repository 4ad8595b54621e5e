"""Running `pytest --labcheck` in a child process, as a user would, for the Docker tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from labcheck.dockercli import docker_cli
from labcheck.evidence import chain
from labcheck.kit import api as kit
from labcheck.kit.engine_lock import EngineLock, kit_nodes_lock
from tests.locale_env import SPANISH, locale_env

ROOT = Path(__file__).resolve().parents[2]


def labcheck_command(out: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--labcheck",
        "-p",
        "no:cacheprovider",
        "-q",
        "-ra",
        "--labcheck-out",
        str(out),
        *args,
    ]


def run_labcheck(out: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    command = labcheck_command(out, *args)
    # A Spanish lab run by a Spanish-speaking student: the terminal's words are Spanish too.
    env = locale_env(SPANISH)
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    wait_for_kit_nodes()
    return done


def wait_for_kit_nodes() -> list[str]:
    """Wait until the kit's nodes are given back (a run does it in the background, holding their
    lock), so a test looks at pristine nodes and never hands the engine on mid-reset."""
    lock = EngineLock([kit_nodes_lock()], "test waiting for the kit nodes")
    notes = lock.acquire(wait=True)
    lock.release()
    return notes


def node_shell(node: str, script: str) -> str:
    container = kit.existing_nodes([node])[node].container
    done = subprocess.run(
        [docker_cli(), "exec", container, "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stdout.strip()


def verify(out: Path, spec: Path) -> dict[str, Any]:
    """`labcheck verify` on a run's evidence, as a course would run it: its one student row."""
    result = out / "verify.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "labcheck",
            "verify",
            str(out / "evidence.json"),
            "--spec",
            str(spec),
            "--json",
            str(result),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    student: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))["students"][0]
    student["stdout"] = done.stdout
    return student


def assert_chain_intact(evidence: dict[str, Any]) -> None:
    engines = [t["engine"]["id"] for t in evidence["targets"].values()]
    link = chain.genesis(
        evidence["lab"]["id"], evidence["spec"]["sha256"], evidence["student"]["id"], engines
    )
    assert link == evidence["chain"]["genesis"]
    for step in evidence["steps"]:
        link = chain.link(link, step)
        assert step["chain"] == link, step["id"]
    assert chain.head(link, evidence) == evidence["chain"]["head"]
