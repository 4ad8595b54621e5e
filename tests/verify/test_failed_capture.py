"""A capture that found nothing is named in verify's findings by its reason, in the reader's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.cli import main
from labcheck.spec.loader import load_lab
from tests.local_bundle import run_on_this_machine

TOKEN_LAB = """\
labcheck: 1
lab: {id: token-lab, title: Token, language: es, version: '1'}
nodes: [{name: host}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: token
        title: Token
        node: host
        run: echo "no token here"
        capture:
          - {name: token, from: output, pattern: 'SWMTKN-[0-9a-z-]+'}
        expect: {exit_code: 0}
"""


def test_verify_names_why_a_capture_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(TOKEN_LAB, encoding="utf-8")
    document = run_on_this_machine(load_lab(spec), "s1", tmp_path / "out")
    assert document["steps"][0]["outcome"] == "failed"
    code = main(["verify", str(tmp_path / "out" / "evidence.json"), "--spec", str(spec), "--accept-unsigned"])
    out = capsys.readouterr().out
    assert code == 1
    assert "capture 'token': /SWMTKN-[0-9a-z-]+/ is not in the output" in out, out
    assert "None" not in out
