"""`kit down` removes exactly what the kit made and restores the engine; `kit up` comes back."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from collections.abc import Iterator

import pytest

from labcheck.dockercli import docker_cli
from labcheck.kit import api, paths, registry_client

pytestmark = [pytest.mark.docker, pytest.mark.kit]

MINE = "labcheck-test-keep"


def _docker(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([docker_cli(), *args], input=stdin, capture_output=True, check=False)


def _tiny_image_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = b"kept by the kit's down test\n"
        info = tarfile.TarInfo("keep.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def my_things(kit_up_status: api.KitStatus) -> Iterator[None]:
    """A container, a network and an image that are not the kit's, removed at the end."""
    assert _docker("image", "import", "-", f"{MINE}:1", stdin=_tiny_image_tar()).returncode == 0
    assert _docker("network", "create", MINE).returncode == 0
    assert _docker("container", "create", "--name", MINE, f"{MINE}:1", "/keep").returncode == 0
    try:
        yield
    finally:
        _docker("container", "rm", "-f", MINE)
        _docker("network", "rm", MINE)
        _docker("image", "rm", f"{MINE}:1")


def _kit_objects() -> dict[str, list[str]]:
    label = f"label={paths.KIT_LABEL}=true"
    return {
        kind: _docker(kind, "ls", "-q", "--filter", label, *(["-a"] if kind == "container" else []))
        .stdout.decode()
        .split()
        for kind in ("container", "volume", "network", "image")
    }


def test_down_leaves_the_engine_as_found_and_up_restores(my_things: None) -> None:
    backup = paths.kit_home() / "daemon.json.before"
    original = backup.read_bytes() if backup.exists() else None
    api.kit_down()
    try:
        for kind in ("container", "network", "image"):
            assert _docker(kind, "inspect", f"{MINE}:1" if kind == "image" else MINE).returncode == 0, (
                f"kit down removed my {kind}"
            )
        assert _kit_objects() == {"container": [], "volume": [], "network": [], "image": []}
        if original is not None:
            assert paths.daemon_json().read_bytes() == original
        mirrors = json.loads(_docker("info", "--format", "{{json .RegistryConfig.Mirrors}}").stdout or b"[]")
        assert paths.HOST_MIRROR_URL + "/" not in (mirrors or [])
        assert not registry_client.answers(paths.HOST_REGISTRY, timeout=1)
        assert (paths.registry_dir() / "data").is_dir(), "data must be kept without --purge"
        assert api.kit_status().mode == "down"
    finally:
        # How fast this is, is bench/kit_up.py's to say; here: that it reuses what was built.
        status = api.kit_up(progress=lambda _m: None)
    assert status.up
    assert status.last_up is not None
    rebuilt_standins = [b for b in status.last_up.built if not b.startswith(("node", "git"))]
    assert rebuilt_standins == [], "a warm kit up must reuse the registry's stand-ins"
