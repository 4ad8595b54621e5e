"""A lab run with no engine (`host=local`: plain shell steps on the student's machine) says so on
its cover, once, and claims nothing about engines it did not have: no images, no Swarm limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.cli import main
from labcheck.spec.loader import load_lab
from tests.local_bundle import run_on_this_machine
from tests.report.test_languages import visible_text

SHELL_LAB = """\
labcheck: 1
lab: {id: shell-only, title: Solo shell, language: es, version: '1'}
nodes: [{name: host}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: greet
        title: Saludo
        node: host
        run: echo hola
        expect: {exit_code: 0, output: [{contains: hola}]}
"""


@pytest.mark.parametrize(
    ("language", "environment", "not_said"),
    [
        (
            "es",
            "Entorno el intérprete de órdenes de este equipo, sin motor Docker (nodos locales)",
            ["malla de enrutamiento", "Limitaciones del entorno", "registro", "motores Docker indicados"],
        ),
        (
            "en",
            "Environment this machine's shell, with no Docker engine (local nodes)",
            ["routing mesh", "Limits of the environment", "registry", "engines the user named"],
        ),
    ],
)
def test_a_run_without_an_engine_says_so_once_and_nothing_about_engines(
    tmp_path: Path, language: str, environment: str, not_said: list[str]
) -> None:
    (tmp_path / "lab.yaml").write_text(SHELL_LAB, encoding="utf-8")
    run_on_this_machine(load_lab(tmp_path / "lab.yaml"), "s1", tmp_path / "out")
    evidence = tmp_path / "out" / "evidence.json"
    assert (
        main(["report", str(evidence), "-o", str(tmp_path / language), "--no-pdf", "--lang", language]) == 0
    )
    page = " ".join(visible_text((tmp_path / language / "informe.html").read_text("utf-8")).split())
    assert environment in page, page[:1500]
    for words in not_said:
        assert words not in page, words
