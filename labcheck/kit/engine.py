"""Connecting to the host's Docker engine with a clear message when none answers."""

from __future__ import annotations

import os

import docker
import docker.errors

from labcheck.errors import EngineUnreachable
from labcheck.install import engine_start_hint


def host_client(timeout: int = 60) -> docker.DockerClient:
    """A client for the host engine (DOCKER_HOST or the default socket), API negotiated."""
    where = os.environ.get("DOCKER_HOST", "the default socket")
    try:
        client = docker.from_env(version="auto", timeout=timeout)
        client.ping()
    except docker.errors.DockerException as exc:
        raise EngineUnreachable(f"no Docker engine answers at {where}: {engine_start_hint()}") from exc
    return client


def client_at(base_url: str, timeout: int = 60) -> docker.DockerClient:
    """A client for another engine (a node's socket); raises EngineUnreachable if it is silent."""
    try:
        client = docker.DockerClient(base_url=base_url, version="auto", timeout=timeout)
        client.ping()
    except docker.errors.DockerException as exc:
        raise EngineUnreachable(f"no Docker engine answers at {base_url}: {engine_start_hint()}") from exc
    return client
