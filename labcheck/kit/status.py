"""What the kit has up right now, as one record, rendered as a table or as JSON."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import docker
import docker.errors

from labcheck.errors import EngineUnreachable, KitError
from labcheck.i18n import N_, Translator, cli, translator
from labcheck.kit import daemon_config, gitmirror, nodes, paths, registry, registry_client, source, state
from labcheck.kit.capabilities import Capability, host_capabilities
from labcheck.kit.packs import split_ref

DEFAULT_ENGINE_ADDRESS = N_("default socket")  # kept in English in the JSON, said in the table's language


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
        os.environ.get("DOCKER_HOST", DEFAULT_ENGINE_ADDRESS), str(info.get("Version", "?")), mirror
    )
    loopback, bridge = registry.listeners()
    # Up is what answers: whoever started it (root's kit, as seen by another user, is not ours).
    reg = RegistryStatus(
        loopback.address,
        registry_client.answers(loopback.address),
        bridge.address,
        registry_client.answers(bridge.address),
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
        fed_from=record.source.describe(translator("en")) if record else "",  # JSON: English
        host_mirror=record.host_mirror if record else True,
        registry_url=record.registry if record else "",
        registry_answers=fed and record is not None and registry_client.answers(record.registry, 3.0),
    )


def _standin_status(ref: str, registry_up: bool) -> StandInStatus:
    repository, tag = split_ref(ref)
    digest = registry_client.manifest_digest(paths.HOST_REGISTRY, repository, tag) if registry_up else None
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


# What a lab lacks is kept in words of the JSON ("image web:1.0"); the table says the kind in its language.
_MISSING_KINDS = {
    "image": N_("image {name}"),
    "repository": N_("repository {name}"),
    "tool": N_("tool {name}"),
}


def missing_words(item: str, t: Translator) -> str:
    kind, _, name = item.partition(" ")
    message = _MISSING_KINDS.get(kind)
    return t.format(message, name=name) if message is not None and name else item


def built_words(item: str, t: Translator) -> str:
    """One thing `kit up` built or reused (state.LastUp keeps them in English words), in t's language."""
    if item == "node image":
        return t.gettext("node image")
    for prefix, message in (
        ("git mirror ", N_("git mirror {name}")),
        ("node ", N_("node {name}")),
        ("package repository ", N_("package repository {name}")),
    ):
        if item.startswith(prefix):
            return t.format(message, name=item[len(prefix) :])
    return item  # a stand-in: the image reference it replaces


def _lab_words(lab: LabStatus, t: Translator) -> str:
    if lab.missing:
        return t.format("missing: {items}", items=", ".join(missing_words(m, t) for m in lab.missing))
    parts = [
        t.counted(lab.images, "image", "images"),
        t.counted(lab.repositories, "repository", "repositories"),
    ]
    if lab.tools:
        parts.append(t.format("tools {names}", names=" ".join(lab.tools)))
    return f"{', '.join(parts)} ({lab.spec})"


def _yes(flag: bool, t: Translator) -> str:
    return t.gettext("up") if flag else t.gettext("DOWN")


def _present(flag: bool, t: Translator) -> str:
    return t.gettext("present") if flag else t.gettext("MISSING")


_MODE_WORDS = {
    "offline": N_("offline"),
    "online": N_("online"),
    "registry": N_("registry"),
    "down": N_("down"),
}
# The engine's own words for its Swarm state (LocalNodeState), and ours when it could not be asked.
_SWARM_WORDS = {
    "inactive": N_("inactive"),
    "pending": N_("pending"),
    "active": N_("active"),
    "locked": N_("locked"),
    "unknown": N_("unknown"),
}


def _mode_words(mode: str, t: Translator) -> str:
    message = _MODE_WORDS.get(mode)
    return t.gettext(message) if message is not None else mode


def _swarm_words(state_word: str, t: Translator) -> str:
    if state_word == "error":
        return t.ngettext("error", "errors", 1)  # the catalogs' "error" is a counted noun
    message = _SWARM_WORDS.get(state_word)
    return t.gettext(message) if message is not None else state_word


def _fed_from_words(status: KitStatus, t: Translator) -> str:
    if status.mode in (source.OFFLINE, source.ONLINE, source.REGISTRY):
        return source.ImageSource(status.mode, status.registry_url).describe(t)
    return status.fed_from


