"""Docker-in-Docker nodes on a private bridge, each engine reachable from the host by a socket,
over TLS on a loopback port, or through `docker exec` (see `labcheck.kit.transport`)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
from docker.models.containers import Container

from labcheck.dockercli import classic_build_env, docker_cli, run_docker
from labcheck.errors import EngineUnreachable, KitError
from labcheck.i18n import cli
from labcheck.json_values import as_mapping
from labcheck.kit import exec_transport, gitmirror, paths, registry_client, rootfs, tls
from labcheck.kit import transport as transports
from labcheck.kit.assets_dir import asset_dir, dir_digest
from labcheck.kit.engine import client_at
from labcheck.kit.transport import Access, Mode, Transport

Progress = Callable[[str], None]

ONLINE_BASE_IMAGE = "debian:bookworm"
# Fed from a registry given with `kit up --registry`: its debian:bookworm, fetched by the kit.
REGISTRY_BASE_IMAGE = "labcheck-kit/registry-base:bookworm"
_BASE_REPOSITORY, _BASE_TAG = "library/debian", "bookworm"
_RECIPE_LABEL = "io.labcheck.kit.recipe"
_MODE_LABEL = "io.labcheck.kit.mode"
TOOLS_LABEL = "io.labcheck.kit.tools"
ENGINE_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class KitNode:
    name: str
    container: str
    docker_host: str
    ip: str
    transport: Transport = "socket"
    tls_dir: str | None = None  # the kit's client certificates, for the tls transport

    def client(self, timeout: int = 60) -> docker.DockerClient:
        """An SDK client for this node's engine over its transport."""
        return client_at(
            self.docker_host, timeout=timeout, tls_dir=Path(self.tls_dir) if self.tls_dir else None
        )


def kit_labels(**extra: str) -> dict[str, str]:
    return {paths.KIT_LABEL: "true", **extra}


def ensure_network(client: docker.DockerClient) -> bool:
    """Create the kit's bridge network unless it exists. True if created now."""
    try:
        network = client.networks.get(paths.NETWORK_NAME)
    except docker.errors.NotFound:
        pass
    else:
        if (network.attrs.get("Labels") or {}).get(paths.KIT_LABEL) != "true":
            raise KitError(
                cli().format(
                    "a network named {name} exists but the kit did not make it; remove or rename it first",
                    name=paths.NETWORK_NAME,
                )
            )
        return False
    ipam = docker.types.IPAMConfig(
        pool_configs=[docker.types.IPAMPool(subnet=paths.NETWORK_SUBNET, gateway=paths.NETWORK_GATEWAY)]
    )
    try:
        client.networks.create(paths.NETWORK_NAME, driver="bridge", ipam=ipam, labels=kit_labels())
    except docker.errors.APIError as exc:
        raise KitError(
            cli().format(
                "cannot create the kit network {name} ({subnet}): {error}",
                name=paths.NETWORK_NAME,
                subnet=paths.NETWORK_SUBNET,
                error=exc.explanation or exc,
            )
        ) from exc
    return True


def _image_labels(client: docker.DockerClient, ref: str) -> dict[str, str] | None:
    try:
        image = client.images.get(ref)
    except docker.errors.ImageNotFound:
        return None
    return dict(image.labels or {})


def _ensure_offline_base(client: docker.DockerClient, progress: Progress) -> str:
    if _image_labels(client, paths.BASE_IMAGE) is None:
        root = rootfs.debian_rootfs(progress)
        progress(cli().format("importing the Debian root filesystem as {image}", image=paths.BASE_IMAGE))
        tar = subprocess.Popen(rootfs.tar_stream_command(root), stdout=subprocess.PIPE)
        proc = subprocess.run(
            [
                docker_cli(),
                "import",
                "--change",
                f"LABEL {paths.KIT_LABEL}=true",
                "--change",
                'CMD ["bash"]',
                "-",
                paths.BASE_IMAGE,
            ],
            stdin=tar.stdout,
            capture_output=True,
            text=True,
            check=False,
        )
        if tar.stdout is not None:
            tar.stdout.close()
        tar.wait()
        if proc.returncode != 0 or tar.returncode != 0:
            raise KitError(
                cli().format(
                    "importing {image} failed: {error}", image=paths.BASE_IMAGE, error=proc.stderr.strip()
                )
            )
    return paths.BASE_IMAGE


