"""The Course CI templates stay in step with the command line they call."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from labcheck.cli import parse_args

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "github-actions"


def _labcheck_commands(workflow: Path) -> list[list[str]]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    commands = []
    for job in data["jobs"].values():
        for step in job["steps"]:
            script = re.sub(r"\$\{\{[^}]*\}\}", "X", step.get("run", "")).replace("\\\n", " ")
            for line in script.splitlines():
                line = line.split("|", 1)[0]
                words = shlex.split(line, comments=True)
                for index, word in enumerate(words):
                    if word in ("labcheck", "$(command -v labcheck)"):
                        commands.append(words[index + 1 :])
                        break
    return commands


@pytest.mark.parametrize("name", ["labcheck.yml", "labcheck-verify.yml"])
def test_labcheck_command_lines_parse(name: str) -> None:
    commands = _labcheck_commands(EXAMPLES / name)
    assert "verify" in [command[0] for command in commands]
    for command in commands:
        args = parse_args([word.replace("$LAB", "ops-stage1") for word in command])
        if command[0] == "run":  # labcheck's options after the spec are labcheck's, not pytest's
            assert args.workspace == Path("student") and args.out == Path("out")
            assert args.pytest_args == ["--junitxml=out/labcheck.xml"]


def test_the_student_workflow_takes_the_spec_from_the_course() -> None:
    text = (EXAMPLES / "labcheck.yml").read_text(encoding="utf-8")
    assert 'run "course/specs/$LAB"' in text and "kit up --online" in text
    assert "informe.pdf" in text and "evidence.json" in text
    # Signed in the course repository, verified with the public key, the envelope uploaded too.
    assert "LABCHECK_SIGNING_KEY: ${{ secrets.LABCHECK_SIGNING_KEY }}" in text
    assert "--pubkey course/course.pub" in text and "out/evidence.intoto.jsonl" in text
