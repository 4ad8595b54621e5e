"""Where the kit keeps its data, and the names it gives to what it creates."""

from __future__ import annotations

import grp
import os
from pathlib import Path
from typing import IO

from labcheck.errors import KitError
from labcheck.i18n import N_, cli
from labcheck.os_error_words import os_error_words

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


# Root's kit: it serves every user in the `docker` group while it is up (see `kit_home`).
SYSTEM_KIT_HOME = Path("/var/lib/labcheck/kit")
DOCKER_GROUP = "docker"


def user_kit_home() -> Path:
    """A user's own kit: $XDG_DATA_HOME/labcheck/kit, by default ~/.local/share/labcheck/kit."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local/share"
    return base / "labcheck" / "kit"


def system_kit_up() -> bool:
    """Root's kit is up (it keeps a state file only while up) and this user may read it."""
    state = SYSTEM_KIT_HOME / "state.json"
    return state.is_file() and os.access(state, os.R_OK)


def kit_home() -> Path:
    """The kit's data dir: $LABCHECK_KIT_HOME; for root the system kit's; for anyone else the
    system kit while root has it up (the nodes, registry and network names are the engine's, so
    two kits cannot live side by side), else the user's own data folder."""
    override = os.environ.get("LABCHECK_KIT_HOME")
    if override:
        return Path(override)
    if os.geteuid() == 0 or system_kit_up():
        return SYSTEM_KIT_HOME
    return user_kit_home()


def is_root() -> bool:
    return os.geteuid() == 0


def using_others_kit() -> bool:
    """True for a user (not root) working on root's system kit: they may use it, not change it."""
    return not is_root() and kit_home() == SYSTEM_KIT_HOME


def docker_group_id() -> int:
    """The gid the host engine's socket is shared with: the node sockets are given the same."""
    try:
        return grp.getgrnam(DOCKER_GROUP).gr_gid
    except KeyError:
        return os.getegid()


def writable_home() -> Path:
    """The kit's data dir, created if needed; a KitError in the user's terms if it cannot be written."""
    home = kit_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / f".write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        t = cli()
        if os.environ.get("LABCHECK_KIT_HOME"):
            said = t.format(
                "LABCHECK_KIT_HOME names {home}, which you cannot write ({error}): "
                "point it at a folder you own, or unset it to use {default}",
                home=home,
                error=os_error_words(exc),
                default=user_kit_home(),
            )
        elif home == SYSTEM_KIT_HOME and not is_root():
            said = t.format(
                "the kit in use is root's system kit at {home}, which you cannot change: "
                "ask root to run `sudo labcheck kit up` (it shares the kit with the docker group)",
                home=home,
            )
        else:
            said = t.format(
                "the kit's folder {home} cannot be written ({error}): "
                "free it or set LABCHECK_KIT_HOME to a folder you own",
                home=home,
                error=os_error_words(exc),
            )
        raise KitError(said) from None
    return home


def open_shared(path: Path, mode: str) -> IO[str]:
    """Open one of the kit's lock or log files, shared as `share` says; a KitError in the
    user's terms when this user may not write it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open(mode)
    except OSError as exc:
        if not using_others_kit():
            writable_home()  # names the usual causes (LABCHECK_KIT_HOME, a full or read-only disk)
        if path.is_relative_to(SYSTEM_KIT_HOME) and not is_root():
            message = N_(
                "the kit's file {path} cannot be opened for writing ({error}): "
                "it belongs to root's system kit, made by an older labcheck: ask root to run "
                "`sudo labcheck kit up` once, which shares it with the docker group"
            )
        else:
            message = N_(
                "the kit's file {path} cannot be opened for writing ({error}): "
                "check its owner and permissions"
            )
        raise KitError(cli().format(message, path=path, error=os_error_words(exc))) from None
    for made in (path.parent, path):
        share(made)
    return handle


def share(path: Path) -> None:
    """Let every user of the docker group take root's kit's locks and recreate its nodes.

    Root's kit serves those users (they can drive the host engine anyway, so this grants nothing
    new): its lock files, node folders and give-back log belong to the docker group,
    group-writable, its folders setgid so what a user creates there stays the group's. A user's
    own kit is left as it is."""
    if path == SYSTEM_KIT_HOME or not path.is_relative_to(SYSTEM_KIT_HOME) or kit_home() != SYSTEM_KIT_HOME:
        return  # the kit's folder itself stays root's alone
    try:
        info = path.stat()
        if is_root() and info.st_gid != docker_group_id():
            os.chown(path, -1, docker_group_id())
        elif info.st_uid != os.geteuid():
            return  # someone else's: its owner shared it when they made it
        wanted = 0o2775 if path.is_dir() else 0o664
        if info.st_mode & 0o7777 != wanted:
            os.chmod(path, wanted)
    except OSError:
        pass  # best effort: the owner keeps working either way


def share_kit() -> None:
    """Root, after `kit up`: what a docker-group user's run writes (the locks, the nodes' folders,
    the give-back log) is shared with that group, so their runs work with no sudo."""
    if not is_root() or kit_home() != SYSTEM_KIT_HOME:
        return
    home = SYSTEM_KIT_HOME
    for folder in (home / "locks", home / "nodes"):
        folder.mkdir(parents=True, exist_ok=True)
    (home / "give-back.log").touch()
    lock_file().touch()
    shared = [home / "locks", home / "nodes", home / "give-back.log", lock_file()]
    shared += [*(home / "locks").iterdir(), *(home / "nodes").iterdir()]
    for path in shared:
        share(path)


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


def tls_dir() -> Path:
    """The kit's TLS certificates for the nodes' API ports (private keys 0600)."""
    return kit_home() / "tls"


def node_container(name: str) -> str:
    return f"{NODE_CONTAINER_PREFIX}{name}"


def node_volume(name: str) -> str:
    return f"{NODE_CONTAINER_PREFIX}{name}{NODE_VOLUME_SUFFIX}"


def daemon_json() -> Path:
    return Path(os.environ.get("LABCHECK_DAEMON_JSON", "/etc/docker/daemon.json"))


def docker_pid_file() -> Path:
    return Path(os.environ.get("LABCHECK_DOCKER_PIDFILE", "/var/run/docker.pid"))