def _node_recipe(
    client: docker.DockerClient, online: bool, progress: Progress, tools: tuple[str, ...], base: str | None
) -> str:
    if base is not None:
        base_token = str(client.images.get(base).id)
    elif online:
        base_token = str(client.images.get(ONLINE_BASE_IMAGE).id)
    else:
        rootfs.debian_rootfs(progress)
        base_token = rootfs.debian_rootfs_token() or ""
    text = f"{dir_digest(asset_dir('node'))}\n{base_token}\n{online}\n{' '.join(tools)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def node_image_id(client: docker.DockerClient) -> str | None:
    try:
        return str(client.images.get(paths.NODE_IMAGE).id)
    except docker.errors.ImageNotFound:
        return None


def _saved_image() -> Path:
    return paths.kit_home() / "cache" / "node-image.tar"


def _saved_recipe() -> Path:
    return paths.kit_home() / "cache" / "node-image.recipe"


def _load_saved(recipe: str, progress: Progress) -> bool:
    """Load the node image saved by an earlier build: much faster than building it again."""
    try:
        if _saved_recipe().read_text().strip() != recipe or not _saved_image().exists():
            return False
    except OSError:
        return False
    progress(cli().format("loading the saved node image {image}", image=paths.NODE_IMAGE))
    return run_docker(["load", "-q", "-i", str(_saved_image())], check=False, timeout=600).returncode == 0


def _save(recipe: str, progress: Progress) -> None:
    progress(cli().format("saving the node image to {file} for fast warm starts", file=_saved_image()))
    _saved_image().parent.mkdir(parents=True, exist_ok=True)
    partial = _saved_image().with_suffix(".partial")
    run_docker(["save", "-o", str(partial), paths.NODE_IMAGE], timeout=600)
    partial.replace(_saved_image())
    _saved_recipe().write_text(recipe + "\n")


def node_image_tools(client: docker.DockerClient) -> tuple[str, ...] | None:
    """The packages baked into the node image for the labs' `tools:`; None without the image."""
    labels = _image_labels(client, paths.NODE_IMAGE)
    return None if labels is None else tuple(labels.get(TOOLS_LABEL, "").split())


def fetch_registry_base(client: docker.DockerClient, registry: str, progress: Progress) -> str:
    """The node image's Debian base from the registry the nodes are fed from (its debian:bookworm),
    fetched by the kit itself: the host engine may not pull from it (plain HTTP needs root's
    daemon.json). Fetched once; `kit down` removes it."""
    if _image_labels(client, REGISTRY_BASE_IMAGE) is None:
        progress(
            cli().format(
                "fetching {image} from {registry} for the node image",
                image=f"{_BASE_REPOSITORY}:{_BASE_TAG}",
                registry=registry,
            )
        )
        registry_client.load_image(registry, _BASE_REPOSITORY, _BASE_TAG, REGISTRY_BASE_IMAGE)
    return REGISTRY_BASE_IMAGE


