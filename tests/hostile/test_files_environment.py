"""Steps run without labcheck's secrets: the signing key, the names marked secret, CI's tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labcheck.kit.nodes import KitNode
from labcheck.report.student_pictures import MAX_PICTURE_BYTES
from labcheck.runner.environment import SECRET_LIST_ENV, scrubbed_environment, secret_names
from labcheck.runner.lab_files import MAX_LAB_FILE_BYTES
from labcheck.runner.process import run_command
from labcheck.runner.targets import HostTarget, KitNodeTarget
from labcheck.signing.keys import SIGNING_KEY_ENV
from tests.hostile.files_inputs import SECRET_KEY

CI_TOKENS = {
    "GITHUB_TOKEN": "ghs_runner-token",
    "ACTIONS_RUNTIME_TOKEN": "runtime-token",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc-request-token",
    "CI_JOB_TOKEN": "gitlab-job-token",
    "CI_REGISTRY_PASSWORD": "gitlab-registry-password",
    "GITLAB_TOKEN": "gitlab-token",
    "AWS_SECRET_ACCESS_KEY": "aws-secret",
    "NPM_TOKEN": "npm-token",  # not listed by name: caught by what its name says
    "GIT_CONFIG_VALUE_0": "AUTHORIZATION: basic c2VjcmV0",
}


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {SIGNING_KEY_ENV: SECRET_KEY, "COURSE_DB_URL": "postgres://teacher:pw@db/notas", **CI_TOKENS}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(SECRET_LIST_ENV, " COURSE_DB_URL , UNSET_ONE")
    monkeypatch.setenv("LABCHECK_HARMLESS_PROBE", "visible-to-steps")
    return values


def test_the_scrubbed_environment_has_no_secret_and_keeps_the_rest(secrets: dict[str, str]) -> None:
    env = scrubbed_environment()
    assert not set(secrets) & set(env)
    assert SECRET_LIST_ENV not in env
    assert env["LABCHECK_HARMLESS_PROBE"] == "visible-to-steps"
    assert "PATH" in env


def _printed_environment(argv: list[str], env: dict[str, str], cwd: str | None) -> str:
    result = run_command(argv, env=env, cwd=cwd, use_pty=False, timeout_s=30)
    return (result.stdout or b"").decode("utf-8", errors="replace")


def test_a_step_on_a_host_target_that_runs_env_shows_no_secret(
    secrets: dict[str, str], tmp_path: Path
) -> None:
    target = HostTarget("node1", "unix:///nowhere.sock", tmp_path)
    invocation = target.invocation("env; cat /proc/self/environ | tr '\\0' '\\n'", "~", use_pty=False)
    printed = _printed_environment(invocation.argv, invocation.env, invocation.cwd)
    assert "LABCHECK_HARMLESS_PROBE=visible-to-steps" in printed  # the step did print its environment
    for value in secrets.values():
        assert value not in printed


def test_the_docker_cli_of_a_kit_node_step_gets_no_secret(secrets: dict[str, str]) -> None:
    """The process labcheck starts for a kit node's step is `docker exec`: it holds no secret either."""
    node = KitNode("node1", "labcheck-node1", "unix:///nowhere.sock", "172.30.0.2")
    invocation = KitNodeTarget("node1", node).invocation("env", "~", False)
    assert not set(secrets) & set(invocation.env)
    assert not any(value in " ".join(invocation.argv) for value in secrets.values())


def test_the_readme_names_only_variables_that_are_scrubbed_and_the_real_limits() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("**Students' files and the course's secrets.**")[1].split("\n\n")[0]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", paragraph)) - {SECRET_LIST_ENV, "_KEY"}
    assert {"GITHUB_TOKEN", "CI_JOB_TOKEN", "SSH_AUTH_SOCK"} <= named
    everything = dict.fromkeys(named, "x")
    assert secret_names(everything) == set(named)
    assert f"{MAX_LAB_FILE_BYTES // 2**20} MB a lab file" in paragraph
    assert f"{MAX_PICTURE_BYTES // 2**20} MB a picture" in " ".join(paragraph.split())


def test_an_ssh_engine_keeps_only_the_agent_it_needs(secrets: dict[str, str], tmp_path: Path) -> None:
    env = {"SSH_AUTH_SOCK": "/run/agent.sock", SECRET_LIST_ENV: "COURSE_DB_URL", **secrets}
    assert "SSH_AUTH_SOCK" not in scrubbed_environment(env)
    assert "SSH_AUTH_SOCK" not in scrubbed_environment(env, docker_host="unix:///var/run/docker.sock")
    kept = scrubbed_environment(env, docker_host="ssh://teacher@engine")
    assert kept["SSH_AUTH_SOCK"] == "/run/agent.sock"
    assert not set(secrets) & set(kept)
