"""Two labs in one run on the same kit node: the second takes node1 afresh, and the first lab's
evidence still records the images it made, so `labcheck verify` finds its captures in them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.docker.labrun import run_labcheck, verify
from tests.docker.survive import write_spec

pytestmark = [pytest.mark.docker, pytest.mark.kit]

TAGGER = """\
labcheck: 1
lab: {id: tagger, title: Etiquetar, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: pull
        title: Traer alpine
        run: docker image pull alpine
        expect: {exit_code: 0}
      - id: tag
        title: Etiquetar
        run: docker image tag alpine mi-alpine:1
        capture:
          - {name: mine, from: image_id, ref: "mi-alpine:1", short: true}
        expect: {exit_code: 0}
      - id: list
        title: Listar
        run: docker image ls mi-alpine
        expect:
          output: [{contains: "${{ mine }}"}]
"""

AFTER = """\
labcheck: 1
lab: {id: after, title: Después, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Hola
        run: docker container run --rm alpine echo hola
        expect: {output: [{contains: hola}]}
"""


def test_the_first_labs_images_are_recorded_before_the_next_lab_takes_the_node(tmp_path: Path) -> None:
    first, second = write_spec(tmp_path / "tagger", TAGGER), write_spec(tmp_path / "after", AFTER)
    out = tmp_path / "out"
    done = run_labcheck(out, str(first), str(second))
    assert done.returncode == 0, done.stdout[-3000:]
    evidence = out / "tagger" / "evidence.json"
    document = json.loads(evidence.read_text("utf-8"))
    tags = {tag for image in document["images"] for tag in image["tags"]}
    assert "mi-alpine:1" in tags, document["images"]
    student = verify(out / "tagger", first)
    assert student["verdict"] == "consistent", student
    assert not any(problem["tampering"] for problem in student["problems"]), student["problems"]
