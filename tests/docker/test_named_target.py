"""A lab run on an engine the user names (NAME=DOCKER_HOST): what existed before is left alone."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import docker
import pytest

from tests.docker.labrun import run_labcheck

pytestmark = [pytest.mark.docker]


SPEC = """\
labcheck: 1
lab: {id: host-lab, title: En el motor propio, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: make-container
        title: Crear un contenedor
        run: docker container create --name labcheck-test-made labcheck-test/tiny:1 /nothing
        expect:
          exit_code: 0
          state:
            - containers: {image: "labcheck-test/tiny:1", count: 1}
      - id: list-all
        title: Listar
        run: docker container ls -a --format '{{.Names}}'
        expect:
          output:
            - contains: labcheck-test-made
            - contains: labcheck-test-before
      - id: stderr-apart
        title: La salida de error va aparte
        run: docker image inspect no-such-image:0
        expect:
          exit_code: 1
          stdout:
            - equals: "[]"
          stderr:
            - contains: "No such image"
"""


def tiny_image(client: docker.DockerClient) -> None:
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        info = tarfile.TarInfo("nothing")
        info.size = 0
        tar.addfile(info, io.BytesIO(b""))
    client.api.import_image_from_data(archive.getvalue(), repository="labcheck-test/tiny", tag="1")


def test_named_engine_keeps_what_existed_before(tmp_path: Path) -> None:
    client = docker.from_env(version="auto")
    tiny_image(client)
    before = client.containers.create("labcheck-test/tiny:1", "/nothing", name="labcheck-test-before")
    try:
        (tmp_path / "lab.yaml").write_text(SPEC)
        out = tmp_path / "out"
        done = run_labcheck(
            out,
            "--labcheck-no-report",
            "--labcheck-target",
            "host=unix:///var/run/docker.sock",
            str(tmp_path / "lab.yaml"),
            timeout=300,
        )
        assert done.returncode == 0, done.stdout[-2000:]
        evidence = json.loads((out / "evidence.json").read_text())
        assert evidence["run"]["sandbox"] == "targets"
        assert evidence["targets"]["host"]["engine"]["id"] == client.info()["ID"]
        # The image was there before the lab, but the lab ran it: its facts are recorded.
        assert any("labcheck-test/tiny:1" in image["tags"] for image in evidence["images"])
        stderr_step = evidence["steps"][2]
        assert stderr_step["transcript"]["stdout"].strip() == "[]"
        assert "No such image" in stderr_step["transcript"]["stderr"]
        names = {c.name for c in client.containers.list(all=True)}
        assert "labcheck-test-before" in names and "labcheck-test-made" not in names
        assert client.images.get("labcheck-test/tiny:1") is not None
    finally:
        before.remove(force=True)
        client.images.remove("labcheck-test/tiny:1", force=True)


TERMINAL_SPEC = """\
labcheck: 1
lab: {id: terminal, title: Terminal, language: es, version: "1"}
student_values:
  - {name: saludo, template: "hola {student_id} {hash}"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: asks-for-a-tty
        title: Una orden que pide terminal
        run: test -t 1 && echo "con terminal" || echo "sin terminal"
        tty: true
        expect:
          output:
            - contains: con terminal
      - id: answers-a-question
        title: Responder a una pregunta
        run: read -p "¿Nombre? " nombre && echo "${{ saludo }}, $nombre"
        input:
          - {send: Ana, wait_for: "Nombre\\\\? $"}
        expect:
          exit_code: 0
          output:
            - matches: "hola A-7 [0-9a-f]{8}, Ana"
            - not_matches: "sin terminal"
"""


def test_terminal_steps_and_student_values(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(TERMINAL_SPEC)
    done = run_labcheck(
        tmp_path / "out",
        "--labcheck-no-report",
        "--labcheck-student-id",
        "A-7",
        "--labcheck-target",
        "host=unix:///var/run/docker.sock",
        str(tmp_path / "lab.yaml"),
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    evidence = json.loads((tmp_path / "out" / "evidence.json").read_text())
    tty_step, question = evidence["steps"]
    assert tty_step["pty"] and tty_step["transcript"]["stdout"] is None
    assert question["input"] == ["Ana"] and "¿Nombre? Ana" in question["transcript"]["text"]
    assert evidence["student"]["id"] == "A-7"
