"""Facts about an engine, asked through the docker SDK: the state behind a transcript."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import docker
import docker.errors

from labcheck.checks.layers import shared_base_layers, starts_with_layers
from labcheck.checks.record import FAILED, PASSED, CheckRecord
from labcheck.evidence import reasons


@dataclass
class Baseline:
    """What existed on an engine before the lab ran, so counts only see the lab's own objects."""

    container_ids: set[str] = field(default_factory=set)


def _image(client: docker.DockerClient, ref: str) -> Any | None:
    try:
        return client.images.get(ref)
    except docker.errors.ImageNotFound:
        return None
    except docker.errors.NullResource:
        return None


def _layers(image: Any) -> list[str]:
    return list(image.attrs.get("RootFS", {}).get("Layers", []) or [])


def _same_image(wanted: str, config_image: str) -> bool:
    def normal(name: str) -> str:
        name = name.removeprefix("docker.io/").removeprefix("library/")
        return name if ":" in name.rsplit("/", 1)[-1] or "@" in name else f"{name}:latest"

    return normal(wanted) == normal(config_image)


def check_image(client: docker.DockerClient, p: Mapping[str, Any], _: Baseline) -> tuple[bool, Any, Any, str]:
    ref = str(p["ref"])
    image = _image(client, ref)
    expected: dict[str, Any] = {k: v for k, v in p.items() if k != "ref"}
    if image is None:
        ok = expected.get("exists") is False and len(expected) == 1
        return ok, expected, {"exists": False}, f"la imagen {ref}"
    layers = _layers(image)
    actual: dict[str, Any] = {"exists": True, "id": image.short_id, "tags": image.tags, "layers": len(layers)}
    ok = expected.get("exists", True) is True
    if "layers" in expected:
        ok = ok and len(layers) == expected["layers"]
    if "untagged" in expected:
        ok = ok and (not image.tags) == expected["untagged"]
    if "first_layers_of" in expected:
        base = _image(client, str(expected["first_layers_of"]))
        base_layers = _layers(base) if base is not None else []
        actual["first_layers"] = layers[: len(base_layers)]
        actual["base_layers"] = base_layers
        ok = ok and starts_with_layers(layers, base_layers)
    if "shares_layers_with" in expected:
        other_ref = str(expected["shares_layers_with"]["ref"])
        count = int(expected["shares_layers_with"]["count"])
        other = _image(client, other_ref)
        other_layers = _layers(other) if other is not None else []
        shared = shared_base_layers(layers, other_layers)
        actual["shared_with_" + other_ref] = shared
        ok = ok and shared >= count
    return ok, expected, actual, f"la imagen {ref}"


def check_container(
    client: docker.DockerClient, p: Mapping[str, Any], _: Baseline
) -> tuple[bool, Any, Any, str]:
    ref = str(p["ref"])
    expected = {k: v for k, v in p.items() if k != "ref"}
    try:
        container = client.containers.get(ref)
    except docker.errors.NotFound:
        return False, expected, {"exists": False}, f"el contenedor {ref}"
    state = container.attrs.get("State", {})
    actual: dict[str, Any] = {"status": container.status, "exit_code": state.get("ExitCode")}
    ok = True
    if "status" in expected:
        ok = ok and container.status == expected["status"]
    if "exit_code" in expected:
        ok = ok and state.get("ExitCode") == expected["exit_code"]
    if "image" in expected:
        actual["image"] = container.attrs.get("Config", {}).get("Image")
        ok = ok and _same_image(str(expected["image"]), str(actual["image"]))
    if "diff_contains" in expected:
        changes = client.api.diff(container.id) or []
        paths = {change["Path"] for change in changes}
        actual["diff_contains"] = expected["diff_contains"] in paths
        actual["changes"] = len(paths)
        ok = ok and expected["diff_contains"] in paths
        actual = {k: v for k, v in actual.items() if k in expected or k == "changes"}
    return ok, expected, actual, f"el contenedor {ref}"


