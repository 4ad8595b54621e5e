from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.cli import main

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
