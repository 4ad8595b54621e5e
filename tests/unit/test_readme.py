"""The README's spec example is a valid spec: the README stays true."""

from __future__ import annotations

import re
from pathlib import Path

from labcheck.spec.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]


def test_readme_spec_example_loads(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## The spec format\n\n```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    (tmp_path / "lab.yaml").write_text(example.group(1), encoding="utf-8")
    for name in ("index.js", "Dockerfile"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    lab = load_lab(tmp_path)
    assert [step.id for step in lab.steps] == ["isolation-ash", "container-start"]
    assert lab.step("container-start").needs == ("isolation-ash",)
