"""What the kit has up right now, as one record, rendered as a table or as JSON."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import docker
import docker.errors

from labcheck.errors import EngineUnreachable, KitError
from labcheck.kit import daemon_config, gitmirror, nodes, paths, registry, registry_client, state
from labcheck.kit.capabilities import Capability, host_capabilities
from labcheck.kit.packs import split_ref


@dataclass(frozen=True)
class EngineStatus:
    address: str
    version: str
    mirror_in_use: bool


@dataclass(frozen=True)
class RegistryStatus:
    loopback: str
    loopback_up: bool
    bridge: str
    bridge_up: bool
    data_dir: str


@dataclass(frozen=True)
class StandInStatus:
    replaces: str
    reference: str
    digest: str | None


@dataclass(frozen=True)
class GitMirrorStatus:
    upstream: str
    bare_repo: str
    head: str | None


@dataclass(frozen=True)
class NodeImageStatus:
    reference: str
    image_id: str | None
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabStatus:
    """What one lab the kit serves has ready: its images, repositories and node tools."""

    id: str
    spec: str
    images: int
    repositories: int
    tools: tuple[str, ...]
    missing: tuple[str, ...]  # what is not ready, in words ("image web:1.0", "tool jq")

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class NodeStatus:
    name: str
    container: str
    running: bool
    engine_answering: bool
    swarm_state: str
    docker_host: str
    ip: str
    transport: str = "socket"  # how labcheck's SDK reaches this node (labcheck.kit.transport)


@dataclass(frozen=True)
class KitStatus:
    mode: str  # "offline", "online" or "down"
    data_dir: str
    engine: EngineStatus
    registry: RegistryStatus
    standins: tuple[StandInStatus, ...]
    git_mirrors: tuple[GitMirrorStatus, ...]
    node_image: NodeImageStatus
    nodes: tuple[NodeStatus, ...]
    capabilities: tuple[Capability, ...]
    last_up: state.LastUp | None
    labs: tuple[LabStatus, ...] = ()
    fed_from: str = ""  # where the nodes pull images from, in words
    host_mirror: bool = True  # offline: the kit set the host engine's mirror (root only)
    registry_url: str = ""  # mode "registry": the registry the nodes are fed from
    registry_answers: bool = False

    @property
    def up(self) -> bool:
        nodes_ok = bool(self.nodes) and all(n.engine_answering for n in self.nodes)
        if self.mode == "online":
            return nodes_ok and self.node_image.image_id is not None
        if self.mode == "registry":
            return (
                nodes_ok
                and self.registry_answers
                and all(git.head is not None for git in self.git_mirrors)
                and self.node_image.image_id is not None
                and all(lab.ready for lab in self.labs)
            )
        if self.mode != "offline":
            return False
        return (
            nodes_ok
            and (self.engine.mirror_in_use or not self.host_mirror)
            and self.registry.loopback_up
            and self.registry.bridge_up
            and all(s.digest for s in self.standins)
            and all(git.head is not None for git in self.git_mirrors)
            and self.node_image.image_id is not None
            and all(lab.ready for lab in self.labs)
        )

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["up"] = self.up
        data["capabilities"] = {c.name: asdict(c) for c in self.capabilities}
        return data


def _node_status(client: docker.DockerClient, name: str, running: bool, ip: str) -> NodeStatus:
    answering = False
    swarm = "unknown"
    host, transport = nodes.docker_host(name), "socket"
    if running:
        try:
            node = nodes.describe(client, name)
            host, transport = node.docker_host, node.transport
            node_client = node.client(timeout=5)
        except (EngineUnreachable, KitError):
            pass
        else:
            answering = True
            try:
                swarm = str((node_client.info().get("Swarm") or {}).get("LocalNodeState"))
            finally:
                node_client.close()
    return NodeStatus(name, paths.node_container(name), running, answering, swarm, host, ip, transport)


def gather(client: docker.DockerClient) -> KitStatus:
    record = state.load()
    info = client.version()
    mirror = daemon_config.mirror_in_use(client)
    engine = EngineStatus(
        os.environ.get("DOCKER_HOST", "default socket"), str(info.get("Version", "?")), mirror
    )
    loopback, bridge = registry.listeners()
    # Up is what answers: whoever started it (root's kit, as seen by another user, is not ours).
    reg = RegistryStatus(
        loopback.address,
        registry.answers(loopback.address),
        bridge.address,
        registry.answers(bridge.address),
        str(paths.registry_dir()),
    )
    offline = record is not None and record.mode == "offline"
    fed = record is not None and record.mode == "registry"
    served = record.labs if record is not None else ()
    stand: tuple[StandInStatus, ...] = ()
    git_status: tuple[GitMirrorStatus, ...] = ()
    if offline:
        refs = dict.fromkeys(ref for lab in served for ref in lab.images)
        stand = tuple(_standin_status(ref, reg.loopback_up) for ref in refs)
    if offline or fed:
        urls = dict.fromkeys(url for lab in served for url in lab.repositories)
        git_status = tuple(_git_status(url) for url in urls)
    tools = nodes.node_image_tools(client)
    node_image = NodeImageStatus(paths.NODE_IMAGE, nodes.node_image_id(client), tools or ())
    lab_rows = tuple(_lab_status(lab, offline, fed, stand, git_status, tools) for lab in served)
    node_rows = []
    for name, container in sorted(nodes.running_nodes(client).items()):
        running = container.status == "running"
        networks = container.attrs["NetworkSettings"]["Networks"]
        ip = str((networks.get(paths.NETWORK_NAME) or {}).get("IPAddress") or "")
        node_rows.append(_node_status(client, name, running, ip))
    caps = host_capabilities(mirror)
    return KitStatus(
        mode=record.mode if record else "down",
        data_dir=str(paths.kit_home()),
        engine=engine,
        registry=reg,
        standins=stand,
        git_mirrors=git_status,
        node_image=node_image,
        nodes=tuple(node_rows),
        capabilities=tuple(caps.values()),
        last_up=record.last_up if record else None,
        labs=lab_rows,
        fed_from=record.source.describe() if record else "",
        host_mirror=record.host_mirror if record else True,
        registry_url=record.registry if record else "",
        registry_answers=fed and record is not None and registry_client.answers(record.registry, 3.0),
    )


def _standin_status(ref: str, registry_up: bool) -> StandInStatus:
    repository, tag = split_ref(ref)
    digest = registry.manifest_digest(repository, tag) if registry_up else None
    return StandInStatus(ref, f"{paths.HOST_REGISTRY}/{repository}:{tag}", digest)


def _git_status(url: str) -> GitMirrorStatus:
    mirror = gitmirror.status(url)
    return GitMirrorStatus(url, str(mirror.bare_repo), mirror.head)


def _lab_status(
    lab: state.LabRecord,
    offline: bool,
    fed: bool,
    stand: tuple[StandInStatus, ...],
    git: tuple[GitMirrorStatus, ...],
    tools: tuple[str, ...] | None,
) -> LabStatus:
    missing: list[str] = []
    if offline:
        present = {s.replaces for s in stand if s.digest}
        missing += [f"image {ref}" for ref in lab.images if ref not in present]
    if offline or fed:
        cloned = {g.upstream for g in git if g.head}
        missing += [f"repository {url}" for url in lab.repositories if url not in cloned]
    missing += [f"tool {tool}" for tool in lab.tools if tool not in (tools or ())]
    return LabStatus(lab.id, lab.spec, len(lab.images), len(lab.repositories), lab.tools, tuple(missing))


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _lab_words(lab: LabStatus) -> str:
    if lab.missing:
        return "missing: " + ", ".join(lab.missing)
    parts = [_count(lab.images, "image", "images"), _count(lab.repositories, "repository", "repositories")]
    if lab.tools:
        parts.append(f"tools {' '.join(lab.tools)}")
    return f"{', '.join(parts)} ({lab.spec})"


def _yes(flag: bool) -> str:
    return "up" if flag else "DOWN"


def render_table(status: KitStatus) -> str:
    rows: list[tuple[str, str, str]] = [
        (
            "kit",
            "UP" if status.up else ("partial" if status.mode != "down" else "down"),
            f"mode {status.mode}, data {status.data_dir}",
        ),
        (
            "engine",
            "up",
            f"{status.engine.version} at {status.engine.address}, "
            f"registry mirror {'in use' if status.engine.mirror_in_use else 'not set'}",
        ),
    ]
    if status.fed_from:
        rows.append(("nodes pull from", "", status.fed_from))
    if status.mode == "offline" and not status.host_mirror:
        rows.append(("host mirror", "skipped", "not root: `docker pull` on this host goes to Docker Hub"))
    if status.mode == "registry":
        rows.append(("registry", _yes(status.registry_answers), f"{status.registry_url} (nodes)"))
    if status.mode not in ("online", "registry"):
        rows.append(("registry", _yes(status.registry.loopback_up), f"{status.registry.loopback} (host)"))
        rows.append(("registry", _yes(status.registry.bridge_up), f"{status.registry.bridge} (nodes)"))
        for s in status.standins:
            rows.append(
                (f"stand-in {s.replaces}", "present" if s.digest else "MISSING", s.digest or s.reference)
            )
        for git in status.git_mirrors:
            rows.append(
                (
                    "git mirror",
                    "present" if git.head else "MISSING",
                    f"{git.upstream} -> {git.bare_repo}" + (f" @ {git.head[:12]}" if git.head else ""),
                )
            )
    image = status.node_image
    rows.append(
        (
            "node image",
            "present" if image.image_id else "MISSING",
            f"{image.reference} {(image.image_id or '')[:19]}"
            + (f", tools: {' '.join(image.tools)}" if image.tools else ""),
        )
    )
    for lab in status.labs:
        rows.append((f"lab {lab.id}", "ready" if lab.ready else "NOT READY", _lab_words(lab)))
    for n in status.nodes:
        state_word = ("up" if n.engine_answering else "no engine") if n.running else "stopped"
        rows.append(
            (
                f"node {n.name}",
                state_word,
                f"ip {n.ip or '-'}, swarm {n.swarm_state}, {n.transport} {n.docker_host}",
            )
        )
    for cap in status.capabilities:
        rows.append((f"capability {cap.name}", "yes" if cap.available else "NO", cap.reason))
    if status.last_up is not None:
        built = ", ".join(status.last_up.built) or "nothing"
        rows.append(("last kit up", f"{status.last_up.seconds:.1f} s", f"built: {built}"))
    width_a = max(len(r[0]) for r in rows)
    width_b = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{width_a}}  {b:<{width_b}}  {c}" for a, b, c in rows)
