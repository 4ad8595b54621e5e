"""The kit's public API: bring it up or down, inspect it, and hand out fresh nodes."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

import docker
import docker.errors

from labcheck.bundled import bundled_labs
from labcheck.errors import KitError, LabcheckError
from labcheck.i18n import cli
from labcheck.kit import (
    daemon_config,
    engine_lock,
    gitmirror,
    package_cache,
    package_server,
    packs,
    paths,
    registry,
    registry_client,
    source,
    standins,
    state,
)
from labcheck.kit import nodes as node_ops
from labcheck.kit import transport as transports
from labcheck.kit.capabilities import Capability, host_capabilities
from labcheck.kit.engine import host_client
from labcheck.kit.nodes import KitNode
from labcheck.kit.source import ImageSource
from labcheck.kit.status import KitStatus, gather
from labcheck.kit.transport import Access, Mode
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab

__all__ = [
    "Capability",
    "KitNode",
    "KitStatus",
    "capabilities",
    "existing_nodes",
    "fresh_nodes",
    "give_back_nodes",
    "is_standin_setup",
    "kit_down",
    "kit_node_names",
    "kit_status",
    "kit_up",
    "remove_nodes",
    "require_up",
]

Progress = Callable[[str], None]

_ONLINE_PROBES = ("https://registry-1.docker.io/v2/", "https://github.com/")


def _stderr_progress(message: str) -> None:
    print(f"kit: {message}", file=sys.stderr, flush=True)


def _check_online() -> None:
    for url in _ONLINE_PROBES:
        try:
            urllib.request.urlopen(url, timeout=8).close()
        except urllib.error.HTTPError:
            continue  # an HTTP answer (Docker Hub says 401) proves the host is reachable
        except (urllib.error.URLError, OSError) as exc:
            raise KitError(
                cli().format(
                    "{url} is not reachable from this machine ({error}), so `kit up --online` "
                    "cannot feed the nodes from Docker Hub and GitHub; run `labcheck kit up` "
                    "(offline, with stand-ins) instead",
                    url=url,
                    error=exc,
                )
            ) from exc


def _node_ok(
    client: docker.DockerClient, name: str, image_id: str | None, feed: ImageSource, access: Access
) -> bool:
    container = node_ops.running_nodes(client).get(name)
    if container is None or container.status != "running" or container.image is None:
        return False
    if container.image.id != image_id or not node_ops.has_environment(
        container, feed.online, feed.node_mirror
    ):
        return False
    if node_ops.node_access(container) != access:
        return False
    try:
        node_ops.endpoint(container, name).client(timeout=5).close()
    except Exception:
        return False
    return True


def _bring_up_nodes(
    client: docker.DockerClient,
    names: Sequence[str],
    feed: ImageSource,
    progress: Progress,
    rebuilt: bool,
    access: Access,
) -> list[str]:
    image_id = node_ops.node_image_id(client)
    recreated = []
    for name in names:
        if not rebuilt and _node_ok(client, name, image_id, feed, access):
            continue
        progress(cli().format("starting node {name} ({access})", name=name, access=access.label()))
        node_ops.create_node(client, name, feed.online, feed.node_mirror, access)
        recreated.append(name)
    for name in recreated:
        node_ops.wait_engine(client, name)
    return recreated


def _host_os(client: docker.DockerClient) -> str:
    return str(client.info().get("OperatingSystem", ""))


def node_access(client: docker.DockerClient, mode: Mode) -> Access:
    """What this kit's nodes are made with, for `mode` on this host engine.

    A user of root's system kit gives nodes back reachable by their socket only: the kit's TLS
    keys are root's (0700), so no other user can hand a node its server certificate."""
    access = transports.access_for(mode, _host_os(client))
    if access.tls and paths.using_others_kit():
        if not access.socket:
            raise KitError(
                cli().gettext(
                    "root's system kit reaches its nodes over TLS here, whose keys only root may read: "
                    "run this as root, or bring up a kit of your own"
                )
            )
        return dataclasses.replace(access, tls=False)
    return access


