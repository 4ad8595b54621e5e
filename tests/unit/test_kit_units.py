"""The kit's pure parts: names, paths, git environment, status rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.errors import KitError
from labcheck.kit import api, gitmirror, paths, standins
from labcheck.kit.capabilities import Capability
from labcheck.kit.state import LastUp
from labcheck.kit.status import (
    EngineStatus,
    GitMirrorStatus,
    KitStatus,
    NodeImageStatus,
    NodeStatus,
    RegistryStatus,
    StandInStatus,
    render_table,
)


def test_kit_home_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path))
    assert paths.kit_home() == tmp_path
    assert paths.node_socket("node1") == tmp_path / "nodes/node1/docker.sock"
    assert paths.node_container("node1") == "labcheck-node1"


def test_insteadof_env_maps_github_to_the_mirror() -> None:
    env = gitmirror.insteadof_env("/opt/labcheck-git/")
    assert env == {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "url./opt/labcheck-git/.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://github.com/",
    }


@pytest.mark.parametrize("bad", [[""], ["node 1"], ["a/b"], []])
def test_bad_node_names_are_refused(bad: list[str]) -> None:
    with pytest.raises(KitError):
        api._validate_names(bad)


def test_every_lab_image_has_a_standin() -> None:
    replaced = {s.replaces for s in standins.STANDINS}
    assert {"hello-world", "alpine", "ubuntu", "redis:alpine", "postgres:9.4",
            "dockersamples/visualizer:stable"} <= replaced
    assert all(s.pushed_ref.startswith("127.0.0.1:5000/") for s in standins.STANDINS)


def _status(mirror: bool) -> KitStatus:
    return KitStatus(
        mode="offline", data_dir="/k",
        engine=EngineStatus("default socket", "20.10", mirror),
        registry=RegistryStatus("127.0.0.1:5000", True, "172.30.0.1:5000", True, "/k/registry"),
        standins=(StandInStatus("alpine", "127.0.0.1:5000/library/alpine:latest", "sha256:ab"),),
        git_mirror=GitMirrorStatus(gitmirror.UPSTREAM_URL, "/k/git", "abc123"),
        node_image=NodeImageStatus(paths.NODE_IMAGE, "sha256:ff"),
        nodes=(NodeStatus("node1", "labcheck-node1", True, True, "inactive",
                          "unix:///k/nodes/node1/docker.sock", "172.30.0.2"),),
        capabilities=(Capability("routing_mesh", False, "this kernel has no IPVS"),),
        last_up=LastUp((), ("alpine",), 0.2),
    )


def test_status_is_up_only_with_the_mirror_in_use() -> None:
    assert _status(True).up
    assert not _status(False).up


def test_status_json_and_table() -> None:
    data = _status(True).to_json()
    assert data["up"] is True
    assert data["capabilities"]["routing_mesh"]["available"] is False
    assert data["nodes"][0]["docker_host"].startswith("unix://")
    table = render_table(_status(True))
    assert "node node1" in table and "no IPVS" in table and "built: nothing" in table
