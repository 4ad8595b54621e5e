"""A kit you can carry: export the kit, import it on "another machine" with no route out, run the lab.

The other machine is an empty kit data dir (LABCHECK_KIT_HOME) after `kit down` removed every
engine object of the kit (nodes, network, node image): nothing there but the export. Its nodes sit
on a Docker network with no route out (`internal: true`), so every pull, clone and package install
of the lab (`apt-get install -y figlet` in the ubuntu stand-in, `apk add nodejs` in a Dockerfile on
the alpine stand-in) can only be served by the kit. At the end the machine's own kit is brought
back up as it was found (same labs, same nodes), from its own data dir, which the test never
touches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from labcheck.dockercli import docker_cli
from labcheck.kit import api, paths, state
from labcheck.spec.loader import load_lab
from tests.readme_commands import block_with

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

# The README's "Sin internet" commands, run here as written.
EXPORT, DOWN, IMPORT, RUN = block_with("labcheck kit export kit.tar")


def _shell(
    line: str, cwd: Path, env: dict[str, str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        line, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _restore(found: state.KitState) -> None:
    """This machine's kit, up again for the labs and nodes it served before the test."""
    labs = []
    for record in found.labs:
        try:
            labs.append(load_lab(record.spec))
        except Exception:
            continue  # a throw-away pack of another test, gone since
    status = api.kit_up(labs=labs or None, nodes=found.nodes or None, progress=lambda message: None)
    assert status.up, status.to_json()


@pytest.fixture
def found_kit(kit_up_status: api.KitStatus) -> Iterator[state.KitState]:
    found = state.load()
    assert found is not None and found.mode == "offline"
    try:
        yield found
    finally:
        _restore(found)


def _internal_kit_network() -> None:
    """The kit's network made in advance as Docker's `internal`: no route out of it at all."""
    client = docker.from_env()
    ipam = docker.types.IPAMConfig(
        pool_configs=[docker.types.IPAMPool(subnet=paths.NETWORK_SUBNET, gateway=paths.NETWORK_GATEWAY)]
    )
    client.networks.create(
        paths.NETWORK_NAME, driver="bridge", internal=True, ipam=ipam, labels={paths.KIT_LABEL: "true"}
    )


def _corrupted(export: Path, target: Path) -> str:
    """A copy of the export with one bit flipped inside the saved node image; the entry's path."""
    with tarfile.open(export) as tar:
        member = tar.getmember("labcheck-kit/data/cache/node-image.tar")
    data = bytearray(export.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return "cache/node-image.tar"


def test_an_exported_kit_imported_on_a_machine_with_no_route_out_runs_the_lab_green(
    found_kit: state.KitState, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "LC_ALL": "C.UTF-8",
    }
    exported = _shell(EXPORT, tmp_path, env)
    assert exported.returncode == 0, exported.stderr
    assert "ops-stage1" in exported.stdout
    bad_entry = _corrupted(tmp_path / "kit.tar", tmp_path / "corrupt.tar")

    down = _shell(DOWN, tmp_path, env)
    assert down.returncode == 0, down.stderr
    other = {**env, "LABCHECK_KIT_HOME": str(tmp_path / "other-machine")}
    try:
        _internal_kit_network()
        refused = _shell("labcheck kit import corrupt.tar", tmp_path, other)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"{bad_entry} does not match its SHA-256 digest in the manifest" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert not (tmp_path / "other-machine" / "registry").exists()  # nothing was put in place

        imported = _shell(IMPORT, tmp_path, other)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        record = json.loads((tmp_path / "other-machine" / "state.json").read_text())
        built = record["last_up"]["built"]
        # Nothing was built: the node image is loaded from the export, the nodes are started.
        assert [item for item in built if not item.startswith("node ")] == [], built
        reused = record["last_up"]["reused"]
        assert any(item.startswith("package repository (") and "figlet" in item for item in reused), reused
        assert "ubuntu:latest" in reused and "alpine:latest" in reused
        assert "built here" not in imported.stderr

        network = docker.from_env().networks.get(paths.NETWORK_NAME)
        assert network.attrs["Internal"] is True
        node1 = paths.node_container("node1")
        # Docker 20.10 still gives an internal network's containers a default route, but nothing
        # passes it: Debian's archive does not answer from a node.
        outside = subprocess.run(
            [docker_cli(), "exec", node1, "curl", "-sS", "-m", "5", "http://deb.debian.org/debian/"],
            capture_output=True,
            text=True,
        )
        assert outside.returncode != 0, outside.stdout

        ran = _shell(RUN, tmp_path, other, timeout=1200)
        assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
        evidence = json.loads((tmp_path / "reports" / "ops-stage1" / "evidence.json").read_text())
        outcomes = {step["id"]: step["outcome"] for step in evidence["steps"]}
        assert outcomes["ubuntu-figlet"] == "passed"  # apt-get install -y figlet, from the kit
        assert outcomes["build-v01"] == "passed"  # RUN apk update && apk add nodejs, from the kit
        assert outcomes["build-v02"] == "passed"
        not_passed = {sid: o for sid, o in outcomes.items() if o != "passed"}
        assert set(not_passed) <= {"vote-page"}, not_passed  # this kernel has no IPVS: skipped
    finally:
        gone = _shell("labcheck kit down --purge", tmp_path, other)
        assert gone.returncode == 0, gone.stderr
        (tmp_path / "kit.tar").unlink(missing_ok=True)
        (tmp_path / "corrupt.tar").unlink(missing_ok=True)
