"""Small questions several kinds ask an engine. docker is imported only when a probe runs:
`labcheck verify` phrases state checks without ever loading the SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import docker


def image_or_none(client: docker.DockerClient, ref: str) -> Any | None:
    import docker.errors

    try:
        return client.images.get(ref)
    except (docker.errors.ImageNotFound, docker.errors.NullResource):
        return None


def layers_of(image: Any) -> list[str]:
    return list(image.attrs.get("RootFS", {}).get("Layers", []) or [])


def same_image(wanted: str, config_image: str) -> bool:
    """`alpine` is `alpine:latest` is `docker.io/library/alpine:latest`."""

    def normal(name: str) -> str:
        name = name.removeprefix("docker.io/").removeprefix("library/")
        return name if ":" in name.rsplit("/", 1)[-1] or "@" in name else f"{name}:latest"

    return normal(wanted) == normal(config_image)
