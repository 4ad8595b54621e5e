"""The README stays true: its spec example is a valid spec, its command lines run (or say why not)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.signing.files import sign_evidence_file
from labcheck.signing.keys import PrivateKey
from labcheck.spec.loader import load_lab
from tests.readme_commands import NOT_RUN_HERE, block_with, is_synopsis, sh_blocks

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
    assert lab.tools == ("git", "curl") and [image.library for image in lab.images] == ["alpine"]


# -- the README's command lines ---------------------------------------------------------------


def test_every_readme_command_is_run_by_a_test_or_says_why_not() -> None:
    run_by_tests = {
        *block_with("scripts/lab.sh")[:1],  # tests/docker/test_readme_commands.py
        *block_with("labcheck --version"),  # tests/docker/test_readme_commands.py
        *block_with(
            "labcheck verify submissions/ --spec specs/ops-stage1 --ids-from-names --pubkey course.pub "
            "--csv results.csv --json results.json --junitxml junit.xml"
        ),  # below
        ".venv/bin/ruff check labcheck tests bench && .venv/bin/mypy",  # below
        # tests/authoring/test_readme_authoring.py:
        *block_with("labcheck import ops-s1-hello.md -o specs/ops-s1-hello"),
        "labcheck record specs/ops-s1-hello --runs 2",  # tests/docker/test_record.py
        *block_with("labcheck kit export kit.tar"),  # tests/docker/kit/test_kit_8_carry.py
        *block_with("labcheck new my-lab -o specs/my-lab"),  # tests/authoring/test_new.py
    }
    for block in sh_blocks():
        for line in block:
            assert is_synopsis(line) or line in run_by_tests or line in NOT_RUN_HERE, line


def _help(*command: str) -> str:
    argv = [sys.executable, "-m", *command, "--help"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    return done.stdout


def test_the_readme_synopsis_names_only_options_the_commands_have() -> None:
    (synopsis,) = [block for block in sh_blocks() if block and block[0].startswith("labcheck run [")]
    command: list[str] = []
    helps: dict[str, str] = {}
    for line in synopsis:
        words = line.split()
        if words[0] == "labcheck":
            command = ["labcheck", *words[1:2]]
        elif words[0] == "pytest":
            command = ["pytest"]
        key = " ".join(command)
        if key not in helps:
            if command == ["labcheck", "kit"]:
                helps[key] = "".join(_help("labcheck", "kit", action) for action in ("up", "down", "status"))
            else:
                helps[key] = _help(*command)
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
            assert option in helps[key], f"{key}: {option}"
    assert {"labcheck run", "labcheck verify", "labcheck kit", "pytest"} <= set(helps)


def test_the_readme_verify_command_runs_as_written(tmp_path: Path) -> None:
    (line,) = block_with(
        "labcheck verify submissions/ --spec specs/ops-stage1 --ids-from-names --pubkey course.pub "
        "--csv results.csv --json results.json --junitxml junit.xml"
    )
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "submissions").mkdir()
    evidence = ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
    shutil.copy(evidence, tmp_path / "submissions" / "A00123456.json")
    # Two students: one handed in the course CI's signed bundle, the other the same bundle unsigned.
    key = PrivateKey.generate()
    signed = tmp_path / "submissions" / "A00123456.json"
    sign_evidence_file(signed, key)
    (tmp_path / "course.pub").write_bytes(key.public.pem())
    (tmp_path / "submissions" / "bea").mkdir()
    shutil.copy(evidence, tmp_path / "submissions" / "bea" / "evidence.json")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        line, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    # Bea's is not signed by the course's key (and is another student's): rejected.
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"A00123456 .* signed \(key [0-9a-f]{16}…\)", done.stdout)
    assert re.search(r"bea .* tampered", done.stdout)
    for written in ("results.csv", "results.json", "junit.xml"):
        assert (tmp_path / written).stat().st_size > 0


@pytest.mark.slow
def test_the_readme_lint_command_runs_as_written() -> None:
    line = ".venv/bin/ruff check labcheck tests bench && .venv/bin/mypy"
    assert line in block_with('.venv/bin/pytest -m "not docker"')
    if not (ROOT / ".venv" / "bin" / "ruff").is_file():
        pytest.skip("the checkout has no .venv with the dev tools (scripts/setup.sh makes it)")
    done = subprocess.run(line, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
