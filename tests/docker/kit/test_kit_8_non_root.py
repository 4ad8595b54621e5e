"""A user in the docker group, not root, uses the kit with no sudo: root's system kit while it is
up (status, up, a run on its nodes; taking it down is root's), a kit of their own in their data
folder with the nodes fed from another registry (the bundled lab green, the host left as found),
and an unwritable kit folder said in words.

The user is created here (useradd, in the docker group) and removed at the end; every command
runs as that user (`runuser`), with this checkout's virtualenv, as a student would run it.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from labcheck.dockercli import docker_cli
from labcheck.kit import api, paths, registry, registry_client
from labcheck.kit.packs import split_ref
from labcheck.spec.loader import load_lab
from tests.bundled_lab import BUNDLED_SPEC, bundled_step_ids
from tests.cli_process import labcheck_argv
from tests.docker.kit.registry_push import copy_image
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
        return self.run(*labcheck_argv(*args, python=self.python), env=env)


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


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def upstream(student: User) -> Iterator[str]:
    """A second registry, Debian's docker-registry run by the user, holding the kit's stand-ins
    of every image the bundled lab pulls and, as debian:bookworm, the kit's Debian for the node
    image. The nodes reach it at their network's gateway (docker0's address is not routed to
    them: measured, curl exit 7), so it listens on every address while the test runs."""
    port = _free_port("0.0.0.0")
    storage = student.home / "upstream"
    config = {
        "version": 0.1,
        "log": {"level": "warn"},
        "storage": {"filesystem": {"rootdirectory": str(storage)}, "delete": {"enabled": True}},
        "http": {"addr": f"0.0.0.0:{port}"},
    }
    config_file = student.home / "upstream.yml"
    config_file.write_text(json.dumps(config))
    command = [
        "runuser",
        "-u",
        student.name,
        "--",
        registry.registry_binary(),
        "serve",
        str(config_file),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    here = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while not registry_client.answers(here) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert registry_client.answers(here), "the upstream registry did not start"
        kit_registry = paths.HOST_REGISTRY
        for image in load_lab(BUNDLED_SPEC).images:
            repository, tag = split_ref(image.ref)
            copy_image(kit_registry, repository, tag, here, repository, tag)
        _push_debian_base(port)
        yield f"http://{paths.NETWORK_GATEWAY}:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _push_debian_base(port: int) -> None:
    """The upstream's `debian:bookworm`, what the node image is built on in registry mode: the
    kit's Debian stand-in with Debian's archive as its source again (the stand-in itself points
    at the kit's own small package repository, which has no docker.io)."""
    base = f"{paths.HOST_REGISTRY}/library/ubuntu:latest"
    tag = f"127.0.0.1:{port}/library/debian:bookworm"
    had_base = subprocess.run([docker_cli(), "image", "inspect", base], capture_output=True).returncode == 0
    recipe = (
        f"FROM {base}\n"
        f"RUN echo 'deb {paths.DEBIAN_MIRROR} {paths.DEBIAN_SUITE} main' > /etc/apt/sources.list\n"
    )
    docker = docker_cli()
    subprocess.run(
        [docker, "build", "-q", "-t", tag, "-"], input=recipe, text=True, check=True, capture_output=True
    )
    subprocess.run([docker, "push", "-q", tag], check=True, capture_output=True)
    subprocess.run(
        [docker, "image", "rm", tag, *([] if had_base else [base])], check=True, capture_output=True
    )


def _delete_from_registry(url: str, repository: str, tag: str) -> None:
    """As an upstream's owner would: the tag's manifest deleted (the registry allows deletes)."""
    head = urllib.request.Request(
        f"{url}/v2/{repository}/manifests/{tag}",
        method="HEAD",
        headers={"Accept": ", ".join(registry_client.MANIFEST_TYPES)},
    )
    with urllib.request.urlopen(head, timeout=10) as resp:
        digest = resp.headers["Docker-Content-Digest"]
    delete = urllib.request.Request(f"{url}/v2/{repository}/manifests/{digest}", method="DELETE")
    urllib.request.urlopen(delete, timeout=10).close()
    assert not registry_client.holds(url, repository, tag)


def _host_objects() -> dict[str, list[str]]:
    def ids(*args: str) -> list[str]:
        done = subprocess.run([docker_cli(), *args], capture_output=True, text=True, check=True)
        return sorted(done.stdout.split())

    return {
        "containers": ids("container", "ls", "-aq", "--no-trunc"),
        "images": ids("image", "ls", "-aq", "--no-trunc"),
        "networks": ids("network", "ls", "-q", "--no-trunc"),
        "volumes": ids("volume", "ls", "-q"),
    }


@pytest.fixture
def roots_kit_down(kit_up_status: api.KitStatus, student: User) -> Iterator[None]:
    """Root's kit taken down for the test (its data kept) and brought up again after it, once
    whatever the user's own kit left running (a test that failed half-way) is down."""
    wait_for_kit_nodes()
    api.kit_down()
    try:
        yield
    finally:
        student.labcheck("kit", "down")
        assert api.kit_up(progress=lambda _m: None).up


def test_a_user_kit_fed_from_another_registry_runs_the_bundled_lab(
    student: User, upstream: str, roots_kit_down: None
) -> None:
    before = _host_objects()
    own = student.home / ".local/share/labcheck/kit"

    up = student.labcheck("kit", "up", "--registry", upstream)
    assert up.returncode == 0, _clean_words(up)[-3000:]
    saved = json.loads((own / "state.json").read_text())
    assert saved["mode"] == "registry" and saved["registry"] == upstream
    assert not (paths.SYSTEM_KIT_HOME / "state.json").exists()
    assert not registry_client.answers(paths.HOST_REGISTRY, timeout=1), (
        "the kit's own registry must not serve"
    )
    status = student.labcheck("kit", "status")
    assert status.returncode == 0, status.stdout
    assert upstream in status.stdout and "DOWN" not in status.stdout, status.stdout

    out = student.home / "ops-stage1-out"
    done = student.labcheck("run", "ops-stage1", "--out", str(out), "--", "-p", "no:cacheprovider")
    evidence = json.loads((out / "evidence.json").read_text())
    failed = [
        f"{s['id']}: {s['transcript']['text'][-600:]}" for s in evidence["steps"] if s["outcome"] == "failed"
    ]
    assert done.returncode == 0, "\n".join([_clean_words(done)[-1500:], *failed[:3]])
    outcomes = {step["id"]: step["outcome"] for step in evidence["steps"]}
    assert tuple(outcomes) == bundled_step_ids() and evidence["run"]["status"] == "complete"
    assert [sid for sid, outcome in outcomes.items() if outcome != "passed"] == ["vote-page"]

    # An image the upstream no longer holds is named before the run touches a node.
    _delete_from_registry(upstream, "library/hello-world", "latest")
    refused = student.labcheck("run", "ops-stage1", "--out", str(out), "--", "-p", "no:cacheprovider")
    said = _clean_words(refused)
    assert refused.returncode == 2, said[-2000:]
    assert f"pulls hello-world, which the registry {upstream} feeding the kit's nodes does not hold" in said
    assert "lab.yaml:" in said and " passed" not in said and "Traceback" not in said

    down = student.labcheck("kit", "down")
    assert down.returncode == 0, _clean_words(down)
    assert _host_objects() == before, "the user's `kit down` did not leave the host engine as found"
    assert not (own / "state.json").exists() and not (own / "nodes").exists()
    owner = pwd.getpwnam(student.name).pw_uid
    assert all(path.stat().st_uid == owner for path in own.rglob("*") if not path.is_symlink())
    shutil.rmtree(out, ignore_errors=True)
