"""The lab's first-part commands print what the lab shows, pulling the kit's stand-ins."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from kithelp import docker_at

from labcheck.kit import api, packs, paths, standins
from labcheck.kit.nodes import KitNode

pytestmark = [pytest.mark.docker, pytest.mark.kit]


def _bundled_standins() -> tuple[packs.StandIn, ...]:
    """The stand-ins the bundled lab packs declare (and the library bases their builds start from)."""
    return packs.needs_of(api.bundled_lab_specs()).standins


INDEX_JS = 'var os = require("os");\nvar hostname = os.hostname();\nconsole.log("hello from " + hostname);\n'
DOCKERFILE = (
    'FROM alpine\nRUN apk update && apk add nodejs\nCOPY . /app\nWORKDIR /app\nCMD ["node","index.js"]\n'
)


@pytest.fixture(scope="module")
def unpulled_node(kit_up_status: api.KitStatus) -> Iterator[KitNode]:
    """An empty engine only the first-pull tests use (each pulls its own image), so they see
    a real first pull whichever test of this file ran before them."""
    node = api.fresh_nodes(["kitpull"])["kitpull"]
    try:
        yield node
    finally:
        api.remove_nodes(["kitpull"])


def test_run_hello_world_pulls_it_first(unpulled_node: KitNode) -> None:
    proc = docker_at(unpulled_node, ["container", "run", "--rm", "hello-world"])
    assert proc.returncode == 0, proc.stderr
    assert "Unable to find image 'hello-world:latest' locally" in proc.stderr
    assert "Pulling from library/hello-world" in proc.stderr
    assert "Hello from Docker!" in proc.stdout
    assert "stand-in" in proc.stdout


def test_image_pull_alpine(unpulled_node: KitNode) -> None:
    proc = docker_at(unpulled_node, ["image", "pull", "alpine"])
    assert proc.returncode == 0, proc.stderr
    assert "Pulling from library/alpine" in proc.stdout
    assert "Pull complete" in proc.stdout
    assert re.search(r"Digest: sha256:[0-9a-f]{64}", proc.stdout)
    assert "Status: Downloaded newer image for alpine:latest" in proc.stdout
    labels = docker_at(unpulled_node, ["image", "inspect", "--format", "{{json .Config.Labels}}", "alpine"])
    assert json.loads(labels.stdout) == {paths.STANDIN_LABEL: "true", paths.STANDIN_OF_LABEL: "alpine:latest"}


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["ls", "-l"], "bin"),
        (["uname", "-a"], "Linux"),
        (["echo", "hello from alpine"], "hello from alpine"),
        (["/bin/sh", "-c", "echo $0"], "/bin/sh"),
        (["/bin/ash", "-c", "echo ash works"], "ash works"),
    ],
)
def test_alpine_commands(lab_node: KitNode, command: list[str], expected: str) -> None:
    proc = docker_at(lab_node, ["container", "run", "--rm", "alpine", *command])
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout


def test_ubuntu_installs_figlet(lab_node: KitNode) -> None:
    proc = docker_at(
        lab_node,
        [
            "container",
            "run",
            "--rm",
            "ubuntu",
            "bash",
            "-c",
            "apt-get update && apt-get install -y figlet && figlet hello docker",
        ],
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Pulling from library/ubuntu" in proc.stderr
    assert "|_| |_|" in proc.stdout  # figlet's big letters


def test_lab_dockerfile_builds_on_alpines_layer(lab_node: KitNode, tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(INDEX_JS)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    build = docker_at(lab_node, ["image", "build", "-t", "hello:v0.1", "."], cwd=str(tmp_path), timeout=300)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert "Successfully tagged hello:v0.1" in build.stdout
    run = docker_at(lab_node, ["container", "run", "--detach", "hello:v0.1"])
    container_id = run.stdout.strip()
    docker_at(lab_node, ["container", "wait", container_id])
    logs = docker_at(lab_node, ["container", "logs", container_id])
    assert logs.stdout.strip() == f"hello from {container_id[:12]}"

    def layers(ref: str) -> list[str]:
        out = docker_at(lab_node, ["image", "inspect", "--format", "{{ json .RootFS.Layers }}", ref]).stdout
        return list(json.loads(out))

    alpine_layers = layers("alpine")
    assert len(alpine_layers) == 1
    assert layers("hello:v0.1")[0] == alpine_layers[0]


def test_host_engine_pulls_through_the_mirror(kit_up_status: api.KitStatus) -> None:
    hello = next(s for s in _bundled_standins() if s.replaces == "hello-world:latest")
    digest = standins.registry_digest(hello)
    assert digest
    # By digest only: no `hello-world:latest` tag appears on the shared host engine.
    ref = f"hello-world@{digest}"
    proc = docker_at(None, ["image", "pull", ref])
    try:
        assert proc.returncode == 0, proc.stderr
        assert "Pulling from library/hello-world" in proc.stdout
    finally:
        docker_at(None, ["image", "rm", ref])
