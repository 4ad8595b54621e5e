"""The lab's Swarm part on two kit nodes: init, join, clone, stack deploy, scale. Each test
gets what it needs from a fixture (the swarm, the clone, the deployed stack), in any order."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from kithelp import in_node

from labcheck.kit import api
from labcheck.kit.nodes import KitNode

pytestmark = [pytest.mark.docker, pytest.mark.kit]

# Our own pair, so node1/node2 stay as others expect them.
MANAGER, WORKER = "kitswarm1", "kitswarm2"
CONVERGE_SECONDS = 90
CONVERGED = [
    ("redis", "1/1"),
    ("db", "1/1"),
    ("vote", "2/2"),
    ("result", "1/1"),
    ("worker", "1/1"),
    ("visualizer", "1/1"),
]


@pytest.fixture(scope="module")
def swarm_nodes(kit_up_status: api.KitStatus) -> Iterator[dict[str, KitNode]]:
    nodes = api.fresh_nodes([MANAGER, WORKER])
    try:
        yield nodes
    finally:
        api.remove_nodes([MANAGER, WORKER])


def _ok(proc_stdout: str, proc_stderr: str, returncode: int) -> str:
    assert returncode == 0, proc_stderr[-2000:]
    return proc_stdout


def _replicas(manager: KitNode) -> dict[str, str]:
    proc = in_node(manager, "docker stack services voting_stack --format '{{.Name}} {{.Replicas}}'")
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)


def _wait_for(manager: KitNode, wanted: dict[str, str]) -> dict[str, str]:
    deadline = time.monotonic() + CONVERGE_SECONDS
    current: dict[str, str] = {}
    while time.monotonic() < deadline:
        current = _replicas(manager)
        if all(current.get(k) == v for k, v in wanted.items()):
            return current
        time.sleep(1)
    raise AssertionError(f"stack did not converge in {CONVERGE_SECONDS} s: {current}")


@dataclass(frozen=True)
class Swarm:
    manager: KitNode
    worker: KitNode
    init: subprocess.CompletedProcess[str]
    join: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def swarm(swarm_nodes: dict[str, KitNode]) -> Swarm:
    """The two nodes in one swarm, as the lab's `swarm init` and `swarm join` make it."""
    manager, worker = swarm_nodes[MANAGER], swarm_nodes[WORKER]
    init = in_node(manager, "docker swarm init --advertise-addr $(hostname -i)")
    token = in_node(manager, "docker swarm join-token -q worker").stdout.strip()
    join = in_node(worker, f"docker swarm join --token {token} {manager.ip}:2377")
    return Swarm(manager, worker, init, join)


@pytest.fixture(scope="module")
def voting_app_clone(swarm_nodes: dict[str, KitNode]) -> subprocess.CompletedProcess[str]:
    clone: subprocess.CompletedProcess[str] = in_node(
        swarm_nodes[MANAGER], "git clone https://github.com/docker/example-voting-app"
    )
    return clone


@pytest.fixture(scope="module")
def deployed_stack(
    swarm: Swarm, voting_app_clone: subprocess.CompletedProcess[str]
) -> tuple[str, dict[str, str]]:
    """The voting stack deployed and converged (2 vote replicas): the deploy's output, and the
    replicas it converged to."""
    _ok(voting_app_clone.stdout, voting_app_clone.stderr, voting_app_clone.returncode)
    _ok(swarm.join.stdout, swarm.join.stderr, swarm.join.returncode)
    deploy = in_node(
        swarm.manager,
        "docker stack deploy --compose-file=docker-stack.yml voting_stack",
        workdir="/root/example-voting-app",
    )
    out = _ok(deploy.stdout, deploy.stderr, deploy.returncode)
    services = _wait_for(swarm.manager, {f"voting_stack_{s}": r for s, r in CONVERGED})
    return out, services


def test_swarm_init_and_join(swarm: Swarm) -> None:
    assert "Swarm initialized" in _ok(swarm.init.stdout, swarm.init.stderr, swarm.init.returncode)
    joined = _ok(swarm.join.stdout, swarm.join.stderr, swarm.join.returncode)
    assert "This node joined a swarm as a worker" in joined
    nodes = in_node(swarm.manager, "docker node ls --format '{{.Hostname}} {{.Status}}'")
    assert sorted(nodes.stdout.split("\n")[:-1]) == [f"{MANAGER} Ready", f"{WORKER} Ready"]


def test_git_clone_of_the_voting_app(
    swarm_nodes: dict[str, KitNode], voting_app_clone: subprocess.CompletedProcess[str]
) -> None:
    assert "Cloning into 'example-voting-app'" in voting_app_clone.stderr, voting_app_clone.stderr
    stack = in_node(swarm_nodes[MANAGER], "cat example-voting-app/docker-stack.yml").stdout
    for image in (
        "redis:alpine",
        "postgres:9.4",
        "examplevotingapp_vote:before",
        "examplevotingapp_result:before",
        "examplevotingapp_worker",
        "visualizer:stable",
    ):
        assert image in stack


def test_stack_deploy_converges_with_vote_on_both_nodes(
    swarm: Swarm, deployed_stack: tuple[str, dict[str, str]]
) -> None:
    out, services = deployed_stack
    assert out.count("Creating service") == 6
    assert len(services) == 6
    running = "docker service ps voting_stack_vote --filter desired-state=running --format '{{.Node}}'"
    tasks = in_node(swarm.manager, running)
    assert set(tasks.stdout.split()) == {MANAGER, WORKER}
    page = in_node(
        swarm.manager,
        "c=$(docker ps -q --filter label=com.docker.swarm.service.name="
        "voting_stack_vote | head -n1); "
        "docker exec $c sh -c 'wget -qO- http://localhost/; hostname'",
    )
    *html, hostname = page.stdout.strip().splitlines()
    assert f"Processed by container ID {hostname}" in "\n".join(html)


def test_scale_vote_to_five(swarm: Swarm, deployed_stack: tuple[str, dict[str, str]]) -> None:
    scale = in_node(swarm.manager, "docker service scale voting_stack_vote=5", timeout=120)
    try:
        assert "voting_stack_vote scaled to 5" in _ok(scale.stdout, scale.stderr, scale.returncode)
        assert _wait_for(swarm.manager, {"voting_stack_vote": "5/5"})["voting_stack_vote"] == "5/5"
    finally:  # the stack as deployed_stack gives it, for whichever test comes next
        in_node(swarm.manager, "docker service scale voting_stack_vote=2", timeout=120)
        _wait_for(swarm.manager, {"voting_stack_vote": "2/2"})
