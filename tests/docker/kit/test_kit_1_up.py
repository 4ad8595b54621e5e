"""`kit up` brings everything up, a second `kit up` reuses it, `kit status` tells what is up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.dockercli import docker_cli
from labcheck.kit import api, packs, paths

pytestmark = [pytest.mark.docker, pytest.mark.kit]


def _bundled_standins() -> tuple[packs.StandIn, ...]:
    """The stand-ins the bundled lab packs declare (and the library bases their builds start from)."""
    return packs.needs_of(api.bundled_lab_specs()).standins


def _labcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labcheck", *args], capture_output=True, text=True, timeout=600, check=False
    )


def test_second_kit_up_reuses_everything(kit_up_status: api.KitStatus) -> None:
    # Both ups here: whatever ran before (a kit down and up, say), the second reuses the first's.
    first = api.kit_up(progress=lambda _m: None)
    again = api.kit_up(progress=lambda _m: None)
    assert again.up
    assert again.last_up is not None
    assert again.last_up.built == (), f"a warm kit up rebuilt {again.last_up.built}"
    assert "node image" in again.last_up.reused
    assert set(again.last_up.reused) >= {s.replaces for s in _bundled_standins()}
    assert again.node_image.image_id == first.node_image.image_id
    assert {s.replaces: s.digest for s in again.standins} == {s.replaces: s.digest for s in first.standins}


def test_status_json_describes_the_kit(kit_up_status: api.KitStatus) -> None:
    proc = _labcheck("kit", "status", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["up"] is True and data["mode"] == "offline"
    assert data["engine"]["mirror_in_use"] is True
    assert data["registry"]["loopback_up"] and data["registry"]["bridge_up"]
    assert {s["replaces"] for s in data["standins"]} >= {s.replaces for s in _bundled_standins()}
    assert all(s["digest"].startswith("sha256:") for s in data["standins"])
    assert data["git_mirrors"] and all(git["head"] for git in data["git_mirrors"])
    labs = {lab["id"]: lab for lab in data["labs"]}
    assert labs["ops-stage1"]["missing"] == [] and labs["ops-stage1"]["images"] == 9
    by_name = {n["name"]: n for n in data["nodes"]}
    for name in ("node1", "node2"):
        node = by_name[name]
        assert node["running"] and node["engine_answering"]
        assert node["docker_host"] == f"unix://{paths.node_socket(name)}"
        assert node["container"] == f"labcheck-{name}"
    assert "routing_mesh" in data["capabilities"]


def test_status_table_names_every_part(kit_up_status: api.KitStatus) -> None:
    proc = _labcheck("kit", "status")
    assert proc.returncode == 0, proc.stderr
    for word in (
        "registry",
        "stand-in alpine",
        "git mirror",
        "node image",
        "node node1",
        "capability routing_mesh",
        "lab ops-stage1",
    ):
        assert word in proc.stdout


@pytest.mark.skipif(Path("/proc/net/ip_vs").exists(), reason="this kernel has IPVS")
def test_status_says_plainly_that_the_routing_mesh_is_missing(
    kit_up_status: api.KitStatus,
) -> None:
    mesh = api.capabilities()["routing_mesh"]
    assert not mesh.available
    assert "no IPVS" in mesh.reason and "carry no traffic" in mesh.reason
    assert "no IPVS" in _labcheck("kit", "status").stdout


def test_existing_and_standin_api(kit_up_status: api.KitStatus) -> None:
    found = api.existing_nodes(["node1", "node2"])
    assert found["node1"].container == "labcheck-node1"
    assert found["node1"].ip.startswith("172.30.0.")
    assert Path(found["node2"].docker_host.removeprefix("unix://")).is_socket()
    assert api.is_standin_setup()


def test_standins_are_only_in_the_registry(kit_up_status: api.KitStatus) -> None:
    for standin in _bundled_standins():
        proc = subprocess.run(
            [docker_cli(), "image", "inspect", standin.pushed_ref],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode != 0, f"{standin.pushed_ref} was left on the host engine"