def kit_up(
    *,
    labs: Sequence[Lab] | None = None,
    online: bool = False,
    registry_url: str | None = None,
    nodes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    transport: Mode = transports.AUTO,
) -> KitStatus:
    """Bring the kit up for these labs (default: every bundled lab), reusing whatever is built.

    Idempotent and incremental: the labs it was brought up for before stay served (their stand-ins
    are reused, not rebuilt), and a new lab adds only what it needs. The nodes pull from the
    kit's registry (stand-ins), from Docker Hub (`online`) or from `registry_url`.
    """
    say = progress or _stderr_progress
    feed = source.chosen(online, registry_url)
    wanted_labs = list(labs) if labs is not None else bundled_lab_specs()
    if paths.using_others_kit():
        return _use_system_kit(wanted_labs, feed, say)
    paths.writable_home()
    started = time.monotonic()
    client = host_client()
    access = node_access(client, transport)  # a transport that cannot work here is refused first
    # A lab run on the nodes holds their lock: `kit up` waits for it instead of recreating them under it.
    with engine_lock.kit_nodes_locked("kit up", say), state.locked():
        previous = state.load()
        if previous is not None and previous.source != feed:
            raise KitError(
                cli().format(
                    "the kit is up with its nodes fed from {previous}; run "
                    "`labcheck kit down` before feeding them from {wanted}",
                    previous=previous.source.describe(),
                    wanted=feed.describe(),
                )
            )
        all_labs = _still_served(previous, wanted_labs, say) + wanted_labs
        needs = packs.needs_of(all_labs)
        names = _validate_names(nodes if nodes is not None else packs.needs_of(wanted_labs).nodes)
        if feed.mode == source.OFFLINE:
            _refuse_unprovided(all_labs, {s.replaces for s in needs.standins})
        built: list[str] = []
        reused: list[str] = []
        if feed.online:
            _check_online()
        node_ops.ensure_network(client)
        if feed.mode == source.REGISTRY:
            _check_registry(feed.url)  # after the network: a registry may listen on its gateway
        host_mirror = False
        if feed.mode == source.OFFLINE:
            for listener in registry.listeners():
                if registry.start(listener):
                    say(cli().format("registry started on {address}", address=listener.address))
            host_mirror = _set_host_mirror(client, say)
            made, kept = standins.ensure(needs.standins, say)
            built += made
            reused += kept
        if not feed.online:
            written, same = gitmirror.ensure(needs.repositories)
            built += [f"git mirror {url}" for url in written]
            reused += [f"git mirror {url}" for url in same]
            made, kept = package_cache.ensure(package_cache.wanted_packages(all_labs), say)
            built += made
            reused += kept
            if package_server.start():
                say(
                    cli().format(
                        "package repository served on {address}", address=package_cache.PACKAGE_ADDRESS
                    )
                )
        rebuilt = node_ops.ensure_node_image(client, feed.online, say, needs.tools, feed.url or None)
        (built if rebuilt else reused).append("node image")
        all_nodes = tuple(dict.fromkeys([*(previous.nodes if previous else ()), *names]))
        records = tuple(_record(lab) for lab in all_labs)
        kept_state = state.KitState(
            mode=feed.mode,
            nodes=all_nodes,
            labs=records,
            registry=feed.url,
            host_mirror=host_mirror,
            transport=transport,
        )
        state.save(kept_state)
        # Every node the kit keeps runs today's node image, not only the ones named now.
        recreated = _bring_up_nodes(client, all_nodes, feed, say, rebuilt, access)
        reused += [f"node {n}" for n in all_nodes if n not in recreated]
        built += [f"node {n}" for n in recreated]
        last = state.LastUp(tuple(built), tuple(reused), round(time.monotonic() - started, 2))
        state.save(dataclasses.replace(kept_state, last_up=last))
        paths.share_kit()
        return gather(client)


def _set_host_mirror(client: docker.DockerClient, say: Progress) -> bool:
    """As root: the kit's registry becomes the host engine's Docker Hub mirror. Anyone else:
    skipped (daemon.json and dockerd's reload are root's), saying what that means."""
    if paths.is_root():
        daemon_config.set_mirror(client)
        return True
    if daemon_config.mirror_in_use(client):
        return True
    say(
        cli().gettext(
            "not root, so the host engine's registry mirror is left as it is: `docker pull` on this "
            "machine itself still goes to Docker Hub. The kit's nodes pull from the kit's registry "
            "directly, so the labs, which run on the nodes, are not affected"
        )
    )
    return False


