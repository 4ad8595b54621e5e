"""`labcheck new LAB-ID`: a starter pack that validates, lints clean, points each feature to
docs/specs.md, and never overwrites; the README's lines for it run as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from labcheck.spec.loader import load_lab
from tests.readme_commands import block_with

ROOT = Path(__file__).resolve().parents[2]
README_FIRST = "labcheck new my-lab -o specs/my-lab"


def _labcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", *args]
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )


def test_the_readme_lines_for_new_run_as_written(tmp_path: Path) -> None:
    block = block_with(README_FIRST)
    assert block == [README_FIRST, "labcheck validate specs/my-lab"]
    for line in block:
        done = _labcheck(*shlex.split(line)[1:], cwd=tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
    assert "ok: specs/my-lab/lab.yaml (my-lab 0.1.0, 2 steps)" in done.stdout


def test_the_starter_pack_has_one_node_two_steps_and_lints_clean(tmp_path: Path) -> None:
    done = _labcheck("new", "intro.docker", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    spec = tmp_path / "intro.docker" / "lab.yaml"
    lab = load_lab(spec)
    assert lab.id == "intro.docker" and [node.name for node in lab.node_specs] == ["node1"]
    assert len(lab.steps) == 2 and lab.steps[1].needs == (lab.steps[0].id,)
    assert lab.steps[0].captures and lab.steps[0].state_checks and lab.steps[1].state_checks
    linted = _labcheck("lint", str(spec), cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_every_section_the_comments_name_is_a_heading_of_the_reference(tmp_path: Path) -> None:
    assert _labcheck("new", "refs", cwd=tmp_path).returncode == 0
    text = (tmp_path / "refs" / "lab.yaml").read_text(encoding="utf-8")
    named = set(re.findall(r"#.*\[([^\]]+)\]$", text, re.M))
    headings = set(re.findall(r"^##+ (.+)$", (ROOT / "docs" / "specs.md").read_text(encoding="utf-8"), re.M))
    assert len(named) >= 10
    assert named <= headings, named - headings


def test_new_never_overwrites_and_refuses_a_bad_id(tmp_path: Path) -> None:
    assert _labcheck("new", "mine", cwd=tmp_path).returncode == 0
    spec = tmp_path / "mine" / "lab.yaml"
    spec.write_text("# the teacher's work\n", encoding="utf-8")
    again = _labcheck("new", "mine", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr
    assert spec.read_text(encoding="utf-8") == "# the teacher's work\n"
    for bad in ("../escape", "Upper", "a/b", ""):
        refused = _labcheck("new", bad, cwd=tmp_path)
        assert refused.returncode == 2, bad
        assert "is not a lab id" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_new_speaks_spanish_under_a_spanish_locale(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "labcheck", "new", "Bad"]
    done = subprocess.run(
        argv,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"LANG": "es_ES.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2 and "no es un identificador de laboratorio" in done.stderr
