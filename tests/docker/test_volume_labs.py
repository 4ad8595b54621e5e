"""The docker-volumes lab, run for real on the kit, and the `volume` state check it needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.docker.labrun import ROOT, assert_chain_intact, run_labcheck

pytestmark = [pytest.mark.docker, pytest.mark.kit]

VOLUME_SPEC = """\
labcheck: 1
lab: {id: volume-checks, title: Comprobaciones de volúmenes, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: create
        title: Crear el volumen datos
        run: docker volume create datos
        expect:
          state:
            - volume: {name: datos, driver: local}
            - volume: {name: otros, exists: false}
      - id: write
        title: Escribir a.txt en el volumen
        run: docker container run --name escritor -v datos:/d alpine touch /d/a.txt
        expect:
          state: [{volume: {name: datos, mounted_by: escritor, contains: a.txt}}]
      - id: missing-file
        title: Un archivo que no está
        run: "true"
        expect:
          state: [{volume: {name: datos, contains: b.txt}}]
"""


def _evidence(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    return document


def test_docker_volumes_lab_passes_on_the_kit(tmp_path: Path) -> None:
    done = run_labcheck(tmp_path, str(ROOT / "specs" / "docker-volumes"))
    assert done.returncode == 0, done.stdout[-3000:]
    evidence = _evidence(tmp_path)
    assert_chain_intact(evidence)
    assert {step["outcome"] for step in evidence["steps"]} == {"passed"}
    steps = {step["id"]: step for step in evidence["steps"]}
    (volume,) = [c for c in steps["c2-mounts"]["checks"] if c["code"] == "state.volume"]
    assert volume["observed"]["mounted_by"] == ["c2"] and volume["observed"]["contains"] is True
    assert "read escape sequence" in steps["c2-shell"]["transcript"]["text"]  # Ctrl-P Ctrl-Q
    assert "SOMEONE HERE ?" in steps["welcome-changed"]["transcript"]["text"]
    assert evidence["run"]["standins"] is True


def test_a_volume_check_fails_when_the_file_is_not_in_the_volume(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "lab.yaml"
    spec.parent.mkdir()
    spec.write_text(VOLUME_SPEC, encoding="utf-8")
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    assert done.returncode == 1, done.stdout[-3000:]
    steps = {step["id"]: step for step in _evidence(tmp_path / "out")["steps"]}
    assert [steps[s]["outcome"] for s in ("create", "write", "missing-file")] == [
        "passed",
        "passed",
        "failed",
    ]
    (check,) = steps["missing-file"]["checks"]
    assert check["code"] == "state.volume" and check["verdict"] == "failed"
    assert check["observed"]["contains"] is False and check["observed"]["mounted_by"] == ["escritor"]
