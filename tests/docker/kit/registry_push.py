"""Pushing an image from one registry to another over the registry API (blobs, then the
manifest), as `docker push` does, without going through an engine: the tests' upstream
registry is filled this way with the kit's stand-ins."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from labcheck.kit import registry_client


def _read(url: str, accept: str = "") -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=120) as resp:
        return resp.read(), str(resp.headers.get("Content-Type", "")).split(";")[0]


def _has_blob(registry: str, repository: str, digest: str) -> bool:
    request = urllib.request.Request(f"{registry}/v2/{repository}/blobs/{digest}", method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=10):
            return True
    except urllib.error.HTTPError:
        return False


def _push_blob(registry: str, repository: str, digest: str, data: bytes) -> None:
    start = urllib.request.Request(f"{registry}/v2/{repository}/blobs/uploads/", method="POST", data=b"")
    with urllib.request.urlopen(start, timeout=30) as resp:
        location = str(resp.headers["Location"])
    if location.startswith("/"):
        location = registry + location
    joiner = "&" if "?" in location else "?"
    put = urllib.request.Request(
        f"{location}{joiner}digest={digest}",
        method="PUT",
        data=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    with urllib.request.urlopen(put, timeout=300):
        pass


def copy_image(source: str, repository: str, tag: str, target: str, as_repository: str, as_tag: str) -> None:
    """Copy source's repository:tag to target as as_repository:as_tag (one platform's manifest)."""
    media, body = registry_client.manifest(source, repository, tag)
    manifest: dict[str, Any] = body
    for blob in [manifest["config"], *manifest["layers"]]:
        digest = str(blob["digest"])
        if _has_blob(target, as_repository, digest):
            continue
        data, _ = _read(f"{registry_client.base_url(source)}/v2/{repository}/blobs/{digest}")
        _push_blob(target, as_repository, digest, data)
    put = urllib.request.Request(
        f"{target}/v2/{as_repository}/manifests/{as_tag}",
        method="PUT",
        data=json.dumps(manifest).encode(),
        headers={"Content-Type": media},
    )
    with urllib.request.urlopen(put, timeout=30):
        pass
