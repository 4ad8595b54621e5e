"""Without an engine, or without the kit, the user gets one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from labcheck.errors import KitError
from labcheck.kit import api

pytestmark = [pytest.mark.docker, pytest.mark.kit]


def test_status_with_no_engine_says_how_to_start_one(tmp_path: Path) -> None:
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    proc = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no Docker engine answers" in proc.stderr
    assert "engine-up.sh" in proc.stderr and "Docker Desktop" in proc.stderr


def test_fresh_nodes_without_the_kit_tells_to_run_kit_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "no-kit"))
    with pytest.raises(KitError, match="labcheck kit up"):
        api.fresh_nodes(["node1"])


def _hub_reachable() -> bool:
    try:
        urllib.request.urlopen("https://registry-1.docker.io/v2/", timeout=5).close()
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False
    return True


@pytest.mark.skipif(_hub_reachable(), reason="Docker Hub is reachable: --online would proceed")
def test_online_kit_up_without_internet_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "LABCHECK_KIT_HOME": str(tmp_path / "online-kit")}
    proc = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "up", "--online"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "is not reachable from this machine" in proc.stderr
    assert "labcheck kit up" in proc.stderr
