"""The state a step changed, as `labcheck record` proposes it: from each node's state just before
and just after the step in every reference run, the checks of labcheck's own kinds that every run
agrees on (a container by a name or a capture the step gives it, the containers of an image, the
Swarm, services and stacks, volumes; networks through a `network` kind once one is registered).

A check is proposed only when it is the same in every run, so what differs from run to run (a
container's random name, an anonymous volume's ID, where a task was scheduled) never is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from string import hexdigits

from labcheck import i18n
from labcheck.checks.kinds.engine import same_image
from labcheck.checks.registry import state_kinds
from labcheck.json_values import as_list, as_mapping
from labcheck.spec.model import Step

State = Mapping[str, object]
_ENGINE_NETWORKS = frozenset({"ingress", "docker_gwbridge", "bridge", "host", "none"})
_SWARM_FACTS = ("active", "nodes", "managers", "workers")
_SERVICE_PATIENCE = {"timeout": "60s", "interval": "1s"}  # a service's tasks take time to start


@dataclass(frozen=True)
class StateProposal:
    entry: dict[str, object]  # the state entry as the spec writes it: {"container": {...}, "on": ...}
    why: str  # what the runs showed, for the comment beside it

    @property
    def kind(self) -> str:
        return next(key for key in self.entry if key not in ("on", "eventually"))


def _ref_for(container: Mapping[str, object], step: Step, captures: Mapping[str, str]) -> str | None:
    """How a check can name this container in every run: a value captured from it, or a name the
    step's command gives it (never the engine's random one)."""
    for name, value in captures.items():
        if len(value) >= 12 and all(c in hexdigits for c in value) and str(container["id"]).startswith(value):
            return "${{ " + name + " }}"
    name = str(container["name"])
    return name if name and name in step.run else None


def _records(state: State, key: str) -> list[Mapping[str, object]]:
    """The state's list under key (containers, services, ...), each an object of facts."""
    return [as_mapping(item) for item in as_list(state.get(key))]


def _by_id(items: Iterable[Mapping[str, object]], key: str) -> dict[str, Mapping[str, object]]:
    return {str(item[key]): item for item in items}


def _container_checks(
    step: Step, before: State, after: State, captures: Mapping[str, str]
) -> tuple[list[StateProposal], set[str]]:
    """Checks of the containers the step created or changed; the images of those it cannot name."""
    proposals, unnamed_images = [], set()
    old = _by_id(_records(before, "containers"), "id")
    new = _by_id(_records(after, "containers"), "id")
    for cid, container in new.items():
        was = old.get(cid)
        facts = (container["status"], container["exit_code"])
        if was is not None and (was["status"], was["exit_code"]) == facts:
            continue
        ref = _ref_for(container, step, captures)
        if ref is None:
            unnamed_images.add(str(container["image"]))
            continue
        params: dict[str, object] = {"ref": ref, "status": container["status"]}
        if container["status"] == "exited" and container["exit_code"] is not None:
            params["exit_code"] = container["exit_code"]
        why = "created" if was is None else f"was {was['status']}"
        proposals.append(StateProposal({"container": params}, why))
    for cid, container in old.items():
        if cid not in new:
            unnamed_images.add(str(container["image"]))  # removed: only a count can say it
    return proposals, unnamed_images


def _count_checks(before: State, after: State, images: set[str]) -> list[StateProposal]:
    proposals = []
    for image in sorted(images):
        if not image or "@" in image or image.startswith("sha256:"):
            continue  # an image ID or digest: no name a spec would write
        counted = []
        for state in (before, after):
            mine = [c for c in _records(state, "containers") if same_image(image, str(c["image"]))]
            counted.append((len(mine), sum(1 for c in mine if c["status"] == "running")))
        if counted[0] != counted[1]:
            count, running = counted[1]
            why = f"{counted[0][0]} before the step"
            proposals.append(
                StateProposal({"containers": {"image": image, "count": count, "running": running}}, why)
            )
    return proposals


def _swarm_checks(before: State, after: State) -> list[StateProposal]:
    was, now = as_mapping(before.get("swarm")), as_mapping(after.get("swarm"))
    params = {key: now[key] for key in _SWARM_FACTS if key in now}
    if not params or params == {key: was[key] for key in _SWARM_FACTS if key in was}:
        return []  # readiness and leadership move on their own: only what a step changes counts
    said = ", ".join(f"{key} {was.get(key, '-')}" for key in params if was.get(key) != now.get(key))
    return [StateProposal({"swarm": params}, f"before the step: {said}")]


