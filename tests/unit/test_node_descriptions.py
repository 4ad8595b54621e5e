"""What each node of a lab is for (`nodes: - description:`), plain or in several languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.bundled import bundled_spec_files
from labcheck.errors import SpecInvalid
from labcheck.spec.glance import glance
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from labcheck.spec.texts import LocalText, in_language

NODES = """\
labcheck: 1
lab: {id: tiny, title: Mínimo, language: es, version: "1"}
nodes:
  - name: node1
    description: {es: el administrador del Swarm, en: the Swarm's manager}
  - name: node2
    description: un trabajador
  - name: node3
sections:
  - number: "1"
    title: Pasos
    steps:
      - id: hello
        title: Saludo
        run: echo hola
        expect: {exit_code: 0}
"""


def _load(tmp_path: Path, text: str) -> Lab:
    path = tmp_path / "lab.yaml"
    path.write_text(text, encoding="utf-8")
    return load_lab(path)


def test_a_description_in_two_languages_or_one_or_none(tmp_path: Path) -> None:
    lab = _load(tmp_path, NODES)
    nodes = {node.name: node.description for node in lab.node_specs}
    # The lab's own language is what a plain reader sees; the other is kept for a report in it.
    assert nodes == {"node1": "el administrador del Swarm", "node2": "un trabajador", "node3": None}
    assert in_language(nodes["node1"], "en") == "the Swarm's manager"
    # An old spec's plain string stays valid, and is the same text in every language.
    assert in_language(nodes["node2"], "en") == "un trabajador"


@pytest.mark.parametrize(
    ("wrong", "why"),
    [
        ("{es: [uno, dos], en: two}", "a language's text that is a list"),
        ("{spanish: un trabajador}", "a language that is no language code"),
        ("{}", "no language at all"),
        ("7", "a number"),
    ],
)
def test_a_wrong_description_names_file_line_and_key(tmp_path: Path, wrong: str, why: str) -> None:
    text = NODES.replace("    description: un trabajador\n", f"    description: {wrong}\n")
    with pytest.raises(SpecInvalid) as caught:
        _load(tmp_path, text)
    said = [str(problem) for problem in caught.value.problems]
    # Line 7 of the file holds node2's description: file:line: key: what is wrong.
    assert any(line.startswith(f"{tmp_path / 'lab.yaml'}:7: nodes[1].description") for line in said), (
        why,
        said,
    )


BUNDLED = bundled_spec_files()


@pytest.mark.parametrize("spec", BUNDLED, ids=[spec.parent.name for spec in BUNDLED])
def test_every_bundled_node_says_what_it_is_for_in_spanish_and_english(spec: Path) -> None:
    lab = load_lab(spec)
    assert lab.node_specs
    for node in lab.node_specs:
        assert isinstance(node.description, LocalText), node.name
        spanish, english = node.description.texts.get("es"), node.description.texts.get("en")
        assert spanish and english and spanish != english, node.name
    # The report finds a bundled lab's spec by its folder, named after the lab's id.
    assert spec.parent.name == lab.id


@pytest.mark.parametrize("spec", BUNDLED, ids=[spec.parent.name for spec in BUNDLED])
def test_a_glance_at_a_bundled_spec_reads_its_nodes_as_the_loader_does(spec: Path) -> None:
    # A Spanish report only glances at the spec (labcheck.spec.glance); it must say what the full
    # load says, in every language the spec gives.
    lab, seen = load_lab(spec), glance(spec)
    assert seen is not None
    assert (seen.id, seen.version) == (lab.id, lab.version)
    assert [(node.name, node.description) for node in seen.nodes] == [
        (node.name, node.description) for node in lab.node_specs
    ]
    for glanced, loaded in zip(seen.nodes, lab.node_specs, strict=True):
        assert isinstance(glanced.description, LocalText) and isinstance(loaded.description, LocalText)
        assert glanced.description.texts == loaded.description.texts


def test_a_glance_at_what_is_no_spec_gives_nothing(tmp_path: Path) -> None:
    for name, text in (("list", "- a\n- b\n"), ("broken", "lab: [\n"), ("no-lab", "nodes: []\n")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        assert glance(path) is None, name
    assert glance(tmp_path / "missing.yaml") is None
    odd = tmp_path / "odd.yaml"
    odd.write_text("lab: {id: x, version: '1', language: es}\nnodes: [{name: n, description: [1]}, 7]\n")
    seen = glance(odd)
    assert seen is not None and [(node.name, node.description) for node in seen.nodes] == [("n", None)]