def _check_registry(url: str) -> None:
    if not registry_client.answers(url, timeout=5.0):
        raise KitError(
            cli().format(
                "the registry {url} does not answer from this machine: check the address, which "
                "the kit's nodes must reach too",
                url=url,
            )
        )


def _use_system_kit(wanted: Sequence[Lab], feed: ImageSource, say: Progress) -> KitStatus:
    """A user (not root) while root's kit is up: use it as it is, or say what root must do."""
    record = state.load()
    if record is None:
        raise KitError(cli().gettext("root's system kit went down meanwhile: run `labcheck kit up` again"))
    home = paths.SYSTEM_KIT_HOME
    if record.source != feed:
        raise KitError(
            cli().format(
                "root's system kit ({home}) is up with its nodes fed from {source}, "
                "and only root may change it: ask root for `sudo labcheck kit down`, then run "
                "`labcheck kit up` again to bring up your own",
                home=home,
                source=record.source.describe(),
            )
        )
    served = {lab.id for lab in record.labs} | {lab.spec for lab in record.labs}
    missing = [lab for lab in wanted if lab.id not in served and str(lab.path) not in served]
    if missing:
        labs = " ".join(str(lab.path.parent) for lab in missing)
        raise KitError(
            cli().format(
                "root's system kit ({home}) does not serve {ids}, and "
                "only root may add labs to it: ask root for `sudo labcheck kit up {labs}`",
                home=home,
                ids=", ".join(lab.id for lab in missing),
                labs=labs,
            )
        )
    say(
        cli().format(
            "using root's system kit at {home}, which serves every user in the docker group", home=home
        )
    )
    return gather(host_client())


def bundled_lab_specs() -> list[Lab]:
    return [load_lab(bundled.path) for bundled in bundled_labs()]


def _still_served(previous: state.KitState | None, wanted: Sequence[Lab], say: Progress) -> list[Lab]:
    """The labs an earlier `kit up` served and these do not replace, whose specs still load."""
    if previous is None:
        return []
    taken = {lab.id for lab in wanted} | {str(lab.path) for lab in wanted}
    kept: list[Lab] = []
    for record in previous.labs:
        if record.id in taken or record.spec in taken:
            continue
        try:
            kept.append(load_lab(record.spec))
        except LabcheckError:
            say(
                cli().format(
                    "no longer serving lab {id}: its spec {spec} is gone or invalid",
                    id=record.id,
                    spec=record.spec,
                )
            )
    return kept


def _refuse_unprovided(labs: Sequence[Lab], served: set[str]) -> None:
    problems = [
        packs.cannot_provide(lab, pull) for lab in labs for pull in packs.undeclared_pulls(lab, served)
    ]
    if problems:
        raise KitError("\n".join(problems))


def _record(lab: Lab) -> state.LabRecord:
    return state.LabRecord(
        lab.id,
        str(lab.path),
        tuple(image.ref for image in lab.images),
        tuple(repo.url for repo in lab.repositories),
        lab.tools,
    )


