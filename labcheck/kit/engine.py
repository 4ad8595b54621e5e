"""Connecting to the host's Docker engine with a clear message when none answers."""

from __future__ import annotations

import os
from pathlib import Path

import docker
import docker.errors
import docker.tls

from labcheck.errors import EngineUnreachable
from labcheck.i18n import cli
from labcheck.install import engine_start_hint


def host_client(timeout: int = 60) -> docker.DockerClient:
    """A client for the host engine (DOCKER_HOST or the default socket), API negotiated."""
    t = cli()
    where = os.environ.get("DOCKER_HOST") or t.gettext("the default socket")
    try:
        client = docker.from_env(version="auto", timeout=timeout)
        client.ping()
    except docker.errors.DockerException as exc:
        raise EngineUnreachable(
            t.format("no Docker engine answers at {where}: {hint}", where=where, hint=engine_start_hint())
        ) from exc
    return client


# Any API version an engine accepts for the one call that asks for its real version.
_BOOTSTRAP_API = "1.41"


def client_at(base_url: str, timeout: int = 60, tls_dir: Path | None = None) -> docker.DockerClient:
    """A client for another engine (a node's socket, its TLS port with the kit's client
    certificates in tls_dir, or `exec://CONTAINER`); raises EngineUnreachable if it is silent."""
    from labcheck.kit import exec_transport, tls

    try:
        if base_url.startswith(exec_transport.SCHEME):
            client = exec_transport.exec_client(base_url, timeout)
        elif tls_dir is not None:
            files = tls.TlsFiles(tls_dir)
            config = docker.tls.TLSConfig(
                client_cert=(str(files.client_cert), str(files.client_key)),
                ca_cert=str(files.ca),
                verify=True,
            )
            client = docker.DockerClient(
                base_url=base_url, version=_BOOTSTRAP_API, timeout=timeout, tls=config
            )
            # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE replace the session's CA (psf/requests
            # #3829): the kit's own CA must be the only one trusted, whatever the environment says.
            client.api.trust_env = False
            client.api._version = client.api._retrieve_server_version()
        else:
            client = docker.DockerClient(base_url=base_url, version="auto", timeout=timeout)
        client.ping()
    except docker.errors.DockerException as exc:
        raise EngineUnreachable(
            cli().format(
                "no Docker engine answers at {where}: {hint}", where=base_url, hint=engine_start_hint()
            )
        ) from exc
    return client
