"""A small throw-away lab for the tests of other pytest plugins and partial runs, and helpers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.docker.labrun import ROOT, wait_for_kit_nodes

# Six steps in two sections. `count-once` fails on purpose and leaves a trace of every time
# it really ran (~/veces on the node); `counted` reads it back.
SPEC = """\
labcheck: 1
lab: {id: plugins, title: Complementos de pytest, language: es, version: "1"}
sections:
  - number: "1"
    title: Primeros pasos
    steps:
      - id: greet
        title: Saludar
        run: echo hola
        expect: {exit_code: 0, output: [{contains: hola}]}
      - id: count-once
        title: Dejar constancia de cada ejecución
        run: echo vez >> ~/veces && wc -l < ~/veces && false
        expect: {exit_code: 0}
      - id: counted
        title: Contar las ejecuciones
        run: wc -l < ~/veces
        expect: {exit_code: 0, output: [{matches: "^1$"}]}
  - number: "2"
    title: Más pasos
    steps:
      - id: engine
        title: Versión del motor
        run: docker version --format '{{.Server.Version}}'
        expect: {exit_code: 0}
      - id: farewell
        title: Despedirse
        run: echo adiós
        expect: {exit_code: 0, output: [{contains: adiós}]}
      - id: last
        title: Último
        run: echo fin
        expect: {exit_code: 0, output: [{contains: fin}]}
"""
STEP_IDS = ["greet", "count-once", "counted", "engine", "farewell", "last"]


def write_spec(folder: Path, text: str = SPEC) -> Path:
    spec = folder / "lab.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def pytest_labcheck(
    out: Path, spec: Path, *args: str, cache: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`pytest --labcheck` in a child process; with `cache`, pytest's cache (for --lf) lives there."""
    cache_args = ["-o", f"cache_dir={cache}"] if cache else ["-p", "no:cacheprovider"]
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--labcheck",
        *cache_args,
        "-q",
        "-rfEs",
        "--labcheck-out",
        str(out),
        *args,
        str(spec),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    wait_for_kit_nodes()  # the run gives its nodes back in the background: see them pristine
    return done


def evidence(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    return document


def recorded_ids(document: dict[str, Any]) -> list[str]:
    return [str(step["id"]) for step in document["steps"]]


def statuses(student: dict[str, Any]) -> dict[str, str]:
    return {step["id"]: step["status"] for step in student["steps"]}


def reasons(student: dict[str, Any], step_id: str) -> str:
    return " | ".join(next(s for s in student["steps"] if s["id"] == step_id)["reasons"])
