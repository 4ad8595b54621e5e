"""A lab pack the kit has never seen, written in a temp folder: an image of its own and a git
repository at a URL nobody serves. `kit up` for it builds only what it adds, and the lab runs
green offline, with no change to labcheck's code."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.kit import api
from labcheck.spec.loader import load_lab
from tests.docker.labrun import ROOT, wait_for_kit_nodes

pytestmark = [pytest.mark.docker, pytest.mark.kit]

TOKEN = secrets.token_hex(4)
IMAGE = f"teacher-{TOKEN}/greeter:1.0"
URL = f"https://git.example.invalid/teacher/notes-{TOKEN}"

PACK = f"""\
labcheck: 1
lab: {{id: throwaway-{TOKEN}, title: Un laboratorio nuevo, language: es, version: "1"}}
nodes: [{{name: node1}}]
images:
  - ref: "{IMAGE}"
    standin: {{build: standins/greeter, args: {{GREETING: "hola desde {TOKEN}"}}}}
repositories:
  - {{url: "{URL}", content: repo}}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: clone
        title: Clonar el repositorio
        run: git clone {URL}
        expect: {{exit_code: 0}}
      - id: read
        title: Leer las notas
        run: cat notes-{TOKEN}/notas.txt
        needs: [clone]
        expect: {{output: [{{contains: "notas de {TOKEN}"}}]}}
      - id: greet
        title: Ejecutar la imagen
        run: docker container run --rm {IMAGE}
        expect:
          output: [{{contains: "hola desde {TOKEN}"}}]
          state: [{{image: {{ref: "{IMAGE}", exists: true}}}}]
"""


def _write_pack(folder: Path) -> Path:
    (folder / "standins" / "greeter").mkdir(parents=True)
    (folder / "standins" / "greeter" / "Dockerfile").write_text(
        "ARG ALPINE\nFROM ${ALPINE}\nARG GREETING\n"
        'RUN echo "$GREETING" > /greeting\nCMD ["cat", "/greeting"]\n'
    )
    (folder / "repo").mkdir()
    (folder / "repo" / "notas.txt").write_text(f"notas de {TOKEN}\n")
    (folder / "lab.yaml").write_text(PACK, encoding="utf-8")
    return folder


def test_a_new_pack_is_served_by_kit_up_and_runs_green(kit_up_status: api.KitStatus, tmp_path: Path) -> None:
    pack = _write_pack(tmp_path / "pack")
    lab = load_lab(pack)
    # Before: the kit's pre-flight names what is missing for this lab.
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "validate", str(pack)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and f"pulls {IMAGE}, declared at" in done.stderr, done.stderr

    status = api.kit_up(labs=[lab], progress=lambda _m: None)
    assert status.up, status.to_json()
    assert status.last_up is not None
    # Incremental: only this pack's image and repository were made; the bundled labs' were reused.
    assert status.last_up.built == (IMAGE, f"git mirror {URL}"), status.last_up.built
    row = next(row for row in status.labs if row.id == lab.id)
    assert row.ready and (row.images, row.repositories) == (1, 1)
    assert any(row.id == "ops-stage1" and row.ready for row in status.labs), "earlier labs stay served"

    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "labcheck", "run", str(pack), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    wait_for_kit_nodes()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    assert [step["outcome"] for step in evidence["steps"]] == ["passed"] * 3
    assert evidence["run"]["standins"] is True  # the report says it was made on stand-ins
