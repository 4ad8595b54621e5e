"""Which Python the set-up scripts make virtualenvs with (scripts/python.sh)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "python.sh"


def chosen(**env: str) -> str:
    clean = {key: value for key, value in os.environ.items() if key != "PYTHON"}
    done = subprocess.run([str(SCRIPT)], env={**clean, **env}, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_python_named_by_the_user_wins() -> None:
    assert chosen(PYTHON="/opt/my/python3.11") == "/opt/my/python3.11"


@pytest.mark.skipif(
    not (Path("/etc/debian_version").exists() and Path("/usr/bin/python3.11").exists()),
    reason="not a Debian machine with Debian's python3.11",
)
def test_debians_own_python_comes_before_the_one_on_the_path(tmp_path: Path) -> None:
    # A python3.11 earlier on the PATH (pyenv's shims are) is not taken while Debian's exists.
    shim = tmp_path / "python3.11"
    shim.write_text("#!/bin/sh\nexit 0\n")
    shim.chmod(0o755)
    assert chosen(PATH=f"{tmp_path}:{os.environ['PATH']}") == "/usr/bin/python3.11"


def test_without_debians_the_path_decides(tmp_path: Path) -> None:
    # A copy of the script that looks for Debian's interpreter where there is none.
    script = tmp_path / "python.sh"
    script.write_text(SCRIPT.read_text().replace("/usr/bin/python3.11", str(tmp_path / "none")))
    script.chmod(0o755)
    shim = tmp_path / "bin" / "python3.11"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\nexit 0\n")
    shim.chmod(0o755)
    clean = {key: value for key, value in os.environ.items() if key != "PYTHON"}
    done = subprocess.run(
        [str(script)], env={**clean, "PATH": f"{shim.parent}:/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert done.stdout.strip() == str(shim)
