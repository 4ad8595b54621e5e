"""Local bare repos standing in for the git repositories lab packs clone, at their upstream URLs.

Each repository a pack declares (`repositories: [{url, content}]`) becomes a bare repo under the
kit's git root, laid out as the URL is (`github.com/owner/name.git`), holding one commit of the
pack's folder. Inside the nodes git is told, by environment only, to fetch every https:// URL
from that root, so `git clone https://github.com/owner/name` works with no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths
from labcheck.kit.packs import Repository

UPSTREAM_PREFIX = "https://"
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
    url: str
    bare_repo: Path
    head: str | None


def bare_repo_path(repository: Repository | str) -> Path:
    url = repository if isinstance(repository, str) else repository.url
    return paths.git_root() / (url.removeprefix(UPSTREAM_PREFIX).rstrip("/").removesuffix(".git") + ".git")


def insteadof_env(git_root: Path | str) -> dict[str, str]:
    """Environment that makes git fetch https:// URLs from git_root, no config file touched."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{str(git_root).rstrip('/')}/.insteadOf",
        "GIT_CONFIG_VALUE_0": UPSTREAM_PREFIX,
    }


def _git(args: list[str], cwd: Path) -> str:
    env = {**os.environ, **_COMMIT_ENV, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise KitError(
            cli().format("git {command} failed: {error}", command=" ".join(args), error=proc.stderr.strip())
        )
    return proc.stdout.strip()


def head_of(repo: Path) -> str | None:
    if not (repo / "HEAD").exists():
        return None
    proc = subprocess.run(
        # Root's kit's mirrors, read by another user: trusted, as git would refuse them otherwise.
        ["git", "-c", "safe.directory=*", "--git-dir", str(repo), "rev-parse", "--verify", "-q", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or None


def _ensure_one(repository: Repository) -> tuple[GitMirror, bool]:
    target = bare_repo_path(repository)
    with tempfile.TemporaryDirectory(prefix="labcheck-git-") as tmp:
        work = Path(tmp) / "work"
        # The pack's files, symlinks resolved (they were checked to stay inside the pack).
        shutil.copytree(repository.content_dir, work, symlinks=False)
        shutil.rmtree(work / ".git", ignore_errors=True)
        _git(["init", "-q", "-b", "master"], work)
        _git(["add", "-A", "."], work)
        _git(["commit", "-q", "-m", f"{repository.url} as labcheck's offline kit serves it"], work)
        wanted = _git(["rev-parse", "HEAD"], work)
        if head_of(target) == wanted:
            return GitMirror(repository.url, target, wanted), False
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        _git(["clone", "-q", "--bare", str(work), str(target)], Path(tmp))
        _git(["--git-dir", str(target), "remote", "remove", "origin"], Path(tmp))
    return GitMirror(repository.url, target, wanted), True


def ensure(repositories: Sequence[Repository]) -> tuple[list[str], list[str]]:
    """Create or refresh each bare repo. Returns the URLs (written, reused)."""
    if repositories and shutil.which("git") is None:
        raise KitError(cli().gettext("git is not installed: run `apt-get install -y git`"))
    written: list[str] = []
    reused: list[str] = []
    for repository in repositories:
        _, rewritten = _ensure_one(repository)
        (written if rewritten else reused).append(repository.url)
    return written, reused


def status(url: str) -> GitMirror:
    target = bare_repo_path(url)
    return GitMirror(url, target, head_of(target))
