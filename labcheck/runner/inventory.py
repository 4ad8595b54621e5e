"""What an engine held before the lab, and removing exactly what the lab added.

Cleanup never depends on the happy path: it runs at the end and on interruption,
and an `-it` container left behind by a killed terminal is removed like any other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import docker
import docker.errors

from labcheck import i18n


@dataclass
class Inventory:
    containers: set[str] = field(default_factory=set)
    images: set[str] = field(default_factory=set)
    networks: set[str] = field(default_factory=set)
    volumes: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    swarm_state: str = "inactive"


def take_inventory(client: docker.DockerClient) -> Inventory:
    swarm_state = str(client.info().get("Swarm", {}).get("LocalNodeState", "inactive"))
    services: set[str] = set()
    if swarm_state == "active":
        try:
            services = {s.id for s in client.services.list()}
        except docker.errors.APIError:
            services = set()  # a worker cannot list services
    return Inventory(
        containers={c["Id"] for c in client.api.containers(all=True)},
        images={i.id for i in client.images.list(all=True)},
        networks={n.id for n in client.networks.list()},
        volumes={v.id for v in client.volumes.list()},
        services=services,
        swarm_state=swarm_state,
    )


def images_used(client: docker.DockerClient, before: Inventory) -> list[Any]:
    """The images the lab added, and those it ran containers from that were there already
    (on an engine the user named, `alpine` may have been pulled long before the lab)."""
    ran_from = {c["ImageID"] for c in client.api.containers(all=True) if c["Id"] not in before.containers}
    return [image for image in client.images.list() if image.id not in before.images or image.id in ran_from]


def leave_swarm_if_new(client: docker.DockerClient, before: Inventory, notes: list[str]) -> None:
    if before.swarm_state == "active":
        return
    if client.info().get("Swarm", {}).get("LocalNodeState") == "inactive":
        return
    try:
        client.swarm.leave(force=True)
        notes.append(i18n.cli().gettext("left the Swarm the lab created"))
    except docker.errors.APIError as error:
        notes.append(i18n.cli().format("could not leave the Swarm: {error}", error=error))


def remove_services_added(client: docker.DockerClient, before: Inventory, notes: list[str]) -> None:
    info = client.info().get("Swarm", {})
    if info.get("LocalNodeState") != "active" or not info.get("ControlAvailable"):
        return
    for service in client.services.list():
        if service.id not in before.services:
            try:
                service.remove()
            except docker.errors.APIError as error:
                notes.append(
                    i18n.cli().format(
                        "could not remove the service {name}: {error}", name=service.name, error=error
                    )
                )


def remove_added(client: docker.DockerClient, before: Inventory, notes: list[str]) -> None:
    """Containers, then images, networks and volumes the lab added; never anything older."""
    _remove_added_containers(client, before, notes)
    # Newest first, so children go before the images they were built on.
    added = sorted(
        (image for image in client.images.list(all=True) if image.id not in before.images),
        key=lambda image: str(image.attrs.get("Created", "")),
        reverse=True,
    )
    for image in added:
        try:
            client.images.remove(image.id, force=True, noprune=False)
        except docker.errors.ImageNotFound:
            continue
        except docker.errors.APIError as error:
            notes.append(
                i18n.cli().format(
                    "could not remove the image {name}: {error}", name=image.short_id, error=error
                )
            )
    for network in client.networks.list():
        # Overlay networks of a swarm go away with it; only local networks are ours to remove.
        if network.attrs.get("Scope") == "swarm":
            continue
        if network.id not in before.networks and network.name not in ("bridge", "host", "none"):
            try:
                network.remove()
            except docker.errors.APIError as error:
                notes.append(
                    i18n.cli().format(
                        "could not remove the network {name}: {error}", name=network.name, error=error
                    )
                )
    for volume in client.volumes.list():
        if volume.id not in before.volumes:
            try:
                volume.remove(force=True)
            except docker.errors.APIError as error:
                notes.append(
                    i18n.cli().format(
                        "could not remove the volume {name}: {error}", name=volume.name, error=error
                    )
                )


def _remove_added_containers(client: docker.DockerClient, before: Inventory, notes: list[str]) -> None:
    """Remove the lab's containers and wait until they are gone: after leaving a swarm the
    engine is already removing its tasks, and the run must not end while they linger."""
    deadline = time.monotonic() + 30
    while True:
        # The low-level list does not inspect each container, so ones vanishing meanwhile are harmless.
        left = [c["Id"] for c in client.api.containers(all=True) if c["Id"] not in before.containers]
        if not left:
            return
        for container_id in left:
            try:
                client.api.remove_container(container_id, force=True, v=True)
            except docker.errors.NotFound:
                continue
            except docker.errors.APIError as error:
                if error.status_code == 409:  # removal already in progress
                    continue
                if time.monotonic() > deadline:
                    notes.append(
                        i18n.cli().format(
                            "could not remove the container {name}: {error}",
                            name=container_id[:12],
                            error=error,
                        )
                    )
        if time.monotonic() > deadline:
            t = i18n.cli()
            notes.append(
                t.ngettext(
                    "{count} container was still being removed after 30 s",
                    "{count} containers were still being removed after 30 s",
                    len(left),
                ).format(count=len(left))
            )
            return
        time.sleep(0.2)
