"""Where the kit keeps its data, and the names it gives to what it creates."""

from __future__ import annotations

import os
from pathlib import Path

KIT_LABEL = "io.labcheck.kit"
NODE_LABEL = "io.labcheck.kit.node"
STANDIN_LABEL = "io.labcheck.standin"
STANDIN_OF_LABEL = "io.labcheck.standin.of"

NETWORK_NAME = "labcheck-kit"
NETWORK_SUBNET = "172.30.0.0/24"
NETWORK_GATEWAY = "172.30.0.1"

REGISTRY_PORT = 5000
HOST_REGISTRY = f"127.0.0.1:{REGISTRY_PORT}"
NODE_REGISTRY = f"{NETWORK_GATEWAY}:{REGISTRY_PORT}"
HOST_MIRROR_URL = f"http://{HOST_REGISTRY}"

BASE_IMAGE = "labcheck-kit/debian-base:bookworm"
NODE_IMAGE = "labcheck-kit/node:latest"
NODE_CONTAINER_PREFIX = "labcheck-"
NODE_VOLUME_SUFFIX = "-docker"

# Inside a node: where the git mirror is mounted and where the host-visible socket lives.
NODE_GIT_DIR = "/opt/labcheck-git"
NODE_HOST_SOCKET_DIR = "/run/labcheck-host"

DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"


def kit_home() -> Path:
    """The kit's data dir: $LABCHECK_KIT_HOME, else a system or per-user default."""
    override = os.environ.get("LABCHECK_KIT_HOME")
    if override:
        return Path(override)
    if os.geteuid() == 0:
        return Path("/var/lib/labcheck/kit")
    return Path.home() / ".local/share/labcheck/kit"


def state_file() -> Path:
    return kit_home() / "state.json"


def lock_file() -> Path:
    return kit_home() / "kit.lock"


def registry_dir() -> Path:
    return kit_home() / "registry"


def rootfs_dir() -> Path:
    return kit_home() / "rootfs" / DEBIAN_SUITE


def git_root() -> Path:
    """Parent of the bare repos, laid out as github.com is: <owner>/<repo>.git."""
    return kit_home() / "git"


def node_socket_dir(name: str) -> Path:
    return kit_home() / "nodes" / name


def node_socket(name: str) -> Path:
    return node_socket_dir(name) / "docker.sock"


def node_container(name: str) -> str:
    return f"{NODE_CONTAINER_PREFIX}{name}"


def node_volume(name: str) -> str:
    return f"{NODE_CONTAINER_PREFIX}{name}{NODE_VOLUME_SUFFIX}"


def daemon_json() -> Path:
    return Path(os.environ.get("LABCHECK_DAEMON_JSON", "/etc/docker/daemon.json"))


def docker_pid_file() -> Path:
    return Path(os.environ.get("LABCHECK_DOCKER_PIDFILE", "/var/run/docker.pid"))
