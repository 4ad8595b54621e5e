"""The CI templates' labcheck command lines, run as written on the real engine and the offline kit.

Only what belongs to the CI system is given by the test: the checkouts (`course/` with the course's
specs, the student's files), the values GitHub puts in `${{ ... }}` and GitLab's predefined
variables, the step summary file. On GitLab the engine is the Docker-in-Docker service and the
kit's folder is in the project; here they are this machine's engine and the kit test.sh brought up.
`kit up --online` needs Docker Hub: where it is unreachable (these machines) the line must fail
cleanly (exit 2, one line, the kit left as it was) and the offline kit serves the lab instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from labcheck.signing.keys import PrivateKey
from tests.bundled_lab import bundled_step_ids
from tests.ci_lines import GITHUB, GITLAB, ROOT, CommandLine, github_lines, gitlab_lines
from tests.locale_env import ENGLISH, locale_env

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

BIN = Path(sys.executable).parent
STUDENT = "ops-stage1-ana"


def _hub_reachable() -> bool:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen("https://registry-1.docker.io/v2/", timeout=5).close()
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False
    return True


def _checkouts(folder: Path, student: Path) -> None:
    shutil.copytree(ROOT / "specs", folder / "course" / "specs")
    student.mkdir(parents=True, exist_ok=True)
    for name in ("index.js", "Dockerfile"):  # the student's own copy of the lab's files
        shutil.copy(ROOT / "specs" / "ops-stage1" / name, student / name)


def _run_line(line: CommandLine, cwd: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A CI runner's locale (C.UTF-8): the command line speaks English.
    env = {**locale_env(ENGLISH), **line.env, **extra_env, "PATH": f"{BIN}:{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line.text],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=2400,
        check=False,
    )


def _run_template(lines: list[CommandLine], cwd: Path, extra_env: dict[str, str]) -> dict[str, str]:
    """Run each line in order; returns the output of each subcommand's last line."""
    outputs: dict[str, str] = {}
    for line in lines:
        done = _run_line(line, cwd, extra_env)
        said = done.stdout + done.stderr
        assert "Traceback" not in said, said[-3000:]
        if line.subcommand == "kit" and "--online" in line.text and not _hub_reachable():
            assert done.returncode == 2, said[-2000:]
            # Refused in one line naming Docker Hub: unreachable, or (the kit being up here, fed
            # from its own registry) to be taken down before its nodes are fed from Docker Hub.
            assert said.count("labcheck: ") == 1 and ("online" in said or "Docker Hub" in said), said
        else:
            assert done.returncode == 0, f"{line.text}\n{said[-4000:]}"
        outputs[line.subcommand] = said
    return outputs


def _check_outputs(out: Path, outputs: dict[str, str]) -> None:
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    assert evidence["student"]["id"] == STUDENT
    assert tuple(step["id"] for step in evidence["steps"]) == bundled_step_ids()
    assert not Path(evidence["spec"]["path"]).is_absolute()
    assert (out / "informe.pdf").stat().st_size > 10_000
    assert f"PDF report: {out.name}/informe.pdf" in outputs["run"]
    cases = list(ET.parse(out / "labcheck.xml").getroot().iter("testcase"))
    assert len(cases) == len(bundled_step_ids())
    # Every step that ran carries its transcript; skipped ones carry their reason.
    ran = [case for case in cases if case.find("skipped") is None]
    assert all((case.findtext("system-out") or "").strip() for case in ran if case.get("name") != "vote-page")
    for case in cases:
        skipped = case.find("skipped")
        if skipped is not None:
            assert skipped.get("message", "").startswith("skipped: ")
    assert STUDENT in outputs["verify"]


def test_the_github_lab_workflow_runs_as_written(tmp_path: Path) -> None:
    _checkouts(tmp_path, tmp_path / "student")
    key = PrivateKey.generate()  # as `labcheck keygen` makes it: course.pub committed, the key a secret
    (tmp_path / "course" / "course.pub").write_bytes(key.public.pem())
    expressions = {
        "inputs.student": STUDENT,
        "github.repository_owner": "my-school",
        "secrets.STUDENT_REPOS_TOKEN": "unused",
        "secrets.LABCHECK_SIGNING_KEY": key.pem().decode(),
    }
    lines = github_lines(GITHUB / "labcheck.yml", expressions)
    assert [line.subcommand for line in lines] == ["validate", "kit", "run", "verify"]
    summary = tmp_path / "summary.md"
    outputs = _run_template(lines, tmp_path, {"GITHUB_STEP_SUMMARY": str(summary)})
    _check_outputs(tmp_path / "out", outputs)
    assert STUDENT in summary.read_text()
    # Signed in CI, and verified there with the committed public key.
    assert (tmp_path / "out" / "evidence.intoto.jsonl").is_file()
    assert f"signed (key {key.public.key_id[:16]}…)" in outputs["verify"]


def test_the_gitlab_pipeline_runs_as_written(tmp_path: Path) -> None:
    project = tmp_path / "builds" / "docker-course"  # the course project is the job's folder
    shutil.copytree(ROOT / "specs", project / "specs")
    student = project / "student"  # the student project, as the pipeline clones it
    student.mkdir()
    for name in ("index.js", "Dockerfile"):
        shutil.copy(ROOT / "specs" / "ops-stage1" / name, student / name)
    key = PrivateKey.generate()
    (project / "course.pub").write_bytes(key.public.pem())
    predefined = {"CI_PROJECT_NAME": "docker-course", "CI_PROJECT_DIR": str(project)}
    lines = gitlab_lines(GITLAB, predefined)
    assert [line.subcommand for line in lines] == ["validate", "kit", "run", "verify"]
    # GitLab's Docker-in-Docker service and the kit's folder in the project, as this machine has them;
    # STUDENT as "Run pipeline" sets it, the course's key as its CI/CD variable.
    machine = {
        "DOCKER_HOST": os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"),
        "STUDENT": STUDENT,
        "LABCHECK_SIGNING_KEY": key.pem().decode(),
    }
    lines = [
        CommandLine(line.text, {k: v for k, v in line.env.items() if k != "LABCHECK_KIT_HOME"})
        for line in lines
    ]
    outputs = _run_template(lines, project, machine)
    _check_outputs(project / "out", outputs)
    assert (project / "out" / "evidence.intoto.jsonl").is_file()
    assert f"signed (key {key.public.key_id[:16]}…)" in outputs["verify"]
