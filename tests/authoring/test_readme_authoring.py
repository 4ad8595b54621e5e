"""The README's lines for writing labs run as written (in a folder holding what they name)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.authoring.labs import PWD_STYLE
from tests.readme_commands import block_with
from tests.real_evidence import EVIDENCE

FIRST = "labcheck import ops-s1-hello.md -o specs/ops-s1-hello"


def test_the_readme_import_and_lint_lines_run_as_written(tmp_path: Path) -> None:
    (tmp_path / "ops-s1-hello.md").write_text(PWD_STYLE, encoding="utf-8")
    (tmp_path / "reports" / "ops-stage1").mkdir(parents=True)
    shutil.copyfile(EVIDENCE, tmp_path / "reports" / "ops-stage1" / "evidence.json")
    block = block_with(FIRST)
    assert len(block) == 3
    for line in block:
        words = shlex.split(line)
        assert words[0] == "labcheck"
        done = subprocess.run(
            [sys.executable, "-m", "labcheck", *words[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
    assert (tmp_path / "specs" / "ops-s1-hello" / "lab.yaml").is_file()
