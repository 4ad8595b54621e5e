"""The bundled lab and small specs, run for real on the offline kit's fresh nodes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.bundled_lab import BUNDLED_SPEC, bundled_step_ids
from tests.docker.labrun import (
    ROOT,
    assert_chain_intact,
    labcheck_command,
    node_shell,
    run_labcheck,
    wait_for_kit_nodes,
)
from tests.evidence_words import said

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

SCHEMA = json.loads((ROOT / "labcheck" / "evidence" / "schema.json").read_text())


def load(out: Path) -> dict[str, Any]:
    evidence: dict[str, Any] = json.loads((out / "evidence.json").read_text())
    return evidence


def assert_nodes_clean() -> None:
    for node in ("node1", "node2"):
        assert node_shell(node, "docker ps -aq") == "", f"{node} keeps containers"
        assert node_shell(node, "docker info --format '{{.Swarm.LocalNodeState}}'") == "inactive"


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("ops-stage1")
    return run_labcheck(out, "--labcheck-student-name", "Ana Pérez", str(BUNDLED_SPEC)), out


def test_bundled_lab_passes_on_the_kit(bundled_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = bundled_run
    assert done.returncode == 0, done.stdout[-3000:]
    evidence = load(out)
    jsonschema.validate(evidence, SCHEMA)
    outcomes = {step["id"]: step["outcome"] for step in evidence["steps"]}
    assert tuple(outcomes) == bundled_step_ids() and evidence["run"]["status"] == "complete"
    assert [sid for sid, o in outcomes.items() if o != "passed"] == ["vote-page"]
    vote_page = evidence["steps"][-1]
    assert vote_page["outcome"] == "skipped" and "routing_mesh" in said(vote_page["reason"])
    assert evidence["run"]["standins"] is True
    assert f"evidencia: {out / 'evidence.json'}" in done.stdout


def test_evidence_holds_what_the_student_saw(
    bundled_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    evidence = load(bundled_run[1])
    steps = {step["id"]: step for step in evidence["steps"]}
    assert "Hello from Docker!" in steps["hello-world"]["transcript"]["text"]
    assert "/ # uname -a" in steps["run-it-sh"]["transcript"]["text"]
    assert "\x1b" not in steps["run-it-sh"]["transcript"]["text"]
    ash = steps["isolation-ash"]["captures"]["ash_container"]
    assert steps["container-start"]["command"] == f"docker container start {ash}"
    token = steps["swarm-init"]["captures"]["worker_token"]
    assert token in steps["swarm-join"]["command"]
    hello_layers = next(i for i in evidence["images"] if "hello:v0.1" in i["tags"])["layers"]
    alpine_layers = next(i for i in evidence["images"] if "alpine:latest" in i["tags"])["layers"]
    assert hello_layers[0] == alpine_layers[0] and len(alpine_layers) == 1
    assert all(t["engine"]["id"] for t in evidence["targets"].values())
    assert_chain_intact(evidence)


def test_lab_leaves_the_nodes_clean(bundled_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    assert_nodes_clean()


def test_second_run_in_a_row_passes_too(tmp_path: Path, bundled_run: Any) -> None:
    done = run_labcheck(tmp_path, str(BUNDLED_SPEC))
    assert done.returncode == 0, done.stdout[-3000:]
    outcomes = {step["id"]: step["outcome"] for step in load(tmp_path)["steps"]}
    assert tuple(outcomes) == bundled_step_ids()
    assert [sid for sid, o in outcomes.items() if o != "passed"] == ["vote-page"]


def test_broken_cmd_fails_run_hello_and_skips_what_needs_it(tmp_path: Path) -> None:
    workspace = tmp_path / "mine"
    workspace.mkdir()
    dockerfile = (ROOT / "specs/ops-stage1/Dockerfile").read_text().replace('"index.js"', '"indx.js"')
    (workspace / "Dockerfile").write_text(dockerfile)
    out = tmp_path / "out"
    done = run_labcheck(
        out,
        "--labcheck-workspace",
        str(workspace),
        "-k",
        "cat-dockerfile or build-v01 or run-v01 or edit-index or build-v02 or run-v02",
        str(BUNDLED_SPEC),
    )
    assert done.returncode == 1
    steps = {s["id"]: s for s in load(out)["steps"]}
    assert steps["build-v01"]["outcome"] == "passed"
    assert steps["run-v01"]["outcome"] == "failed"
    assert "Cannot find module" in steps["run-v01"]["transcript"]["text"]
    assert steps["run-v02"]["outcome"] == "skipped"
    assert steps["run-v02"]["reason"] == {"code": "needs", "params": {"step": "run-v01", "outcome": "failed"}}
    report = done.stdout
    assert "✗ la salida es «hello from ‹12 cifras hexadecimales›»" in report
    # How it failed, in the report's words, with the output where the line should have been.
    assert "Pista:" in report and "ninguna línea tiene lo esperado" in report
    assert re.search(r"\n    [ →] +[0-9]+ │ ", report), report[-3000:]  # numbered output lines


HANGING = """\
labcheck: 1
lab: {id: hang, title: Cuelgue, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hangs
        title: Una orden que no termina
        run: echo empieza; sleep 600; echo nunca
        timeout: 3s
        expect:
          exit_code: 0
      - id: after
        title: Lo que depende de ella
        run: echo luego
        needs: [hangs]
        expect:
          output:
            - contains: luego
"""


def test_hanging_step_is_stopped_at_its_timeout_with_partial_output(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(HANGING)
    done = run_labcheck(tmp_path / "out", str(spec))
    assert done.returncode == 1
    hangs, after = load(tmp_path / "out")["steps"]
    assert hangs["timed_out"] and hangs["outcome"] == "failed" and hangs["transcript"]["text"] == "empieza"
    assert hangs["duration_s"] > 2.5  # it ran until its timeout (3 s), not shorter
    assert after["outcome"] == "skipped" and "«hangs», que falló" in said(after["reason"])
    assert node_shell("node1", "pgrep -x sleep || true") == ""


def test_ctrl_c_keeps_evidence_and_leaves_no_lab_container_running(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = labcheck_command(out, "--labcheck-no-report", str(BUNDLED_SPEC))
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ}
    )
    evidence_file = out / "evidence.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if evidence_file.exists():
            try:
                if len(json.loads(evidence_file.read_text())["steps"]) >= 12:
                    break
            except (ValueError, KeyError):
                pass
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=180)
    assert process.returncode == 130
    wait_for_kit_nodes()
    evidence = load(out)
    assert evidence["run"]["status"] == "interrupted"
    assert len(evidence["steps"]) >= 12
    assert evidence["steps"][0]["outcome"] == "passed"
    assert_chain_intact(evidence)
    for node in ("node1", "node2"):
        assert node_shell(node, "docker ps -q") == ""
