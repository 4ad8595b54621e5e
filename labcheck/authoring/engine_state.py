"""What `labcheck record` reads of an engine before and after each step, through the docker SDK:
the containers, volumes and networks the lab made (those on the engine before the lab are left
out, as the state checks leave them out), the Swarm and its services.

Swarm and service facts are read by the `swarm` and `service` kinds' own probes, so a proposed
check is judged on exactly what was seen. A snapshot is plain JSON (it goes through a file
between the reference run's pytest process and `labcheck record`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline
from labcheck.checks.registry import state_kinds

if TYPE_CHECKING:
    import docker

    from labcheck.runner.inventory import Inventory

_EXITED = re.compile(r"^Exited \((-?[0-9]+)\)")
# Every fact the swarm and service probes can observe: asking for all of them returns all of them.
_SWARM_ASKED = {"active": True, "nodes": 0, "managers": 0, "workers": 0, "ready": 0, "leader": ""}
_SERVICE_ASKED = {"replicas": 0, "running": 0, "nodes": 1}
_TASK_LABEL = "com.docker.swarm.task.id"
_STACK_LABEL = "com.docker.stack.namespace"


def _containers(client: docker.DockerClient, before: Inventory) -> list[dict[str, object]]:
    found = []
    for listed in client.api.containers(all=True):
        labels = listed.get("Labels") or {}
        if listed["Id"] in before.containers or _TASK_LABEL in labels:
            continue  # the engine's own, or a service's task (its service is what is checked)
        exited = _EXITED.match(str(listed.get("Status") or ""))
        found.append(
            {
                "id": listed["Id"],
                "name": str((listed.get("Names") or ["/"])[0]).lstrip("/"),
                "image": str(listed.get("Image") or ""),
                "status": str(listed.get("State") or ""),
                "exit_code": int(exited.group(1)) if exited else None,
            }
        )
    return found


def _services(client: docker.DockerClient, swarm: dict[str, object]) -> list[dict[str, object]]:
    if "nodes" not in swarm:  # not a manager: services cannot be listed here
        return []
    probe = state_kinds()["service"].probe
    found = []
    for service in client.services.list():
        observed = probe(client, {"name": service.name, **_SERVICE_ASKED}, Baseline()).observed
        labels = service.attrs.get("Spec", {}).get("Labels") or {}
        found.append({"name": service.name, "stack": labels.get(_STACK_LABEL), **observed})
    return found


def read_state(client: docker.DockerClient, before: Inventory) -> dict[str, object]:
    swarm = state_kinds()["swarm"].probe(client, _SWARM_ASKED, Baseline()).observed
    return {
        "containers": _containers(client, before),
        "swarm": swarm,
        "services": _services(client, swarm),
        "volumes": [
            {"name": v.name, "driver": v.attrs.get("Driver")}
            for v in client.volumes.list()
            if v.id not in before.volumes
        ],
        "networks": [
            {"name": n.name, "driver": n.attrs.get("Driver"), "scope": n.attrs.get("Scope")}
            for n in client.networks.list()
            if n.id not in before.networks
        ],
    }