def ensure_node_image(
    client: docker.DockerClient,
    online: bool,
    progress: Progress,
    tools: tuple[str, ...] = (),
    registry: str | None = None,
) -> bool:
    """Make the node image present, with these tools: reuse it, load the saved one, or build it.

    True if the image is new on the engine (running nodes must then be recreated).
    """
    fetched = fetch_registry_base(client, registry, progress) if registry else None
    if online and _image_labels(client, ONLINE_BASE_IMAGE) is None:
        progress(cli().format("pulling {image} from Docker Hub", image=ONLINE_BASE_IMAGE))
        run_docker(["pull", "-q", ONLINE_BASE_IMAGE])
    recipe = _node_recipe(client, online, progress, tools, fetched)
    labels = _image_labels(client, paths.NODE_IMAGE)
    if labels is not None and labels.get(_RECIPE_LABEL) == recipe:
        return False
    if _load_saved(recipe, progress):
        loaded = _image_labels(client, paths.NODE_IMAGE)
        if loaded is not None and loaded.get(_RECIPE_LABEL) == recipe:
            return True
    base = fetched or (ONLINE_BASE_IMAGE if online else _ensure_offline_base(client, progress))
    if tools:
        said = cli().format(
            "building the node image {image} (docker.io and {tools}; about 20 s)",
            image=paths.NODE_IMAGE,
            tools=" ".join(tools),
        )
    else:
        said = cli().format("building the node image {image} (docker.io; about 20 s)", image=paths.NODE_IMAGE)
    progress(said)
    with tempfile.TemporaryDirectory(prefix="labcheck-node-") as tmp:
        context = Path(tmp)
        for asset in asset_dir("node").iterdir():
            (context / asset.name).write_bytes(asset.read_bytes())
        (context / "entrypoint.sh").chmod(0o755)
        run_docker(
            [
                "build",
                "-q",
                "--pull=false",
                "-t",
                paths.NODE_IMAGE,
                "--build-arg",
                f"BASE={base}",
                "--label",
                f"{paths.KIT_LABEL}=true",
                "--label",
                f"{_RECIPE_LABEL}={recipe}",
                "--label",
                f"{_MODE_LABEL}={'registry' if registry else 'online' if online else 'offline'}",
                "--label",
                f"{TOOLS_LABEL}={' '.join(tools)}",
                "--build-arg",
                f"TOOLS={' '.join(tools)}",
                str(context),
            ],
            env=classic_build_env(),
            timeout=900,
        )
    # The superseded image, now untagged, would linger as a dangling kit image.
    run_docker(["image", "prune", "-f", "--filter", f"label={paths.KIT_LABEL}=true"], check=False)
    _save(recipe, progress)
    return True


def _container(client: docker.DockerClient, name: str) -> Container | None:
    try:
        return client.containers.get(paths.node_container(name))
    except docker.errors.NotFound:
        return None


def remove_node(client: docker.DockerClient, name: str) -> None:
    container = _container(client, name)
    if container is not None:
        container.remove(force=True, v=True)
    try:
        client.volumes.get(paths.node_volume(name)).remove(force=True)
    except docker.errors.NotFound:
        pass
    paths.node_socket(name).unlink(missing_ok=True)


def node_environment(online: bool, mirror: str | None = paths.NODE_REGISTRY) -> dict[str, str]:
    """What a node's container is started with: offline, git is pointed at the kit's mirror;
    dockerd at the registry the nodes are fed from (the kit's, or one given with --registry);
    its sockets are the host's docker group's, so every user who may use the host engine may
    use the nodes'."""
    environment = {
        "LABCHECK_HOST_SOCKET_DIR": paths.NODE_HOST_SOCKET_DIR,
        "LABCHECK_SOCKET_GROUP": str(paths.docker_group_id()),
    }
    if not online:
        environment.update(gitmirror.insteadof_env(paths.NODE_GIT_DIR))
        if mirror:
            environment["LABCHECK_REGISTRY_MIRROR"] = mirror
    return environment


def has_environment(container: Container, online: bool, mirror: str | None = paths.NODE_REGISTRY) -> bool:
    """True when the node runs with today's environment (a node made by an older kit may not)."""
    current = set((container.attrs.get("Config") or {}).get("Env") or [])
    return all(f"{key}={value}" in current for key, value in node_environment(online, mirror).items())


