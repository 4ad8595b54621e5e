"""Several labs in one run (`labcheck run a b`, `pytest --labcheck a b`): each keeps an evidence of
its own, finished before the next lab starts, on the local target (no Docker needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]


def _lab(folder: Path, lab_id: str) -> Path:
    folder.mkdir(parents=True)
    spec = folder / "lab.yaml"
    spec.write_text(
        f"""\
labcheck: 1
lab: {{id: {lab_id}, title: Lab {lab_id}, language: es, version: "1"}}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: first
        title: Primero
        run: echo {lab_id}
        expect: {{output: [{{contains: {lab_id}}}]}}
      - id: second
        title: Segundo
        run: sleep 0.2; echo done
        expect: {{exit_code: 0}}
""",
        encoding="utf-8",
    )
    return spec


def _evidence(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


def test_each_lab_gets_its_own_folder_under_the_out_option_and_ends_before_the_next(
    pytester: pytest.Pytester,
) -> None:
    first, second = _lab(pytester.path / "a", "lab-a"), _lab(pytester.path / "b", "lab-b")
    result = pytester.runpytest_subprocess(
        "--labcheck", str(first), str(second), "--labcheck-target", "host=local", "--labcheck-out", "out"
    )
    result.assert_outcomes(passed=4)
    a, b = (
        _evidence(pytester.path / "out/lab-a/evidence.json"),
        _evidence(pytester.path / "out/lab-b/evidence.json"),
    )
    assert (a["lab"]["id"], b["lab"]["id"]) == ("lab-a", "lab-b")
    assert [step["id"] for step in a["steps"]] == [step["id"] for step in b["steps"]] == ["first", "second"]
    assert not (pytester.path / "out" / "evidence.json").exists()
    # The first lab's evidence was complete before the second lab began: a next lab may take
    # the same kit nodes afresh, so the first one's images are read while they are still there.
    assert a["run"]["status"] == b["run"]["status"] == "complete"
    assert a["run"]["finished_at"] <= b["run"]["started_at"], (a["run"], b["run"])


def test_one_lab_writes_right_into_the_out_folder(pytester: pytest.Pytester) -> None:
    spec = _lab(pytester.path / "a", "lab-a")
    result = pytester.runpytest_subprocess(
        "--labcheck", str(spec), "--labcheck-target", "host=local", "--labcheck-out", "out"
    )
    result.assert_outcomes(passed=2)
    assert _evidence(pytester.path / "out/evidence.json")["lab"]["id"] == "lab-a"
