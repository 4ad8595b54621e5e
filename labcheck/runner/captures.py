"""Values a step leaves for later steps: the container it created, an ID it printed, a token."""

from __future__ import annotations

from collections.abc import Iterable

import docker

from labcheck import patterns
from labcheck.spec.model import Capture
from labcheck.spec.placeholders import substitute


class CaptureFailed(Exception):
    pass


def containers_now(client: docker.DockerClient) -> set[str]:
    return {c["Id"] for c in client.api.containers(all=True)}


def capture_value(
    capture: Capture,
    *,
    client: docker.DockerClient | None,
    output_text: str,
    containers_before: set[str],
    values: dict[str, str],
) -> str:
    value = _raw_value(capture, client, output_text, containers_before, values)
    return value[:12] if capture.short else value


def _raw_value(
    capture: Capture,
    client: docker.DockerClient | None,
    output_text: str,
    containers_before: set[str],
    values: dict[str, str],
) -> str:
    if capture.source == "output":
        assert capture.pattern is not None
        try:
            match = patterns.search(capture.pattern, output_text)
        except patterns.PatternTimeout as timeout:
            raise CaptureFailed(f"{timeout} over the output ({len(output_text):,} characters)") from None
        if match is None:
            raise CaptureFailed(f"/{capture.pattern}/ not found in the output")
        return match.group(capture.group)
    if client is None:  # a local node: refused before the run already
        raise CaptureFailed(f"the capture {capture.name!r} ({capture.source}) needs a Docker engine")
    if capture.source == "created_container":
        created = [c["Id"] for c in client.api.containers(all=True) if c["Id"] not in containers_before]
        if len(created) != 1:
            raise CaptureFailed(f"expected the step to create one container, it created {len(created)}")
        return str(created[0])
    if capture.source == "image_id":
        assert capture.ref is not None
        ref = substitute(capture.ref, values)
        image = client.images.get(ref)
        return str(image.id).removeprefix("sha256:")
    if capture.source == "swarm_join_token":
        tokens = client.swarm.attrs.get("JoinTokens", {})
        role = "Worker" if capture.role == "worker" else "Manager"
        return str(tokens[role])
    raise CaptureFailed(f"unknown capture source {capture.source!r}")


def needs_container_snapshot(captures: Iterable[Capture]) -> bool:
    return any(capture.source == "created_container" for capture in captures)