def _tls_archive(files: tls.TlsFiles) -> bytes:
    """The server side of the kit's certificates, as the folder a node's dockerd reads them from."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        folder = tarfile.TarInfo(tls.NODE_TLS_DIR.lstrip("/"))
        folder.type, folder.mode = tarfile.DIRTYPE, 0o700
        tar.addfile(folder)
        for path, mode in ((files.ca, 0o644), (files.server_cert, 0o644), (files.server_key, 0o600)):
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{folder.name}/{path.name}")
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return archive.getvalue()


def _tls_arguments() -> list[str]:
    """dockerd's extra listener: TLS, clients verified against the kit's CA (never open TCP)."""
    folder = tls.NODE_TLS_DIR
    return [
        "--host",
        f"tcp://0.0.0.0:{transports.NODE_TLS_PORT}",
        "--tlsverify",
        "--tlscacert",
        f"{folder}/{tls.CA_FILE}",
        "--tlscert",
        f"{folder}/{tls.SERVER_CERT}",
        "--tlskey",
        f"{folder}/{tls.SERVER_KEY}",
    ]


SOCKET_ONLY = Access(socket=True, tls=False)


def create_node(
    client: docker.DockerClient,
    name: str,
    online: bool,
    mirror: str | None = paths.NODE_REGISTRY,
    access: Access = SOCKET_ONLY,
) -> None:
    """(Re)create one node: an empty engine, no swarm, reachable as `access` says (its socket on
    the host, its API over TLS on a random loopback port; `docker exec` always)."""
    remove_node(client, name)
    volume = client.volumes.create(paths.node_volume(name), labels=kit_labels(**{paths.NODE_LABEL: name}))
    mounts: dict[str, dict[str, str]] = {str(volume.name): {"bind": "/var/lib/docker", "mode": "rw"}}
    if access.socket:
        socket_dir = paths.node_socket_dir(name)
        socket_dir.mkdir(parents=True, exist_ok=True)
        paths.share(socket_dir.parent)
        paths.share(socket_dir)
        mounts[str(socket_dir)] = {"bind": paths.NODE_HOST_SOCKET_DIR, "mode": "rw"}
    environment = node_environment(online, mirror)
    if not online:
        mounts[str(paths.git_root())] = {"bind": paths.NODE_GIT_DIR, "mode": "ro"}
    # The CLI, not the SDK: only the CLI turns systempaths=unconfined into unmasked /proc paths.
    args = [
        "create",
        "--init",
        "--name",
        paths.node_container(name),
        "--hostname",
        name,
        "--network",
        paths.NETWORK_NAME,
        # --privileged fails on hosts whose bounding set lacks CAP_SYS_RESOURCE.
        "--cap-add",
        "ALL",
        "--cap-drop",
        "SYS_RESOURCE",
        "--security-opt",
        "seccomp=unconfined",
        "--security-opt",
        "apparmor=unconfined",
        "--security-opt",
        "systempaths=unconfined",
    ]
    labels = kit_labels(**{paths.NODE_LABEL: name, transports.ACCESS_LABEL: access.label()})
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    for source, spec in mounts.items():
        args += ["--volume", f"{source}:{spec['bind']}:{spec['mode']}"]
    for key, value in environment.items():
        args += ["--env", f"{key}={value}"]
    dockerd_args: list[str] = []
    if access.tls:
        # A random port on loopback only: the engine is for this machine, never its network.
        args += ["--publish", f"127.0.0.1::{transports.NODE_TLS_PORT}"]
        dockerd_args = _tls_arguments()
    # Created, given its certificates by `docker cp` (no host folder to share), then started.
    run_docker([*args, paths.NODE_IMAGE, *dockerd_args])
    if access.tls:
        files = tls.ensure(paths.tls_dir())
        subprocess.run(
            [docker_cli(), "cp", "-", f"{paths.node_container(name)}:/"],
            input=_tls_archive(files),
            check=True,
            capture_output=True,
        )
    run_docker(["start", paths.node_container(name)])


def docker_host(name: str) -> str:
    return f"unix://{paths.node_socket(name)}"


def node_access(container: Container) -> Access:
    return Access.from_label((container.labels or {}).get(transports.ACCESS_LABEL))


def _tls_port(container: Container) -> str | None:
    bindings = ((container.attrs.get("NetworkSettings") or {}).get("Ports") or {}).get(
        f"{transports.NODE_TLS_PORT}/tcp"
    )
    for binding in bindings or ():
        if binding.get("HostPort"):
            return str(binding["HostPort"])
    return None


def _socket_answers(name: str) -> bool:
    if not paths.node_socket(name).exists():
        return False
    try:
        client_at(docker_host(name), timeout=5).close()
    except EngineUnreachable:
        return False
    return True


def endpoint(container: Container, name: str, mode: Mode = transports.AUTO) -> KitNode:
    """The node as a run reaches it: the transport `mode` asks for, or in `auto` the best it has."""
    access = node_access(container)
    if transports.sockets_turned_off():
        if mode == "socket":
            raise KitError(
                cli().format(
                    "{setting}=off: node {name} cannot be reached by its socket",
                    setting=transports.SOCKETS_ENV,
                    name=name,
                )
            )
        access = Access(socket=False, tls=access.tls)  # as if the node had none, as on Docker Desktop
    socket_answers = mode == transports.AUTO and access.socket and _socket_answers(name)
    chosen = transports.choose(mode, access, socket_answers)
    port = _tls_port(container) if chosen == "tls" else None
    if chosen == "tls" and port is None and mode == transports.AUTO and access.socket:
        # A network that publishes no ports (`internal: true`, as in a classroom with no route
        # out): the node's socket is the way, even if it does not answer yet (its engine starts).
        chosen = "socket"
    tls_dir: str | None = None
    if chosen == "socket":
        host = docker_host(name)
    elif chosen == "tls":
        if port is None:
            raise KitError(
                cli().format("kit node {name} publishes no TLS port: run `labcheck kit up`", name=name)
            )
        host, tls_dir = f"tcp://127.0.0.1:{port}", str(paths.tls_dir())
    else:
        host = f"{exec_transport.SCHEME}{container.name}"
    return KitNode(name, str(container.name), host, _ip(container), chosen, tls_dir)


def _ip(container: Container) -> str:
    networks = as_mapping(container.attrs["NetworkSettings"]["Networks"])  # docker SDK attrs: untyped
    return str(as_mapping(networks.get(paths.NETWORK_NAME)).get("IPAddress") or "")


def wait_engine(
    client: docker.DockerClient, name: str, timeout: float = ENGINE_WAIT_SECONDS, mode: Mode = transports.AUTO
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        container = _container(client, name)
        if container is None or container.status == "exited":
            logs = container.logs(tail=15).decode(errors="replace") if container else ""
            raise KitError(
                cli().format(
                    "node {name} stopped while its engine was starting:\n{logs}", name=name, logs=logs
                )
            )
        if container.status == "running":
            try:
                endpoint(container, name, mode).client(timeout=5).close()
                return
            except EngineUnreachable:
                pass
        if time.monotonic() > deadline:
            raise KitError(
                cli().format(
                    "the engine of node {name} did not answer within {seconds} s",
                    name=name,
                    seconds=f"{timeout:.0f}",
                )
            )
        time.sleep(0.2)


def running_nodes(client: docker.DockerClient) -> dict[str, Container]:
    found = client.containers.list(all=True, filters={"label": f"{paths.NODE_LABEL}"})
    result: dict[str, Container] = {}
    for container in found:
        labels = container.labels or {}
        if labels.get(paths.KIT_LABEL) == "true":
            result[labels[paths.NODE_LABEL]] = container
    return result


def describe(client: docker.DockerClient, name: str, mode: Mode = transports.AUTO) -> KitNode:
    container = _container(client, name)
    if container is None or container.status != "running":
        raise KitError(cli().format("kit node {name} is not running: run `labcheck kit up`", name=name))
    return endpoint(container, name, mode)


def swarm_state(client: docker.DockerClient, name: str) -> str:
    try:
        node_client = describe(client, name).client(timeout=5)
    except (EngineUnreachable, KitError):
        return "unreachable"
    try:
        swarm = node_client.info().get("Swarm") or {}
        return str(swarm.get("LocalNodeState") or "unknown")
    finally:
        node_client.close()
