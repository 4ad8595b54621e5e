"""Where a run's steps run, and giving those engines back as they were.

Kit nodes are a sandbox: fresh (empty) when the run begins, given back empty when it ends.
Engines the user names are not: there, only what the lab added is removed, object by object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docker
import docker.errors
import requests

from labcheck import i18n
from labcheck.errors import EngineUnreachable, LabcheckError
from labcheck.evidence import reasons
from labcheck.evidence.model import Capability, Image, Reason
from labcheck.kit.transport import Mode
from labcheck.runner import inventory

if TYPE_CHECKING:
    from labcheck.kit.nodes import KitNode

from labcheck.runner.targets import (
    LOCAL,
    HostTarget,
    KitNodeTarget,
    LocalTarget,
    Target,
    clear_workspace,
    is_local,
    no_target_for,
)

# The SDK lets some connection failures through as requests' own exceptions.
ENGINE_ERRORS = (docker.errors.DockerException, requests.exceptions.RequestException, EngineUnreachable)


Capabilities = dict[str, Capability]


def kit_targets(
    names: tuple[str, ...], progress: Any, transport: Mode = "auto"
) -> tuple[dict[str, Target], Capabilities]:
    """The kit's nodes, empty: reused when a previous run gave them back so (and they offer the
    transport asked for), else made fresh for it."""
    from labcheck.kit import api as kit

    on_kit = kit_node_names(names, kit.kit_node_names())
    kit_names = tuple(on_kit.values())
    nodes = _pristine_nodes(kit_names, transport)
    if nodes is None:
        progress(f"preparing fresh nodes: {', '.join(kit_names)}")
        nodes = dict(kit.fresh_nodes(kit_names, None if transport == "auto" else transport))
    targets: dict[str, Target] = {
        name: KitNodeTarget(name, nodes[kit_name]) for name, kit_name in on_kit.items()
    }
    capabilities = {
        name: Capability(
            available=cap.available,
            reason=None if cap.available else _kit_reason(name, cap.reason),
            detail=cap.reason,  # the kit's own account of what it found
        )
        for name, cap in kit.capabilities().items()
    }
    return targets, capabilities


def _kit_reason(capability: str, detail: str) -> Reason:
    code = reasons.CAPABILITY_CODES.get(capability)
    return Reason(code=code) if code else Reason(code=reasons.KIT_SAYS, params={"detail": detail})


def kit_node_names(lab_nodes: Iterable[str], kit_nodes: Iterable[str]) -> dict[str, str]:
    """Which kit node each lab node runs on: its namesake, else one the lab does not use (a spec
    with no `nodes` has one node "host", and runs on node1 instead of leaving a third DinD node
    behind); only a lab with more nodes than the kit gets extra ones (removed at the end)."""
    wanted = list(lab_nodes)
    mapping = {name: name for name in wanted if name in kit_nodes}
    spare = [name for name in kit_nodes if name not in mapping]
    for name in wanted:
        if name not in mapping:
            mapping[name] = spare.pop(0) if spare else name
    return {name: mapping[name] for name in wanted}


def named_targets(
    names: tuple[str, ...], hosts: Mapping[str, str], homes: Path
) -> tuple[dict[str, Target], Capabilities]:
    """Engines the user named. Each node's home is a fresh folder of the run's own, never the
    student's workspace: the lab edits index.js and clones into it, and a second run must start clean."""
    missing = [node for node in names if node not in hosts]
    if missing:
        raise LabcheckError(no_target_for(names, missing))
    targets: dict[str, Target] = {}
    for name in names:
        folder = homes.resolve() / name
        clear_workspace(folder)
        local = hosts[name] == LOCAL
        targets[name] = LocalTarget(name, folder) if local else HostTarget(name, hosts[name], folder)
    if all(is_local(target) for target in targets.values()):
        return targets, {"routing_mesh": Capability(available=False, reason=Reason(code=reasons.LOCAL_NODES))}
    # A user's own engine: nothing proves IPVS is missing, so the routing mesh is assumed.
    return targets, {"routing_mesh": Capability(available=True, reason=Reason(code=reasons.USER_ENGINE))}


