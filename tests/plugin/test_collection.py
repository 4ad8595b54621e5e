"""The plugin, driven through real pytest sessions (pytester); nothing here needs Docker."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.bundled import bundled_labs
from labcheck.spec.loader import load_lab
from tests.bundled_lab import bundled_step_ids

pytest_plugins = ["pytester"]

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
        expect:
          exit_code: 0
          ouptut:
            - contains: hola
"""


def test_nothing_is_collected_without_the_flag(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", lab=BROKEN)
    result = pytester.runpytest("--collect-only", "-q")
    result.assert_outcomes()
    assert "hello" not in result.stdout.str()


def test_bundled_lab_is_collected_step_by_step(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--labcheck", "--collect-only", "-q")
    collected = [line.rsplit("::", 1)[1] for line in result.stdout.lines if "::" in line]
    # Every step of every bundled lab, once, each lab in its spec's order.
    every = [step.id for lab in bundled_labs() for step in load_lab(lab.path).steps]
    assert collected == every
    assert set(bundled_step_ids()) <= set(collected)


def test_keyword_selection_works_on_step_ids(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--labcheck", "--collect-only", "-q", "-k", "swarm")
    output = result.stdout.str()
    assert "swarm-init" in output and "swarm-join" in output and "hello-world" not in output


def test_spec_error_names_file_line_and_key_without_traceback(pytester: pytest.Pytester) -> None:
    spec = pytester.makefile(".yaml", lab=BROKEN)
    result = pytester.runpytest("--labcheck", str(spec))
    output = result.stdout.str()
    assert result.ret != 0
    assert (
        f"{spec}:12: sections[0].steps[0].expect.ouptut: unknown key 'ouptut'; did you mean 'output'?"
        in output
    )
    assert "Traceback" not in output


def test_python_tests_are_not_collected_with_the_flag(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_other="def test_x():\n    assert True\n")
    spec = pytester.makefile(".yaml", lab=BROKEN.replace("ouptut", "output"))
    result = pytester.runpytest("--labcheck", "--collect-only", "-q", str(spec.parent))
    assert "test_x" not in result.stdout.str() and "lab.yaml::hello" in result.stdout.str()


def test_collection_does_no_real_work(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Collecting reads specs only: no engine, no kit. (Its speed is bench/lab_overhead.py's.)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "no-kit"))
    result = pytester.runpytest_subprocess("--labcheck", "--collect-only", "-q", "-p", "no:cacheprovider")
    assert result.ret == 0
    every = sum(len(load_lab(lab.path).steps) for lab in bundled_labs())
    assert every > len(bundled_step_ids())
    assert f"{every} tests collected" in result.stdout.str()
    assert not (tmp_path / "no-kit").exists()


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
        expect:
          exit_code: 0
      - id: second
        title: Segundo
        run: docker ps
        expect:
          exit_code: 0
"""


def test_unreachable_engine_says_how_to_start_one(pytester: pytest.Pytester, tmp_path: Path) -> None:
    spec = pytester.makefile(".yaml", lab=ONE_NODE)
    dead = f"unix://{tmp_path}/no-engine.sock"
    result = pytester.runpytest(
        "--labcheck",
        "--labcheck-no-report",
        "--labcheck-out",
        str(tmp_path / "out"),
        "--labcheck-target",
        f"node1={dead}",
        str(spec),
    )
    output = result.stdout.str()
    # Checked before any step: one message, exit 2, no step attempted.
    assert result.ret == 2
    result.assert_outcomes()
    assert output.count(f"no Docker engine answers at {dead}: start one with scripts/engine-up.sh") == 1
    assert not (tmp_path / "out" / "evidence.json").exists()
    assert "Traceback" not in output and "docker.errors" not in output
    assert "PytestAssertRewriteWarning" not in output
