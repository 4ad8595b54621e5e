"""What `labcheck record` proposes from the engine states before and after a step: only what the
step changed, named the way every run names it, and nothing the runs disagree on."""

from __future__ import annotations

from typing import Any

from labcheck.authoring.state_proposals import agreed, proposals_on_node
from labcheck.spec.loader import load_lab

SPEC = """\
labcheck: 1
lab: {id: states, title: States, language: en, version: "1"}
nodes: [{name: node1}, {name: node2}]
sections:
  - number: "1"
    title: One
    steps:
      - id: web
        title: Web
        run: docker container run -d --name web alpine sleep 600 && docker container run alpine true
        capture: [{name: web_id, from: created_container}]
        expect: {exit_code: 0}
"""

EMPTY: dict[str, Any] = {
    "containers": [],
    "swarm": {"active": False},
    "services": [],
    "volumes": [],
    "networks": [],
}


def _container(cid: str, name: str, status: str, exit_code: int | None = None) -> dict[str, Any]:
    return {"id": cid * 64, "name": name, "image": "alpine", "status": status, "exit_code": exit_code}


def _after(random_name: str, volume: str) -> dict[str, Any]:
    return {
        **EMPTY,
        "containers": [_container("a", "web", "running"), _container("b", random_name, "exited", 0)],
        "volumes": [{"name": "notes", "driver": "local"}, {"name": volume, "driver": "local"}],
        "networks": [{"name": "ingress", "driver": "overlay", "scope": "swarm"}],
    }


def test_only_what_every_run_names_alike_is_proposed(tmp_path: Any) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC, encoding="utf-8")
    step = load_lab(tmp_path).step("web")
    runs = []
    for random_name, anonymous in (("happy_turing", "1f" * 32), ("sad_hopper", "2e" * 32)):
        notes: list[str] = []
        runs.append(proposals_on_node(step, "node1", EMPTY, _after(random_name, anonymous), {}, notes))
        assert notes == []  # the engine's own ingress network is nobody's change
    entries = [proposal.entry for proposal in agreed(step, runs)]
    assert {"container": {"ref": "web", "status": "running"}} in entries
    # The container with a random name is counted, not named; the anonymous volume differs per run.
    assert {"containers": {"image": "alpine", "count": 2, "running": 1}} in entries
    assert {"volume": {"name": "notes", "exists": True, "driver": "local"}} in entries
    assert len(entries) == 3


def test_a_captured_container_is_named_by_its_capture_and_other_nodes_get_on(tmp_path: Any) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC, encoding="utf-8")
    step = load_lab(tmp_path).step("web")
    before = {**EMPTY, "containers": [_container("c", "old", "exited", 1)]}
    after = {
        **EMPTY,
        "containers": [_container("c", "old", "running")],
        "swarm": {"active": True, "nodes": 2, "managers": 1, "workers": 1, "ready": 1},
    }
    found = proposals_on_node(step, "node2", before, after, {"web_id": "c" * 12}, [])
    entries = [proposal.entry for proposal in found]
    assert entries == [
        {"on": "node2", "container": {"ref": "${{ web_id }}", "status": "running"}},
        {"on": "node2", "swarm": {"active": True, "nodes": 2, "managers": 1, "workers": 1}},
    ]
    # Readiness that moves on its own is no change of the step's.
    later = {**after, "swarm": {**after["swarm"], "ready": 2}}
    assert [p.kind for p in proposals_on_node(step, "node1", after, later, {"web_id": "c" * 12}, [])] == []