def _service_checks(before: State, after: State) -> list[StateProposal]:
    proposals = []
    old = _by_id(_records(before, "services"), "name")
    stacks: Counter[str] = Counter()
    for service in _records(after, "services"):
        if service.get("stack"):
            stacks[str(service["stack"])] += 1
        was = old.get(str(service["name"]))
        replicas = service.get("replicas")
        if was is not None and was.get("replicas") == replicas:
            continue
        params: dict[str, object] = {"name": service["name"]}
        if replicas is None:  # a global service: how many run is all there is to say
            continue
        params["replicas"] = replicas
        params["running"] = replicas
        why = "created" if was is None else f"{was.get('replicas')} replicas before the step"
        proposals.append(StateProposal({"service": params, "eventually": dict(_SERVICE_PATIENCE)}, why))
    old_stacks = Counter(str(s["stack"]) for s in _records(before, "services") if s.get("stack"))
    for stack, services in sorted(stacks.items()):
        if old_stacks.get(stack) != services:
            proposals.insert(0, StateProposal({"stack": {"name": stack, "services": services}}, "deployed"))
    return proposals


def _volume_checks(before: State, after: State) -> list[StateProposal]:
    old = _by_id(_records(before, "volumes"), "name")
    new = _by_id(_records(after, "volumes"), "name")
    proposals = [
        StateProposal({"volume": {"name": name, "exists": True, "driver": volume["driver"]}}, "created")
        for name, volume in new.items()
        if name not in old and volume.get("driver")
    ]
    proposals += [
        StateProposal({"volume": {"name": name, "exists": False}}, "removed")
        for name in old
        if name not in new
    ]
    return proposals


def _network_checks(before: State, after: State, notes: list[str]) -> list[StateProposal]:
    """Through a `network` kind if one is registered, with only the parameters its schema has."""
    old = _by_id(_records(before, "networks"), "name")
    new = _by_id(_records(after, "networks"), "name")
    changed = [(name, net, True) for name, net in new.items() if name not in old]
    changed += [(name, net, False) for name, net in old.items() if name not in new]
    changed = [item for item in changed if item[0] not in _ENGINE_NETWORKS]
    kind = state_kinds().get("network")
    allowed = set(as_mapping(kind.schema.get("properties"))) if kind is not None else set()
    proposals = []
    for name, network, exists in changed:
        if "name" not in allowed or "exists" not in allowed:
            t = i18n.cli()
            notes.append(
                t.format("network {name} created: no network check kind to say it", name=name)
                if exists
                else t.format("network {name} removed: no network check kind to say it", name=name)
            )
            continue
        params: dict[str, object] = {"name": name, "exists": exists}
        if exists and "driver" in allowed and network.get("driver"):
            params["driver"] = network["driver"]
        proposals.append(StateProposal({"network": params}, "created" if exists else "removed"))
    return proposals


def proposals_on_node(
    step: Step, node: str, before: State, after: State, captures: Mapping[str, str], notes: list[str]
) -> list[StateProposal]:
    containers, unnamed = _container_checks(step, before, after, captures)
    found = [
        *containers,
        *_count_checks(before, after, unnamed),
        *_swarm_checks(before, after),
        *_service_checks(before, after),
        *_volume_checks(before, after),
        *_network_checks(before, after, notes),
    ]
    if node != step.node:
        found = [StateProposal({"on": node, **p.entry}, p.why) for p in found]
    return found


def _subject(entry: Mapping[str, object], kind: str) -> tuple[str, str, str]:
    params = as_mapping(entry[kind])
    key = state_kinds()[kind].subject_key if kind in state_kinds() else ""
    return kind, str(entry.get("on") or ""), str(params.get(key, "")) if key else ""


def agreed(step: Step, per_run: list[list[StateProposal]]) -> list[StateProposal]:
    """The proposals every run made alike, minus what the step already checks."""
    if not per_run:
        return []
    checked = {
        (
            check.kind,
            "" if check.on in (None, step.node) else str(check.on),
            _param_subject(check.kind, check.params),
        )
        for check in step.state_checks
    }
    kept = []
    for proposal in per_run[0]:
        if not all(any(other.entry == proposal.entry for other in run) for run in per_run[1:]):
            continue
        if _subject(proposal.entry, proposal.kind) in checked:
            continue
        kept.append(proposal)
    return kept


def _param_subject(kind: str, params: Mapping[str, object]) -> str:
    key = state_kinds()[kind].subject_key if kind in state_kinds() else ""
    return str(params.get(key, "")) if key else ""
