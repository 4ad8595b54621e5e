"""The README's course-CI commands, run as written: keygen, then verify a class's signed bundles."""

from __future__ import annotations

import copy
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from labcheck.cli import main
from labcheck.signing.keys import PrivateKey
from tests.verify.forge import sign, write

ROOT = Path(__file__).resolve().parents[2]


def _readme_verify_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    course_ci = readme[readme.index("## Course CI") :]
    block = re.search(r"```sh\n(.*?)```", course_ci, re.S)
    assert block is not None
    return shlex.split(block.group(1).replace("\\\n", " "))


def test_readme_verify_command_on_a_signed_class(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    real_document: dict[str, Any],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").symlink_to(ROOT / "specs")
    assert main(["keygen", "-o", "."]) == 0  # as the README says: course.key and course.pub
    key = PrivateKey.from_pem((tmp_path / "course.key").read_bytes(), "course.key")
    honest = str(real_document["student"]["id"])
    sign(copy.deepcopy(real_document), tmp_path / "submissions" / f"{honest}.json", key)
    write(copy.deepcopy(real_document), tmp_path / "submissions" / "bea" / "evidence.json")  # unsigned
    command = _readme_verify_command()
    assert command[:2] == ["labcheck", "verify"] and "--pubkey" in command
    capsys.readouterr()
    assert main(command[1:]) == 1
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[3:] if line and not line.startswith(" ")}
    assert "signed (key " in rows[honest]
    assert rows["bea"].endswith("tampered")  # another student's bundle, and unsigned
    for name in ("results.csv", "results.json", "junit.xml"):
        assert (tmp_path / name).is_file()
    # The unsigned bundle alone, with no public key: consistent at best, never passed.
    assert main(["verify", "submissions/bea", "--spec", "specs/ops-stage1"]) == 1
    assert "consistent (unsigned)" in capsys.readouterr().out