def image_facts(targets: Mapping[str, Target], baselines: Mapping[str, inventory.Inventory]) -> list[Image]:
    """Every image the lab added or ran, with its digests and layers, and whether it is a stand-in."""
    facts: list[Image] = []
    for name, target in targets.items():
        if is_local(target):
            continue  # no engine, so no image
        try:
            added = inventory.images_used(target.client(), baselines[name])
        except ENGINE_ERRORS:
            continue
        for image in added:
            labels = image.attrs.get("Config", {}).get("Labels") or {}
            facts.append(
                Image(
                    target=name,
                    id=image.id,
                    tags=list(image.tags),
                    repo_digests=list(image.attrs.get("RepoDigests") or []),
                    layers=list(image.attrs.get("RootFS", {}).get("Layers") or []),
                    # Images built on a stand-in inherit its labels; only pulled ones are stand-ins.
                    standin=labels.get("io.labcheck.standin") == "true"
                    and bool(image.attrs.get("RepoDigests")),
                    standin_of=labels.get("io.labcheck.standin.of"),
                )
            )
    return facts


def give_back(
    targets: Mapping[str, Target], baselines: Mapping[str, inventory.Inventory], notes: list[str]
) -> None:
    """Remove what the lab made on every target, and nothing older."""
    if not _reset_kit_nodes(targets, notes):
        _remove_what_the_lab_added(targets, baselines, notes)


def kit_nodes_of(targets: Mapping[str, Target]) -> list[str] | None:
    """The kit nodes behind these targets, when every one is a kit node (they are then given
    back by recreating them empty); None when any engine is the user's own."""
    if not targets or not all(isinstance(t, KitNodeTarget) for t in targets.values()):
        return None
    return [t.kit_node for t in targets.values() if isinstance(t, KitNodeTarget)]


def _reset_kit_nodes(targets: Mapping[str, Target], notes: list[str]) -> bool:
    """Kit nodes were empty when the run began, so everything on them is the lab's: giving
    them back empty removes exactly that, in about a second instead of one object at a time."""
    names = kit_nodes_of(targets)
    if names is None:
        return False
    from labcheck.kit import api as kit

    try:
        kit.give_back_nodes(names)
    except (LabcheckError, *ENGINE_ERRORS) as error:
        notes.append(
            i18n.cli().format(
                "could not empty the nodes ({error}); removing what the lab made one object at a time",
                error=error,
            )
        )
        return False
    for target in targets.values():
        target.forget_client()
    return True


def _remove_what_the_lab_added(
    targets: Mapping[str, Target], baselines: Mapping[str, inventory.Inventory], notes: list[str]
) -> None:
    """Workers before managers; never anything that existed before the run."""
    engines = {name: target for name, target in targets.items() if not is_local(target)}
    ordered = sorted(engines.items(), key=lambda item: _is_manager(item[1]))
    for name, target in ordered:
        try:
            inventory.remove_services_added(target.client(), baselines[name], notes)
        except ENGINE_ERRORS as error:
            notes.append(f"{name}: {error}")
    for name, target in ordered:
        try:
            client = target.client()
            inventory.leave_swarm_if_new(client, baselines[name], notes)
            inventory.remove_added(client, baselines[name], notes)
        except ENGINE_ERRORS as error:
            notes.append(f"{name}: {error}")


def _pristine_nodes(names: Iterable[str], transport: Mode) -> dict[str, KitNode] | None:
    """The kit's nodes as they are, if every one is as empty as a fresh node and offers the
    transport; None otherwise, so they must be made fresh."""
    from labcheck.kit import api as kit

    try:
        nodes = kit.existing_nodes(list(names), transport)
        for node in nodes.values():
            client = node.client(timeout=10)
            try:
                empty = (
                    not client.api.containers(all=True)
                    and not client.api.images(all=True)
                    and not (client.api.volumes() or {}).get("Volumes")
                    and client.info().get("Swarm", {}).get("LocalNodeState") == "inactive"
                    and {n["Name"] for n in client.api.networks()} <= {"bridge", "host", "none"}
                )
            finally:
                client.close()
            if not empty:
                return None
    except (LabcheckError, *ENGINE_ERRORS):
        return None
    return dict(nodes)


def _is_manager(target: Target) -> bool:
    try:
        return bool(target.client().info().get("Swarm", {}).get("ControlAvailable"))
    except ENGINE_ERRORS:
        return False
