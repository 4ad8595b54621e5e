"""A local bare repo standing in for github.com/docker/example-voting-app."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from labcheck.errors import KitError
from labcheck.kit import paths

UPSTREAM_PREFIX = "https://github.com/"
REPO_PATH = "docker/example-voting-app"
UPSTREAM_URL = UPSTREAM_PREFIX + REPO_PATH
_FILES = ("docker-stack.yml", "README.md")
# Fixed identity and dates: the same content always gives the same commit id.
_COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "labcheck offline kit",
    "GIT_AUTHOR_EMAIL": "kit@labcheck.invalid",
    "GIT_COMMITTER_NAME": "labcheck offline kit",
    "GIT_COMMITTER_EMAIL": "kit@labcheck.invalid",
    "GIT_AUTHOR_DATE": "2017-06-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2017-06-01T12:00:00+00:00",
}


@dataclass(frozen=True)
class GitMirror:
    bare_repo: Path
    head: str


def bare_repo_path() -> Path:
    return paths.git_root() / f"{REPO_PATH}.git"


def insteadof_env(git_root: Path | str) -> dict[str, str]:
    """Environment that makes git fetch github.com from git_root, no config file touched."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{str(git_root).rstrip('/')}/.insteadOf",
        "GIT_CONFIG_VALUE_0": UPSTREAM_PREFIX,
    }


def _asset(name: str) -> bytes:
    return resources.files("labcheck.kit").joinpath("assets", "git", name).read_bytes()


def _git(args: list[str], cwd: Path) -> str:
    env = {**os.environ, **_COMMIT_ENV, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise KitError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def head_of(repo: Path) -> str | None:
    if not (repo / "HEAD").exists():
        return None
    proc = subprocess.run(
        ["git", "--git-dir", str(repo), "rev-parse", "--verify", "-q", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or None


def ensure() -> tuple[GitMirror, bool]:
    """Create or refresh the bare repo. Returns it and whether it was (re)written."""
    if shutil.which("git") is None:
        raise KitError("git is not installed: run `apt-get install -y git`")
    target = bare_repo_path()
    with tempfile.TemporaryDirectory(prefix="labcheck-git-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        _git(["init", "-q", "-b", "master"], work)
        for name in _FILES:
            (work / name).write_bytes(_asset(name))
        _git(["add", *_FILES], work)
        _git(["commit", "-q", "-m", "Voting app stack as the ops-stage1 lab used it"], work)
        wanted = _git(["rev-parse", "HEAD"], work)
        if head_of(target) == wanted:
            return GitMirror(target, wanted), False
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        _git(["clone", "-q", "--bare", str(work), str(target)], Path(tmp))
        _git(["--git-dir", str(target), "remote", "remove", "origin"], Path(tmp))
    return GitMirror(target, wanted), True


def status() -> GitMirror | None:
    target = bare_repo_path()
    head = head_of(target)
    return GitMirror(target, head) if head else None
