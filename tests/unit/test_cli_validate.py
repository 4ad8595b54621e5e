from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.cli import main
from tests.cli_process import run_labcheck_in_both
from tests.locale_env import locale_env

ROOT = Path(__file__).resolve().parents[2]


def test_validate_accepts_the_bundled_lab(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "specs" / "ops-stage1")]) == 0
    assert "ok: " in capsys.readouterr().out


def test_validate_reports_every_problem_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text("labcheck: 1\nlab: {id: x, title: t, language: es, version: '1'}\nsections: []\n")
    assert main(["validate", str(spec), str(ROOT / "specs" / "ops-stage1")]) == 2
    captured = capsys.readouterr()
    assert f"{spec}:3: sections: is an empty list" in captured.err
    assert "ok: " in captured.out  # the good spec is still checked after the bad one


def test_validate_of_a_folder_without_a_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "no lab.yaml or lab.yml in this folder" in capsys.readouterr().err


SPEC_HEAD = """\
labcheck: 1
lab: {id: x, title: t, language: es, version: '1'}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: first
        title: Primero
        run: echo hola
"""
# One mistake the schema finds, then (in a spec the schema accepts) three it cannot.
SCHEMA_MISTAKE = SPEC_HEAD + "        exepct: {exit_code: 0}\n"
SEMANTIC_MISTAKES = SPEC_HEAD + (
    "        expect: {exit_code: 0}\n"
    "      - id: second\n"
    "        title: Segundo\n"
    "        run: echo hola\n"
    "        needs: [frist]\n"
    "        timeout: 0s\n"
    "        expect: {exit_code: 0}\n"
)


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "C.UTF-8",
            [
                "a.yaml:10: sections[0].steps[0].exepct: unknown key 'exepct'; did you mean 'expect'? "
                "Allowed here: ",
                "b.yaml:14: sections[0].steps[1].needs[0]: 'frist' is not a step that comes before this one "
                "(no step has that id); did you mean 'first'?",
                "b.yaml:15: sections[0].steps[1].timeout: must be above zero; got '0s'",
            ],
        ),
        (
            "es_ES.UTF-8",
            [
                "a.yaml:10: sections[0].steps[0].exepct: clave desconocida 'exepct'; "
                "¿querías decir 'expect'? "
                "Se admiten aquí: ",
                "b.yaml:14: sections[0].steps[1].needs[0]: 'frist' no es un paso anterior a este "
                "(ningún paso tiene ese id); ¿querías decir 'first'?",
                "b.yaml:15: sections[0].steps[1].timeout: debe ser mayor que cero; hay '0s'",
            ],
        ),
    ],
)
def test_spec_errors_name_file_line_and_key_in_the_locales_language(
    tmp_path: Path, locale: str, said: list[str]
) -> None:
    (tmp_path / "a.yaml").write_text(SCHEMA_MISTAKE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(SEMANTIC_MISTAKES, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")],
        env=locale_env(locale),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    for words in said:
        assert any(line.startswith(f"{tmp_path}/{words}") for line in lines), (words, done.stderr)


def test_a_key_left_empty_says_nothing_is_given_rather_than_showing_none(tmp_path: Path) -> None:
    """`expect:` with nothing after it is YAML's null: the error names what was wanted, not Python's None."""
    (tmp_path / "lab.yaml").write_text(SPEC_HEAD + "        expect:\n", encoding="utf-8")
    spanish, english = run_labcheck_in_both("validate", str(tmp_path / "lab.yaml"))
    assert spanish.returncode == english.returncode == 2
    where = f"{tmp_path / 'lab.yaml'}:10: sections[0].steps[0].expect:"
    assert f"{where} se esperaba un mapa de claves, pero no hay nada" in spanish.stderr, spanish.stderr
    assert f"{where} expected a mapping of keys, but nothing is given" in english.stderr, english.stderr
    assert "None" not in spanish.stderr + english.stderr


def test_a_value_of_the_wrong_kind_is_shown_as_yaml_writes_it(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(
        SPEC_HEAD.replace("sections:", "nodes: {node1: {description: mi máquina}}\nsections:"), "utf-8"
    )
    spanish, english = run_labcheck_in_both("validate", str(spec))
    shown = "({node1: {description: mi máquina}})"
    assert f"{spec}:3: nodes: se esperaba una lista; hay un mapa de claves {shown}" in spanish.stderr
    assert f"{spec}:3: nodes: expected a list, got a mapping of keys {shown}" in english.stderr
    assert "{'node1'" not in spanish.stderr + english.stderr  # never Python's repr
