"""Common pytest plugins, really installed from PyPI, cannot corrupt a lab's evidence.

Each test runs the small lab of plugin_lab.py on the kit's fresh nodes under one plugin and
checks the evidence with `labcheck verify`: every step once, in the spec's order, honest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docker.labrun import verify
from tests.docker.plugin_lab import (
    STEP_IDS,
    evidence,
    pytest_labcheck,
    reasons,
    recorded_ids,
    statuses,
    write_spec,
)
from tests.evidence_words import said

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

# Unsigned bundles: a step that held is consistent, never passed.
HONEST = {"greet": "consistent", "count-once": "failed", "counted": "consistent", "engine": "consistent"}


def test_pytest_randomly_cannot_shuffle_the_steps(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path), tmp_path / "out"
    # An explicit seed: the option exists only if pytest-randomly is really active.
    done = pytest_labcheck(out, spec, "-p", "randomly", "--randomly-seed=20261201", "--labcheck-no-report")
    assert done.returncode == 1, done.stdout[-3000:]
    assert recorded_ids(evidence(out)) == STEP_IDS
    student = verify(out, spec)
    assert student["verdict"] == "failed", student["stdout"]
    assert statuses(student) == {**HONEST, "farewell": "consistent", "last": "consistent"}


def test_a_rerun_plugin_never_runs_a_step_twice(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path), tmp_path / "out"
    done = pytest_labcheck(out, spec, "--reruns", "2", "--labcheck-no-report")
    assert done.returncode == 1, done.stdout[-3000:]
    assert "2 rerun" in done.stdout  # pytest-rerunfailures did ask, twice
    assert "1 rerun step reported its first result again" in done.stdout
    document = evidence(out)
    assert recorded_ids(document) == STEP_IDS  # 6 records for 6 steps
    # The command ran once: the next step counts one line in the node's ~/veces.
    counted = next(step for step in document["steps"] if step["id"] == "counted")
    assert counted["outcome"] == "passed", counted["transcript"]["text"]
    student = verify(out, spec)
    assert student["verdict"] == "failed", student["stdout"]
    assert statuses(student) == {**HONEST, "farewell": "consistent", "last": "consistent"}


def test_pytest_timeout_kill_is_recorded_as_the_steps_error(tmp_path: Path) -> None:
    hanging = """\
      - id: hangs
        title: Una orden que no termina
        run: sleep 120
        timeout: 5m
        expect: {exit_code: 0}
"""
    text = (
        write_spec(tmp_path).read_text().replace("      - id: farewell\n", hanging + "      - id: farewell\n")
    )
    spec, out = write_spec(tmp_path, text), tmp_path / "out"
    # pytest-timeout's default method here would be `thread` if asked for: it ends the process.
    done = pytest_labcheck(out, spec, "--timeout", "20", "--timeout-method", "thread", "--labcheck-no-report")
    assert done.returncode == 1, done.stdout[-3000:]
    document = evidence(out)
    assert document["run"]["status"] == "complete"
    assert recorded_ids(document) == [*STEP_IDS[:4], "hangs", *STEP_IDS[4:]]
    hangs = next(step for step in document["steps"] if step["id"] == "hangs")
    assert hangs["outcome"] == "error"
    assert hangs["reason"] == {"code": "pytest_timeout", "params": {"timeout_s": 20.0}}
    assert said(hangs["reason"]) == "pytest-timeout detuvo el paso a los 20 s (--timeout)"
    student = verify(out, spec)
    assert student["verdict"] == "failed", student["stdout"]
    assert statuses(student)["hangs"] == "failed"
    assert "pytest-timeout stopped the step after 20 s" in reasons(student, "hangs")
    assert statuses(student)["last"] == "consistent"


def test_xdist_is_refused_before_anything_runs(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path), tmp_path / "out"
    done = pytest_labcheck(out, spec, "-n", "2")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "pytest-xdist (-n/--dist) would split a lab's steps" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()  # no node was taken, no evidence written


def test_installed_plugins_change_nothing_by_default(tmp_path: Path) -> None:
    # xdist, rerunfailures and timeout are installed (the dev extras) but not asked for.
    spec, out = write_spec(tmp_path), tmp_path / "out"
    done = pytest_labcheck(out, spec, "-p", "no:randomly", "--labcheck-no-report")
    assert done.returncode == 1, done.stdout[-3000:]
    assert "rerun" not in done.stdout and "repetido" not in done.stdout
    assert recorded_ids(evidence(out)) == STEP_IDS
    assert verify(out, spec)["verdict"] == "failed"
