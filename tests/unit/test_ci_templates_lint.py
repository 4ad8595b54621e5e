"""The CI templates pass real linters (actionlint, the CI systems' own schemas), and the one that
needs no engine, verifying handed-in bundles, runs as written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.signing.files import sign_evidence_file
from labcheck.signing.keys import PrivateKey
from tests.ci_lines import GITHUB, GITLAB, ROOT, github_lines

BIN = Path(sys.executable).parent
WORKFLOWS = sorted(GITHUB.glob("*.yml"))


def _tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / name), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_there_are_templates_for_both_ci_systems() -> None:
    assert [w.name for w in WORKFLOWS] == ["labcheck-verify.yml", "labcheck.yml"]
    assert GITLAB.is_file()


def test_actionlint_passes_the_workflows_and_catches_a_broken_one(tmp_path: Path) -> None:
    done = _tool("actionlint", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[1].read_text().replace("runs-on:", "runs-onn:"), encoding="utf-8")
    assert _tool("actionlint", broken).returncode != 0


@pytest.mark.parametrize(
    ("schema", "templates"), [("vendor.github-workflows", WORKFLOWS), ("vendor.gitlab-ci", [GITLAB])]
)
def test_the_ci_systems_schemas_accept_the_templates(
    schema: str, templates: list[Path], tmp_path: Path
) -> None:
    done = _tool("check-jsonschema", "--builtin-schema", schema, *templates)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(
        templates[0].read_text().replace("when: always", "when: sometimes").replace("runs-on:", "runs_on:")
    )
    assert _tool("check-jsonschema", "--builtin-schema", schema, broken).returncode != 0


def test_the_verify_workflow_runs_as_written(tmp_path: Path) -> None:
    # The course repository's checkout: its specs and the bundles students handed in.
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "submissions").mkdir()
    bundle = tmp_path / "submissions" / "A00123456.json"
    shutil.copy(ROOT / "tests" / "data" / "evidence" / "ops-stage1.json", bundle)
    # Signed by the course CI (A00123456.intoto.jsonl beside it); course.pub is committed.
    key = PrivateKey.generate()
    sign_evidence_file(bundle, key)
    (tmp_path / "course.pub").write_bytes(key.public.pem())
    summary = tmp_path / "summary.md"
    (line,) = github_lines(GITHUB / "labcheck-verify.yml", {})
    env = {
        **os.environ,
        **line.env,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line.text],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "A00123456" in summary.read_text() and "signed (key " in summary.read_text()
    assert "A00123456" in (tmp_path / "results.csv").read_text()
    assert (tmp_path / "results.json").is_file() and (tmp_path / "junit.xml").is_file()
