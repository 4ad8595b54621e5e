"""Reading images from a registry over its HTTP API, with no engine configuration.

The host engine pulls over plain HTTP only from registries named in its daemon.json (root's to
change); the kit reads a registry itself instead: whether it answers, what it holds, and one
image fetched and handed to the engine with `docker load` (the node image's Debian base, when
the nodes are fed from a registry given with `kit up --registry`).
"""

from __future__ import annotations

import hashlib
import json
import platform
import tarfile
import tempfile
import urllib.error
import urllib.request
from email.message import Message
from http.client import HTTPResponse
from pathlib import Path

from labcheck.dockercli import run_docker
from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.json_values import as_list, as_mapping

MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
)
_LISTS = {MANIFEST_TYPES[1], MANIFEST_TYPES[3]}
_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def base_url(address: str) -> str:
    return address.rstrip("/") if "://" in address else f"http://{address}"


def answers(address: str, timeout: float = 2.0, *, schemes: tuple[str, ...] = ("http",)) -> bool:
    """A registry's API answers at address: 200, or 401 from one that wants a login (Docker Hub).

    An address with its scheme is asked as written; a bare "host:port" is tried with each scheme
    in turn (the kit's registries speak plain HTTP; a remote one may be https only)."""
    if "://" in address:
        return _api_answers(address.rstrip("/"), timeout)
    return any(_api_answers(f"{scheme}://{address}", timeout) for scheme in schemes)


def _api_answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/v2/", timeout=timeout) as resp:
            return bool(resp.status == 200)
    except urllib.error.HTTPError as exc:
        return exc.code == 401
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _manifest_headers(address: str, repository: str, reference: str, timeout: float) -> Message | None:
    """The headers of the registry's answer to a HEAD of repository:reference's manifest (nothing
    is fetched), None when it does not hold one or does not answer."""
    request = urllib.request.Request(
        f"{base_url(address)}/v2/{repository}/manifests/{reference}",
        method="HEAD",
        headers={"Accept": ", ".join(MANIFEST_TYPES)},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.headers if resp.status == 200 else None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def manifest_digest(address: str, repository: str, reference: str, timeout: float = 5.0) -> str | None:
    """The digest of repository:reference in the registry, None when it does not hold it."""
    headers = _manifest_headers(address, repository, reference, timeout)
    digest = headers.get("Docker-Content-Digest") if headers is not None else None
    return str(digest) if digest else None


def holds(address: str, repository: str, reference: str, timeout: float = 10.0) -> bool:
    """The registry has a manifest for repository:reference."""
    return _manifest_headers(address, repository, reference, timeout) is not None


def _get(url: str, accept: tuple[str, ...] = (), timeout: float = 30) -> HTTPResponse:
    request = urllib.request.Request(url, headers={"Accept": ", ".join(accept)} if accept else {})
    try:
        response: HTTPResponse = urllib.request.urlopen(request, timeout=timeout)
        return response
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise KitError(
                cli().format("{url}: the registry asks for a login, which the kit does not do", url=url)
            ) from None
        raise KitError(
            cli().format(
                "{url}: the registry answered {code} {reason}", url=url, code=exc.code, reason=exc.reason
            )
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise KitError(
            cli().format("{url}: the registry does not answer ({error})", url=url, error=exc)
        ) from None


def manifest(address: str, repository: str, tag: str) -> tuple[str, dict[str, object]]:
    """(media type, manifest) of repository:tag, a platform's own when the tag names a list."""
    url = f"{base_url(address)}/v2/{repository}/manifests/{tag}"
    with _get(url, MANIFEST_TYPES) as resp:
        media = str(resp.headers.get("Content-Type", "")).split(";")[0]
        body = dict(as_mapping(json.loads(resp.read())))  # a registry's answer: read as it is narrowed
    if media in _LISTS or body.get("manifests"):
        arch = _ARCH.get(platform.machine(), platform.machine())
        for entry in map(as_mapping, as_list(body.get("manifests"))):
            wanted = as_mapping(entry.get("platform"))
            if wanted.get("os") == "linux" and wanted.get("architecture") == arch:
                return manifest(address, repository, str(entry["digest"]))
        raise KitError(cli().format("{url}: no linux/{arch} image in the list", url=url, arch=arch))
    return media, body


def _download(url: str, digest: str, target: Path) -> None:
    algorithm, _, expected = digest.partition(":")
    hasher = hashlib.new(algorithm)
    with _get(url, timeout=120) as resp, target.open("wb") as out:
        while chunk := resp.read(1 << 20):
            hasher.update(chunk)
            out.write(chunk)
    if hasher.hexdigest() != expected:
        raise KitError(
            cli().format("{url}: the download does not match its digest {digest}", url=url, digest=digest)
        )


def load_image(address: str, repository: str, tag: str, as_ref: str) -> str:
    """Fetch repository:tag from the registry into the host engine as as_ref; its image id."""
    _, body = manifest(address, repository, tag)
    config = as_mapping(body.get("config"))
    layers = [as_mapping(layer) for layer in as_list(body.get("layers"))]
    if not config.get("digest") or not layers:
        raise KitError(
            cli().format(
                "{image}: the manifest names no image", image=f"{base_url(address)}/{repository}:{tag}"
            )
        )
    with tempfile.TemporaryDirectory(prefix="labcheck-fetch-") as tmp:
        work = Path(tmp)
        blobs = f"{base_url(address)}/v2/{repository}/blobs"
        config_digest = str(config["digest"])
        config_name = config_digest.split(":")[1] + ".json"
        _download(f"{blobs}/{config_digest}", config_digest, work / config_name)
        names = []
        for layer in layers:
            name = str(layer["digest"]).split(":")[1] + ".layer"  # docker load reads gzip or plain
            _download(f"{blobs}/{layer['digest']}", str(layer["digest"]), work / name)
            names.append(name)
        (work / "manifest.json").write_text(
            json.dumps([{"Config": config_name, "RepoTags": [as_ref], "Layers": names}])
        )
        archive = work / "image.tar"
        with tarfile.open(archive, "w") as tar:
            for name in ["manifest.json", config_name, *names]:
                tar.add(work / name, arcname=name)
                if name != "manifest.json":
                    (work / name).unlink()
        run_docker(["load", "-q", "-i", str(archive)], timeout=600)
    return "sha256:" + str(config["digest"]).split(":")[1]
