"""The command line's conventions, through the real parser and real pytest sessions (no engine)."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import labcheck
from labcheck.cli import EXAMPLES, build_parser, main, parse_args, subcommand_parsers
from tests.bundled_lab import bundled_step_ids
from tests.cli_process import run_labcheck

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """\
labcheck: 1
lab: {id: broken, title: Roto, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        run: echo hola
        expect: {exepct: 0}
"""

ONE_NODE = """\
labcheck: 1
lab: {id: solo, title: Un nodo, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: first
        title: Primero
        run: docker info
        expect: {exit_code: 0}
      - id: second
        title: Segundo
        run: docker ps
        expect: {exit_code: 0}
"""


def labcheck_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_labcheck(*args, cwd=cwd, columns=80)  # pytest cuts its summary lines to the terminal's width


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    done = labcheck_cli(flag)
    assert done.returncode == 0
    assert done.stdout.strip() == f"labcheck {labcheck.__version__}"


def _every_command(parser: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, sub in subcommand_parsers(parser).items():  # type: ignore[arg-type]
        found.append((*path, name))
        found += _every_command(sub, (*path, name))
    return found


def test_every_command_has_help_with_an_example_and_the_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = _every_command(build_parser())
    assert {("run",), ("labs",), ("validate",), ("report",), ("verify",), ("kit", "up")} <= set(commands)
    for command in [(), *commands]:
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        text = capsys.readouterr().out
        assert "example" in text and "labcheck " in text.split("example", 1)[1], command
        assert "130  interrupted" in text and "2    usage, spec or set-up error" in text, command


def test_the_help_examples_parse() -> None:
    for example in EXAMPLES.values():
        for line in example.split("&&"):
            words = line.split()
            assert words[0] == "labcheck"
            parse_args(words[1:])


def test_run_takes_its_options_anywhere_and_gives_pytest_only_what_follows_the_dashes() -> None:
    args = parse_args(
        [
            "run",
            "--out",
            "o",
            "specs/a",
            "--workspace=w",
            "b",
            "--student-id",
            "ana",
            "--",
            "-x",
            "--out",
            "z",
        ]
    )
    assert args.specs == ["specs/a", "b"]
    assert args.out == Path("o") and args.workspace == Path("w") and args.student_id == "ana"
    assert args.pytest_args == ["-x", "--out", "z"]


def test_run_rejects_an_unknown_option_before_the_dashes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "ops-stage1", "--junitxml=x.xml"])
    assert exited.value.code == 2
    assert "unrecognized arguments: --junitxml=x.xml" in capsys.readouterr().err


def test_run_of_an_unknown_lab_says_how_to_list_labs(tmp_path: Path) -> None:
    done = labcheck_cli("run", "no-such-lab", cwd=tmp_path)
    assert done.returncode == 2
    assert "no-such-lab: no such file or folder, and no bundled lab has that id" in done.stderr
    assert "`labcheck labs` lists the bundled labs" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_of_a_folder_without_a_spec_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = labcheck_cli("run", "empty", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert "empty: no lab here: looked for lab.yaml or lab.yml in this folder and below it" in done.stderr
    assert not (tmp_path / "out").exists()


def test_run_a_bundled_lab_by_its_id(tmp_path: Path) -> None:
    done = labcheck_cli("run", "ops-stage1", "--out", "out", "--", "--collect-only", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(bundled_step_ids())} tests collected" in done.stdout
    assert "PytestAssertRewriteWarning" not in done.stdout + done.stderr


def test_run_with_no_step_selected_is_a_usage_error(tmp_path: Path) -> None:
    done = labcheck_cli("run", "ops-stage1", "--", "--collect-only", "-k", "no-such-step", cwd=tmp_path)
    assert done.returncode == 2  # pytest's 5, "no tests ran"
    assert "labcheck: no step was selected" in done.stderr


def test_run_of_an_invalid_spec_is_a_spec_error_not_an_interruption(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(BROKEN, encoding="utf-8")
    done = labcheck_cli("run", "lab.yaml", cwd=tmp_path)
    assert done.returncode == 2  # pytest says 2 (interrupted) for collection errors: not a Ctrl-C
    assert "lab.yaml:10: sections[0].steps[0].expect.exepct: unknown key 'exepct'" in done.stdout


def test_run_with_a_bad_pytest_argument_is_a_usage_error(tmp_path: Path) -> None:
    done = labcheck_cli("run", "ops-stage1", "--", "--no-such-pytest-flag", cwd=tmp_path)
    assert done.returncode == 2  # pytest's 4
    assert "--no-such-pytest-flag" in done.stderr


def test_a_set_up_error_is_said_once_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(ONE_NODE, encoding="utf-8")
    dead = f"unix://{tmp_path}/no-engine.sock"
    done = labcheck_cli("run", "lab.yaml", "--target", f"node1={dead}", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.count(f"no Docker engine answers at {dead}") == 1
    assert "no tests ran" in done.stdout  # the pre-flight stopped it before the first step
    assert "::second" not in done.stdout and "Traceback" not in done.stdout


def test_labs_lists_the_bundled_labs_as_a_table_and_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    table = labcheck_cli("labs")
    assert table.returncode == 0
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["ID", "TITLE", "NODES", "STEPS", "VERSION"]
    (row,) = [line for line in rows if line.startswith("ops-stage1 ")]
    assert " node1, node2 " in row and " 51 " in row
    # The title follows the locale when the spec gives it in that language.
    assert " Docker, stage one: containers, images and Swarm " in row
    listed = json.loads(labcheck_cli("labs", "--json").stdout)
    assert [(lab["id"], lab["steps"], lab["nodes"]) for lab in listed] == [
        ("docker-volumes", 28, ["node1"]),
        ("ops-stage1", 51, ["node1", "node2"]),
        ("orchestration-hol", 26, ["node1", "node2", "node3"]),
        ("swarm-compose-secrets", 9, ["node1"]),
    ]
    assert listed[1]["version"] in row


@pytest.mark.parametrize(("locale", "said"), [("C.UTF-8", "ok: "), ("es_ES.UTF-8", "correcto: ")])
def test_validate_takes_a_bundled_lab_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, said: str
) -> None:
    monkeypatch.setenv("LC_ALL", locale)  # what the command says follows the locale
    done = labcheck_cli("validate", "ops-stage1", cwd=tmp_path)
    assert done.returncode == 0
    steps = "51 steps" if said == "ok: " else "51 pasos"
    assert done.stdout.startswith(said) and f"(ops-stage1 1.1.0, {steps})" in done.stdout


def test_a_file_that_cannot_be_read_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    done = labcheck_cli("report", str(tmp_path / "missing.json"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "missing.json" in done.stderr


def _every_parser(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in subcommand_parsers(parser).items():
        yield from _every_parser(sub, (*path, name))


@pytest.mark.parametrize("columns", [60, 100])
def test_every_help_fits_the_terminal_and_never_cuts_an_option(columns: int) -> None:
    """Descriptions of commands with an example are wrapped by labcheck itself (their help is raw):
    each line fits, and no option is split at its hyphen ("--accept-" / "unsigned")."""
    environment = {**os.environ, "COLUMNS": str(columns), "LANG": "C"}
    for path in _every_parser(build_parser()):
        shown = subprocess.run(
            [sys.executable, "-m", "labcheck", *path, "--help"],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        ).stdout
        in_examples = False
        for line in shown.splitlines():
            in_examples = line in {"example:", "examples:"} or (in_examples and line != "")
            if in_examples or re.fullmatch(r" +\[[^ ]+ [^]]+\]", line):
                continue  # example command lines are kept whole, to copy; argparse never splits a group
            assert len(line) <= columns, f"labcheck {' '.join(path)} --help: {line!r}"
            assert not line.rstrip().endswith(("--", "-")) or line.strip() in {"--", "-"}, line