def _validate_names(names: Sequence[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        names = [n for n in names.split(",") if n]
    result = tuple(names)
    for name in result:
        if not name or not all(c.isalnum() or c in "-_" for c in name) or len(name) > 40:
            raise KitError(cli().format("bad node name {name!r}: use letters, digits, '-' or '_'", name=name))
    if not result:
        raise KitError(cli().gettext("at least one node name is needed"))
    return result


def kit_down(*, purge: bool = False) -> None:
    """Remove exactly what the kit made; with purge, its data dir too."""
    if paths.using_others_kit():
        raise KitError(
            cli().format(
                "the kit in use is root's system kit ({home}), which serves every user "
                "in the docker group: only root takes it down (`sudo labcheck kit down`)",
                home=paths.SYSTEM_KIT_HOME,
            )
        )
    client = host_client()
    with engine_lock.kit_nodes_locked("kit down", _stderr_progress), state.locked():
        kit_filter = {"label": f"{paths.KIT_LABEL}=true"}
        for container in client.containers.list(all=True, filters=kit_filter):
            container.remove(force=True, v=True)
        for volume in client.volumes.list(filters=kit_filter):
            volume.remove(force=True)
        for network in client.networks.list(filters=kit_filter):
            network.remove()
        for image in client.images.list(filters=kit_filter):
            try:
                client.images.remove(image.id, force=True)
            except docker.errors.NotFound:
                pass
        try:  # fetched, not built, so it carries no kit label
            client.images.remove(node_ops.REGISTRY_BASE_IMAGE, force=True)
        except docker.errors.ImageNotFound:
            pass
        for listener in registry.listeners():
            registry.stop(listener)
        package_server.stop()
        daemon_config.restore(client)
        shutil.rmtree(paths.kit_home() / "nodes", ignore_errors=True)
        state.clear()
        if purge:
            shutil.rmtree(paths.kit_home(), ignore_errors=True)


def kit_status() -> KitStatus:
    return gather(host_client())


def _require_up(client: docker.DockerClient) -> state.KitState:
    record = state.load()
    if record is None or node_ops.node_image_id(client) is None:
        raise KitError(
            cli().format(
                "the offline classroom kit is not up (none in {home}): run `labcheck kit up` first",
                home=paths.kit_home(),
            )
        )
    try:
        client.networks.get(paths.NETWORK_NAME)
    except docker.errors.NotFound as exc:
        raise KitError(cli().gettext("the kit's network is gone: run `labcheck kit up` again")) from exc
    return record


def require_up() -> None:
    """Raise a KitError saying what to do unless the host engine answers and the kit is up."""
    _require_up(host_client())


def fresh_nodes(names: Sequence[str], transport: Mode | None = None) -> dict[str, KitNode]:
    """Recreate these nodes with empty engines (no images, no swarm) and wait until they answer;
    made for the kit's transport (`kit up --transport`), or for `transport` when given."""
    wanted = _validate_names(names)
    client = host_client()
    with state.locked():
        record = _require_up(client)
        mode = transport or transports.parse_mode(record.transport)
        access = node_access(client, mode)
        for name in wanted:
            node_ops.create_node(client, name, record.source.online, record.source.node_mirror, access)
        for name in wanted:
            node_ops.wait_engine(client, name, mode=mode)
        return {name: node_ops.describe(client, name, mode) for name in wanted}


def kit_node_names() -> tuple[str, ...]:
    """The nodes `kit up` made (by default those the labs name); empty when the kit is not up."""
    record = state.load()
    return record.nodes if record is not None else ()


def give_back_nodes(names: Sequence[str]) -> None:
    """After a run: the kit's own nodes recreated empty (as the kit makes them, whatever transport
    the run asked for), extra ones a lab needed removed."""
    own = set(kit_node_names())
    keep = [name for name in names if name in own]
    extra = [name for name in names if name not in own]
    if keep:
        fresh_nodes(keep)
    if extra:
        remove_nodes(extra)


def remove_nodes(names: Sequence[str]) -> None:
    """Remove these nodes (container, engine volume, socket), e.g. extra ones a test made."""
    wanted = _validate_names(names)
    client = host_client()
    with state.locked():
        for name in wanted:
            node_ops.remove_node(client, name)


def existing_nodes(names: Sequence[str], transport: Mode = transports.AUTO) -> dict[str, KitNode]:
    """The running nodes, as they are, reached over `transport` (auto: the best each offers);
    raises KitError if one is missing or was not made for that transport."""
    wanted = _validate_names(names)
    client = host_client()
    _require_up(client)
    return {name: node_ops.describe(client, name, transport) for name in wanted}


def capabilities() -> dict[str, Capability]:
    return host_capabilities(is_standin_setup())


def is_standin_setup() -> bool:
    """True when the kit's nodes (or the host engine) pull from the kit's registry: stand-ins."""
    record = state.load()
    return (record is not None and record.mode == source.OFFLINE) or daemon_config.mirror_in_use(
        host_client()
    )
