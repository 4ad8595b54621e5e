"""The kit's registry: Debian's docker-registry, no auth, one storage dir served on two addresses.

One process listens on loopback for the host engine and for pushes; a read-only one listens on
the nodes' bridge gateway, so the registry is never exposed on other interfaces.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths, registry_client

# How long a registry of ours may take to answer before it counts as wedged.
_SILENT_GRACE_S = 3.0


@dataclass(frozen=True)
class Listener:
    name: str
    address: str
    read_only: bool


def listeners() -> tuple[Listener, ...]:
    return (
        Listener("loopback", paths.HOST_REGISTRY, read_only=False),
        Listener("bridge", paths.NODE_REGISTRY, read_only=True),
    )


def registry_binary() -> str:
    found = shutil.which("docker-registry") or shutil.which("registry")
    if found is None:
        raise KitError(
            cli().gettext(
                "Debian's docker-registry is not installed: run `apt-get install -y docker-registry`"
            )
        )
    return found


def _config_text(listener: Listener, storage: Path) -> str:
    # No blob descriptor cache: two processes share the storage and must see each other's pushes.
    config = {
        "version": 0.1,
        "log": {"level": "warn", "fields": {"service": f"labcheck-registry-{listener.name}"}},
        "storage": {
            "filesystem": {"rootdirectory": str(storage)},
            "delete": {"enabled": True},
            "maintenance": {"readonly": {"enabled": listener.read_only}},
        },
        "http": {"addr": listener.address, "headers": {"X-Content-Type-Options": ["nosniff"]}},
    }
    # JSON is valid YAML; the registry reads it as such.
    return json.dumps(config, indent=2) + "\n"


def _run_dir() -> Path:
    return paths.registry_dir() / "run"


def _pid_file(listener: Listener) -> Path:
    return _run_dir() / f"{listener.name}.pid"


def _config_file(listener: Listener) -> Path:
    return _run_dir() / f"{listener.name}.yml"


def _our_pid(listener: Listener) -> int | None:
    """The pid of the registry process we started for this listener, if it still runs."""
    try:
        pid = int(_pid_file(listener).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    if str(_config_file(listener)).encode() in cmdline:
        return pid
    return None


def running(listener: Listener) -> bool:
    return _our_pid(listener) is not None


def start(listener: Listener) -> bool:
    """Start the registry for this listener unless ours already runs. True if started now."""
    if _our_pid(listener) is not None:
        if _answers_within(listener.address, _SILENT_GRACE_S):
            return False
        # Ours, alive, but silent (stopped, wedged): it still holds the port, so starting another
        # beside it would fail and overwrite its pid file, and the next `kit up` would then take
        # our own registry for a stranger's. Replace it instead.
        stop(listener, grace=2.0)
    if registry_client.answers(listener.address):
        raise KitError(
            cli().format(
                "something else already answers as a registry on {address}; "
                "stop it or free the port before `labcheck kit up`",
                address=listener.address,
            )
        )
    storage = paths.registry_dir() / "data"
    storage.mkdir(parents=True, exist_ok=True)
    _run_dir().mkdir(parents=True, exist_ok=True)
    _config_file(listener).write_text(_config_text(listener, storage))
    log = (_run_dir() / f"{listener.name}.log").open("ab")
    proc = subprocess.Popen(
        [registry_binary(), "serve", str(_config_file(listener))],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # it must outlive this labcheck process
    )
    _pid_file(listener).write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if registry_client.answers(listener.address):
            return True
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    tail = (_run_dir() / f"{listener.name}.log").read_text(errors="replace")[-600:]
    raise KitError(
        cli().format("the registry on {address} did not start:\n{log}", address=listener.address, log=tail)
    )


def _answers_within(address: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if registry_client.answers(address, timeout=1.0):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def stop(listener: Listener, grace: float = 10.0) -> bool:
    pid = _our_pid(listener)
    _pid_file(listener).unlink(missing_ok=True)
    if pid is None:
        return False
    try:
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)  # a stopped process acts on SIGTERM only once it runs again
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            break
        try:
            # Reap it if it is our child (same process started it); harmless otherwise.
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid)
    return True


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