def check_containers(
    client: docker.DockerClient, p: Mapping[str, Any], baseline: Baseline
) -> tuple[bool, Any, Any, str]:
    image = str(p["image"])
    expected = {k: v for k, v in p.items() if k != "image"}
    mine = [
        c
        for c in client.api.containers(all=True)
        if c["Id"] not in baseline.container_ids and _same_image(image, str(c.get("Image", "")))
    ]
    running = sum(1 for c in mine if c.get("State") == "running")
    actual = {"count": len(mine), "running": running}
    ok = (
        ("count" not in expected or len(mine) == expected["count"])
        and ("min" not in expected or len(mine) >= expected["min"])
        and ("running" not in expected or running == expected["running"])
    )
    return ok, expected, actual, f"los contenedores de {image} creados por el laboratorio"


def check_swarm(client: docker.DockerClient, p: Mapping[str, Any], _: Baseline) -> tuple[bool, Any, Any, str]:
    expected = dict(p)
    swarm_info = client.info().get("Swarm", {})
    active = swarm_info.get("LocalNodeState") == "active"
    actual: dict[str, Any] = {"active": active}
    if active and swarm_info.get("ControlAvailable"):
        nodes = client.nodes.list()
        actual["nodes"] = len(nodes)
        actual["managers"] = sum(1 for n in nodes if n.attrs["Spec"].get("Role") == "manager")
        actual["workers"] = sum(1 for n in nodes if n.attrs["Spec"].get("Role") == "worker")
        actual["ready"] = sum(1 for n in nodes if n.attrs.get("Status", {}).get("State") == "ready")
        leaders = [
            n.attrs["Description"]["Hostname"]
            for n in nodes
            if n.attrs.get("ManagerStatus", {}).get("Leader")
        ]
        actual["leader"] = leaders[0] if leaders else None
    ok = all(actual.get(key) == value for key, value in expected.items())
    return ok, expected, {k: v for k, v in actual.items() if k in expected or k == "active"}, "el Swarm"


def _stack_services(client: docker.DockerClient, stack: str) -> list[Any]:
    return list(client.services.list(filters={"label": f"com.docker.stack.namespace={stack}"}))


def check_stack(client: docker.DockerClient, p: Mapping[str, Any], _: Baseline) -> tuple[bool, Any, Any, str]:
    services = _stack_services(client, str(p["name"]))
    actual = {"services": len(services), "names": sorted(s.name for s in services)}
    return len(services) == p["services"], {"services": p["services"]}, actual, f"la pila {p['name']}"


def check_service(
    client: docker.DockerClient, p: Mapping[str, Any], _: Baseline
) -> tuple[bool, Any, Any, str]:
    name = str(p["name"])
    expected = {k: v for k, v in p.items() if k != "name"}
    matches = [s for s in client.services.list(filters={"name": name}) if s.name == name]
    if not matches:
        return False, expected, {"exists": False}, f"el servicio {name}"
    service = matches[0]
    replicas = service.attrs["Spec"].get("Mode", {}).get("Replicated", {}).get("Replicas")
    tasks = service.tasks(filters={"desired-state": "running"})
    running = [t for t in tasks if t.get("Status", {}).get("State") == "running"]
    actual = {"replicas": replicas, "running": len(running), "nodes": len({t.get("NodeID") for t in running})}
    ok = all(actual.get(key) == value for key, value in expected.items())
    return ok, expected, {k: v for k, v in actual.items() if k in expected}, f"el servicio {name}"


StateProbe = Callable[[docker.DockerClient, Mapping[str, Any], Baseline], tuple[bool, Any, Any, str]]

PROBES: dict[str, StateProbe] = {
    "image": check_image,
    "container": check_container,
    "containers": check_containers,
    "swarm": check_swarm,
    "stack": check_stack,
    "service": check_service,
}


def judge_state(
    kind: str, client: docker.DockerClient, params: Mapping[str, Any], baseline: Baseline, *, node: str
) -> CheckRecord:
    try:
        ok, expected, actual, _subject = PROBES[kind](client, params, baseline)
    except docker.errors.APIError as error:
        return CheckRecord(
            code=f"state.{kind}",
            expected=dict(params),
            observed=None,
            verdict=FAILED,
            reason=reasons.engine_error(node, str(error.explanation or error), timeout=False),
            rule={kind: dict(params)},
        )
    return CheckRecord(
        code=f"state.{kind}",
        expected=expected,
        observed=actual,
        verdict=PASSED if ok else FAILED,
        rule={kind: dict(params)},
    )