def _node_state(node: NodeStatus, t: Translator) -> str:
    if not node.running:
        return t.gettext("stopped")
    return t.gettext("up") if node.engine_answering else t.gettext("no engine")


def render_table(status: KitStatus, t: Translator | None = None) -> str:
    """The status as a table in t's language (the command line's by default); the JSON stays English."""
    t = t or cli()
    kit_state = (
        t.gettext("UP")
        if status.up
        else (t.gettext("partial") if status.mode != "down" else t.gettext("down"))
    )
    rows: list[tuple[str, str, str]] = [
        (
            t.gettext("kit"),
            kit_state,
            t.format("mode {mode}, data {folder}", mode=_mode_words(status.mode, t), folder=status.data_dir),
        ),
        (
            t.gettext("engine"),
            t.gettext("up"),
            t.format(
                "{version} at {address}, registry mirror {mirror}",
                version=status.engine.version,
                address=_engine_address(status.engine.address, t),
                mirror=t.gettext("in use") if status.engine.mirror_in_use else t.gettext("not set"),
            ),
        ),
    ]
    if status.fed_from:
        rows.append((t.gettext("nodes pull from"), "", _fed_from_words(status, t)))
    if status.mode == "offline" and not status.host_mirror:
        rows.append(
            (
                t.gettext("host mirror"),
                t.ngettext("skipped", "skipped", 1),  # one mirror
                t.gettext("not root: `docker pull` on this host goes to Docker Hub"),
            )
        )
    if status.mode == "registry":
        rows.append(
            (
                t.gettext("registry"),
                _yes(status.registry_answers, t),
                t.format("{address} (nodes)", address=status.registry_url),
            )
        )
    if status.mode not in ("online", "registry"):
        rows.append(
            (
                t.gettext("registry"),
                _yes(status.registry.loopback_up, t),
                t.format("{address} (host)", address=status.registry.loopback),
            )
        )
        rows.append(
            (
                t.gettext("registry"),
                _yes(status.registry.bridge_up, t),
                t.format("{address} (nodes)", address=status.registry.bridge),
            )
        )
        for s in status.standins:
            rows.append(
                (
                    t.format("stand-in {image}", image=s.replaces),
                    _present(bool(s.digest), t),
                    s.digest or s.reference,
                )
            )
        for git in status.git_mirrors:
            rows.append(
                (
                    t.gettext("git mirror"),
                    _present(bool(git.head), t),
                    f"{git.upstream} -> {git.bare_repo}" + (f" @ {git.head[:12]}" if git.head else ""),
                )
            )
    image = status.node_image
    tools = t.format(", tools: {names}", names=" ".join(image.tools)) if image.tools else ""
    rows.append(
        (
            t.gettext("node image"),
            _present(bool(image.image_id), t),
            f"{image.reference} {(image.image_id or '')[:19]}{tools}",
        )
    )
    for lab in status.labs:
        rows.append(
            (
                t.format("lab {id}", id=lab.id),
                t.ngettext("ready", "ready", 1) if lab.ready else t.gettext("NOT READY"),  # one lab
                _lab_words(lab, t),
            )
        )
    for n in status.nodes:
        rows.append(
            (
                t.format("node {name}", name=n.name),
                _node_state(n, t),
                t.format(
                    "ip {ip}, swarm {swarm}, {transport} {address}",
                    ip=n.ip or "-",
                    swarm=_swarm_words(n.swarm_state, t),
                    transport=n.transport,
                    address=n.docker_host,
                ),
            )
        )
    for cap in status.capabilities:
        rows.append(
            (
                t.format("capability {name}", name=cap.name),
                t.gettext("yes") if cap.available else t.gettext("NO"),
                t.gettext(cap.reason),
            )
        )
    if status.last_up is not None:
        built = ", ".join(built_words(item, t) for item in status.last_up.built) or t.gettext("nothing")
        rows.append(
            (
                t.gettext("last kit up"),
                f"{t.decimal(status.last_up.seconds, 1)} s",
                t.format("built: {items}", items=built),
            )
        )
    width_a = max(len(r[0]) for r in rows)
    width_b = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{width_a}}  {b:<{width_b}}  {c}" for a, b, c in rows)


def _engine_address(address: str, t: Translator) -> str:
    return t.gettext(address) if address == DEFAULT_ENGINE_ADDRESS else address
