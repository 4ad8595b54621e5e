"""The docker SDK talking to a node's engine through `docker exec`, with no socket or port shared.

Each HTTP connection is one `docker exec -i <node> docker system dial-stdio` (what the docker CLI
itself does over ssh): the node's own CLI joins its stdin and stdout to the engine's socket inside
the node. The host's docker CLI only needs to reach the host engine, so this works wherever the
node containers can be exec'd into (Docker Desktop included). The process's end is a real socket
(a socketpair), so urllib3 reads and times out on it as on any socket; requests' pool keeps the
connection alive between calls, so one process serves many API calls.
"""

from __future__ import annotations

import socket
import subprocess
from typing import Any, ClassVar

import docker
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool
from docker.transport.basehttpadapter import BaseHTTPAdapter

from labcheck.dockercli import docker_cli

SCHEME = "exec://"
_MAX_POOL_SIZE = 10
# Any API version the node's engine accepts for the one call that asks for its real version.
_BOOTSTRAP_API = "1.41"


def dial_command(container: str) -> list[str]:
    return [docker_cli(), "exec", "-i", container, "docker", "system", "dial-stdio"]


class _ExecConnection(urllib3.connection.HTTPConnection):
    def __init__(self, container: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.container = container
        self._process: subprocess.Popen[bytes] | None = None

    def connect(self) -> None:
        mine, theirs = socket.socketpair()
        try:
            self._process = subprocess.Popen(
                dial_command(self.container),
                stdin=theirs.fileno(),
                stdout=theirs.fileno(),
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C meant for the run does not cut the connection
            )
        finally:
            theirs.close()
        mine.settimeout(self.timeout if isinstance(self.timeout, (int, float)) else None)
        self.sock = mine

    def close(self) -> None:
        super().close()
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class _ExecConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, container: str, timeout: float, maxsize: int) -> None:
        super().__init__("localhost", timeout=timeout, maxsize=maxsize)
        self.container = container
        self.exec_timeout = timeout

    def _new_conn(self) -> _ExecConnection:
        return _ExecConnection(self.container, self.exec_timeout)


class ExecHTTPAdapter(BaseHTTPAdapter):  # type: ignore[misc]
    """requests' adapter for `http+docker://` URLs, each connection a `docker exec` process."""

    __attrs__: ClassVar[list[str]] = [
        *requests.adapters.HTTPAdapter.__attrs__,
        "pools",
        "container",
        "timeout",
    ]

    def __init__(self, container: str, timeout: float) -> None:
        self.container = container
        self.timeout = timeout
        self.pools: Any = urllib3._collections.RecentlyUsedContainer(
            10, dispose_func=lambda pool: pool.close()
        )
        super().__init__()

    def get_connection(self, url: Any, proxies: Any = None) -> _ExecConnectionPool:
        with self.pools.lock:
            pool: _ExecConnectionPool | None = self.pools.get(url)
            if pool is None:
                pool = _ExecConnectionPool(self.container, self.timeout, _MAX_POOL_SIZE)
                self.pools[url] = pool
        return pool

    def request_url(self, request: Any, proxies: Any) -> str:
        return str(request.path_url)  # no proxy applies to a pipe into a container


def exec_client(base_url: str, timeout: int) -> docker.DockerClient:
    """A DockerClient for `exec://<container>`; the API version is negotiated as for a socket."""
    container = base_url[len(SCHEME) :]
    # A unix URL only to make the SDK set up its `http+docker://` plumbing; nothing dials it.
    client = docker.DockerClient(base_url="unix:///nonexistent", version=_BOOTSTRAP_API, timeout=timeout)
    adapter = ExecHTTPAdapter(container, timeout)
    client.api.mount("http+docker://", adapter)
    client.api._custom_adapter = adapter
    client.api._version = client.api._retrieve_server_version()
    return client
