"""Values a step leaves for later steps: the container it created, an ID it printed, a token."""

from __future__ import annotations

from collections.abc import Iterable

import docker

from labcheck import patterns
from labcheck.checks.reason_words import reason_words
from labcheck.evidence import reasons
from labcheck.evidence.model import Reason
from labcheck.spec.model import Capture
from labcheck.spec.placeholders import substitute


class CaptureFailed(Exception):
    """No value: why, as a reason of the evidence (said in the reader's language when shown)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason_words(reason, "en"))
        self.reason = reason


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
            gave_up = reasons.pattern_timeout(timeout.pattern, timeout.timeout_s, len(output_text))
            raise CaptureFailed(gave_up) from None
        if match is None:
            raise CaptureFailed(reasons.capture_not_found(capture.pattern))
        return match.group(capture.group)
    if client is None:  # a local node: refused before the run already
        raise CaptureFailed(reasons.capture_needs_engine(capture.name, capture.source))
    if capture.source == "created_container":
        created = [c["Id"] for c in client.api.containers(all=True) if c["Id"] not in containers_before]
        if len(created) != 1:
            raise CaptureFailed(reasons.capture_created(len(created)))
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
    raise CaptureFailed(reasons.capture_unknown_source(capture.source))


def needs_container_snapshot(captures: Iterable[Capture]) -> bool:
    return any(capture.source == "created_container" for capture in captures)
