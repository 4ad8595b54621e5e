"""The host engine's registry mirror: set it in daemon.json, reload dockerd, restore it exactly."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import docker

from labcheck.errors import KitError
from labcheck.i18n import N_, cli
from labcheck.install import managed_engine_hint
from labcheck.kit import paths
from labcheck.os_error_words import os_error_words

_ABSENT_MARK = "absent"


def _backup_file() -> Path:
    return paths.kit_home() / "daemon.json.before"


def _absent_marker() -> Path:
    return paths.kit_home() / "daemon.json.before.absent"


def engine_mirrors(client: docker.DockerClient) -> list[str]:
    info = client.info()
    mirrors = (info.get("RegistryConfig") or {}).get("Mirrors") or []
    return [str(m).rstrip("/") for m in mirrors]


def mirror_in_use(client: docker.DockerClient) -> bool:
    return paths.HOST_MIRROR_URL in engine_mirrors(client)


def _reload_dockerd() -> None:
    pid_file = paths.docker_pid_file()
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError) as exc:
        raise KitError(
            cli().format(
                "cannot reload dockerd: no readable pid in {file}. The offline kit needs {engine}",
                file=pid_file,
                engine=managed_engine_hint(),
            )
        ) from exc
    try:
        os.kill(pid, signal.SIGHUP)
    except OSError as exc:
        raise KitError(
            cli().format(
                "cannot send SIGHUP to dockerd (pid {pid}): {error}", pid=pid, error=os_error_words(exc)
            )
        ) from exc


def _wait_for_mirror(client: docker.DockerClient, wanted: bool) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if mirror_in_use(client) == wanted:
            return
        time.sleep(0.2)
    if wanted:
        message = N_("dockerd did not use the registry mirror {mirror} after SIGHUP; check {file}")
    else:
        message = N_("dockerd did not drop the registry mirror {mirror} after SIGHUP; check {file}")
    raise KitError(cli().format(message, mirror=paths.HOST_MIRROR_URL, file=paths.daemon_json()))


def set_mirror(client: docker.DockerClient) -> bool:
    """Make the kit's registry the engine's Docker Hub mirror. Returns True if anything changed."""
    target = paths.daemon_json()
    if not os.access(target.parent if not target.exists() else target, os.W_OK):
        raise KitError(
            cli().format(
                "cannot write {file}: the offline kit must run as root next to a dockerd it can "
                "reconfigure (use `labcheck kit up --online` on Docker Desktop)",
                file=target,
            )
        )
    original = target.read_bytes() if target.exists() else None
    config: dict[str, object] = {}
    if original is not None and original.strip():
        try:
            loaded = json.loads(original)
        except json.JSONDecodeError as exc:
            raise KitError(cli().format("{file} is not valid JSON: {error}", file=target, error=exc)) from exc
        if not isinstance(loaded, dict):
            raise KitError(cli().format("{file} does not hold a JSON object", file=target))
        config = loaded
    found = config.get("registry-mirrors") or []
    mirrors = [str(m) for m in found] if isinstance(found, list) else []
    if paths.HOST_MIRROR_URL not in [m.rstrip("/") for m in mirrors]:
        # Keep the bytes as found, once: a second `kit up` must not overwrite the true original.
        if not _backup_file().exists() and not _absent_marker().exists():
            paths.kit_home().mkdir(parents=True, exist_ok=True)
            if original is None:
                _absent_marker().write_text(_ABSENT_MARK)
            else:
                _backup_file().write_bytes(original)
        config["registry-mirrors"] = [paths.HOST_MIRROR_URL, *mirrors]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(config, indent=2) + "\n")
        _reload_dockerd()
        _wait_for_mirror(client, True)
        return True
    if not mirror_in_use(client):
        _reload_dockerd()
        _wait_for_mirror(client, True)
        return True
    return False


def restore(client: docker.DockerClient) -> bool:
    """Put daemon.json back exactly as `kit up` found it and reload dockerd."""
    target = paths.daemon_json()
    if _absent_marker().exists():
        original: bytes | None = None
    elif _backup_file().exists():
        original = _backup_file().read_bytes()
    else:
        return False
    # dockerd's reload only touches mirrors when the file names the key: drop ours explicitly
    # first, then put the original bytes back (they mean the same to dockerd).
    config: dict[str, object] = {}
    if original is not None and original.strip():
        try:
            loaded = json.loads(original)
            config = loaded if isinstance(loaded, dict) else {}
        except json.JSONDecodeError:
            config = {}
    config.setdefault("registry-mirrors", [])
    target.write_text(json.dumps(config, indent=2) + "\n")
    _reload_dockerd()
    _wait_for_mirror(client, False)
    if original is None:
        target.unlink(missing_ok=True)
        _absent_marker().unlink()
    else:
        target.write_bytes(original)
        _backup_file().unlink()
    return True
