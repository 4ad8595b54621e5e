"""The bundled lab green over each node transport (socket, TLS, docker exec), the portable one
taken when sockets are turned off, and the same transcripts and judgements whichever is used."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from labcheck.kit import api as kit
from labcheck.kit import transport
from tests.bundled_lab import BUNDLED_SPEC, bundled_step_ids
from tests.docker.labrun import ROOT, labcheck_command, wait_for_kit_nodes

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

# How each run is asked for its transport, and the transport its evidence must name.
RUNS: dict[str, tuple[tuple[str, ...], dict[str, str], str]] = {
    "socket": (("--labcheck-node-transport", "socket"), {}, "socket"),
    "exec": (("--labcheck-node-transport", "exec"), {}, "exec"),
    # Nothing forced: with sockets off (as on Docker Desktop) auto must take TLS on its own.
    "sockets-off": ((), {transport.SOCKETS_ENV: "off"}, "tls"),
}


def _run(out: Path, args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = labcheck_command(out, *args, str(BUNDLED_SPEC))
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, **env},
    )
    wait_for_kit_nodes()
    return done


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[subprocess.CompletedProcess[str], Any]]:
    results: dict[str, tuple[subprocess.CompletedProcess[str], Any]] = {}
    try:
        for name, (args, env, _) in RUNS.items():
            out = tmp_path_factory.mktemp(name)
            done = _run(out, args, env)
            path = out / "evidence.json"
            results[name] = (done, json.loads(path.read_text()) if path.exists() else None)
    finally:
        # The sockets-off run's nodes were given back without sockets: make them as the kit does.
        kit.fresh_nodes(kit.kit_node_names())
    return results


@pytest.mark.parametrize("name", list(RUNS))
def test_the_bundled_lab_is_green_over_each_transport(
    runs: dict[str, tuple[subprocess.CompletedProcess[str], Any]], name: str
) -> None:
    done, evidence = runs[name]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    outcomes = {step["id"]: step["outcome"] for step in evidence["steps"]}
    assert tuple(outcomes) == bundled_step_ids()
    assert [sid for sid, outcome in outcomes.items() if outcome != "passed"] == ["vote-page"]
    expected = RUNS[name][2]
    assert {node: t["transport"] for node, t in evidence["targets"].items()} == {
        "node1": expected,
        "node2": expected,
    }


def _judgements(evidence: Any) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (step["id"], step["outcome"], [(c["code"], c["verdict"]) for c in step.get("checks") or []])
        for step in evidence["steps"]
    ]


# A pull's per-layer progress ("a43e35d815e2: Verifying Checksum", redrawn in place) depends on
# timing, not on the transport: those lines are left out of the byte-for-byte comparison.
LAYER_PROGRESS = re.compile(
    r"^.*[0-9a-f]{6,}: (Pulling fs layer|Waiting|Downloading|Verifying Checksum"
    r"|Download complete|Extracting|Pull complete).*$\n?",
    re.M,
)


def _without_layer_progress(text: str) -> str:
    return LAYER_PROGRESS.sub("", text)


def test_every_step_is_judged_the_same_and_the_student_sees_the_same(
    runs: dict[str, tuple[subprocess.CompletedProcess[str], Any]],
) -> None:
    socket_run = runs["socket"][1]
    for name in ("exec", "sockets-off"):
        other = runs[name][1]
        assert _judgements(other) == _judgements(socket_run), name
        by_id = {step["id"]: step for step in other["steps"]}
        for step in socket_run["steps"]:
            # Steps with nothing volatile print byte for byte the same whatever the transport.
            if step["id"] in ("hello-world", "cat-dockerfile", "cat-stack"):
                seen = _without_layer_progress(by_id[step["id"]]["transcript"]["text"])
                assert seen == _without_layer_progress(step["transcript"]["text"]), step["id"]
                assert "Hello from Docker!" in seen or step["id"] != "hello-world"


def test_a_forced_socket_where_sockets_are_off_is_refused_before_anything_changes() -> None:
    before = {name: node.container for name, node in kit.existing_nodes(kit.kit_node_names()).items()}
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "up", "--transport", "socket"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, transport.SOCKETS_ENV: "off", "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode == 2, done.stderr
    assert "socket transport cannot work here" in done.stderr and "Traceback" not in done.stderr
    after = {name: node.container for name, node in kit.existing_nodes(kit.kit_node_names()).items()}
    assert after == before
