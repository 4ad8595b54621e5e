"""A user in the docker group, not root, uses the kit with no sudo: root's system kit while it is
up (status, up, a run on its nodes; taking it down is root's), and an unwritable kit folder is
said in words.

The user is created here (useradd, in the docker group) and removed at the end; every command
runs as that user (`runuser`), with this checkout's virtualenv, as a student would run it.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from labcheck.kit import api, paths
from tests.bundled_lab import BUNDLED_SPEC
from tests.docker.labrun import wait_for_kit_nodes

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

HELLO = """\
labcheck: 1
lab: {id: user-hello, title: Hola sin root, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Hola desde un contenedor
        run: docker container run hello-world
        expect:
          exit_code: 0
          output: [{contains: "Hello from Docker!"}]
"""


@dataclass(frozen=True)
class User:
    name: str
    home: Path

    @property
    def python(self) -> Path:
        return self.home / "venv" / "bin" / "python"

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 1800
    ) -> subprocess.CompletedProcess[str]:
        """A command as this user, in a clean environment of their own (no root's variables)."""
        clean = {
            "HOME": str(self.home),
            "USER": self.name,
            "PATH": f"{self.python.parent}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {}),
        }
        command = ["runuser", "-u", self.name, "--", "env", "-i", *[f"{k}={v}" for k, v in clean.items()]]
        return subprocess.run(
            [*command, *args], cwd=self.home, capture_output=True, text=True, timeout=timeout, check=False
        )

    def labcheck(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.python), "-m", "labcheck", *args, env=env)


def _system_python() -> Path:
    """An interpreter of this Python's version that every user may run (this one may live in
    root's home, as pyenv's does)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        if (Path(folder) / version).exists():
            return Path(folder) / version
    raise AssertionError(f"no {version} outside root's home for the test user")


@pytest.fixture(scope="module")
def student(kit_up_status: api.KitStatus) -> Iterator[User]:
    """A fresh user in the docker group (and nothing else), removed with their home at the end.
    Their virtualenv sees this checkout's packages (labcheck, editable, and its dependencies)."""
    name = f"lcstudent{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--create-home", "--groups", "docker", name], check=True)
    user = User(name, Path(pwd.getpwnam(name).pw_dir))
    try:
        made = user.run(str(_system_python()), "-m", "venv", "--without-pip", str(user.python.parents[1]))
        assert made.returncode == 0, made.stderr
        ours = Path(sysconfig.get_paths()["purelib"])
        (user.python.parents[1] / "lib" / ours.parent.name / "site-packages" / "checkout.pth").write_text(
            f"import site; site.addsitedir({str(ours)!r})\n"
        )
        seen = user.run(str(user.python), "-c", "import labcheck, docker; print('ok')")
        assert seen.stdout.strip() == "ok", f"the user cannot read this checkout's packages: {seen.stderr}"
        yield user
    finally:
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)  # only this user's processes
        subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


def _clean_words(done: subprocess.CompletedProcess[str]) -> str:
    text = done.stdout + done.stderr
    for raw in ("Traceback", "PermissionError", "AssertionError", "start() first"):
        assert raw not in text, text[-3000:]
    return text


def test_status_and_up_as_a_user_see_roots_kit_up(student: User) -> None:
    status = student.labcheck("kit", "status")
    text = _clean_words(status)
    assert status.returncode == 0, text
    assert "DOWN" not in text and "registry DOWN" not in text, text
    assert str(paths.SYSTEM_KIT_HOME) in text
    up = student.labcheck("kit", "up")
    assert up.returncode == 0, _clean_words(up)
    assert f"using root's system kit at {paths.SYSTEM_KIT_HOME}" in up.stderr


def test_a_user_runs_a_lab_on_roots_kit_and_cannot_take_it_down(student: User) -> None:
    spec = student.home / "hello" / "lab.yaml"
    student.run("mkdir", "-p", str(spec.parent))
    spec.write_text(HELLO)
    os.chown(spec, pwd.getpwnam(student.name).pw_uid, -1)
    out = student.home / "hello-out"
    done = student.labcheck("run", str(spec.parent), "--out", str(out), "--", "-p", "no:cacheprovider")
    wait_for_kit_nodes()
    assert done.returncode == 0, _clean_words(done)[-3000:]
    evidence = json.loads((out / "evidence.json").read_text())
    assert [step["outcome"] for step in evidence["steps"]] == ["passed"]
    assert (out / "evidence.json").stat().st_uid == pwd.getpwnam(student.name).pw_uid

    down = student.labcheck("kit", "down")
    assert down.returncode == 2, _clean_words(down)
    assert "only root takes it down" in down.stderr
    assert api.kit_status().up, "a user's `kit down` took root's kit down"


def test_an_unwritable_kit_home_is_said_in_words(student: User, request: pytest.FixtureRequest) -> None:
    locked = Path("/var/lib") / f"labcheck-not-{student.name}"  # root's, readable, not writable
    locked.mkdir(mode=0o755)
    request.addfinalizer(lambda: shutil.rmtree(locked, ignore_errors=True))
    for args in (("kit", "up"), ("run", str(BUNDLED_SPEC), "--out", str(student.home / "o"))):
        done = student.labcheck(*args, env={"LABCHECK_KIT_HOME": str(locked)})
        text = _clean_words(done)
        assert done.returncode == 2, text
        assert str(locked) in text, text
    assert "LABCHECK_KIT_HOME" in student.labcheck("kit", "up", env={"LABCHECK_KIT_HOME": str(locked)}).stderr
