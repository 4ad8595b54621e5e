"""`registry_client.answers`, `holds` and `manifest_digest` against a real HTTP server on loopback.

One function decides whether a registry answers for the kit's own registry, a registry given with
`kit up --registry` and the registries a node pulls from; these are the answers it must tell apart.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from labcheck.kit import registry_client

DIGEST = "sha256:" + "ab" * 32


class FakeRegistryHandler(BaseHTTPRequestHandler):
    """/v2/ answers with the server's status; one manifest exists: library/alpine:3.19."""

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _answer(self) -> None:
        status: int = self.server.v2_status  # type: ignore[attr-defined]
        if self.path == "/v2/":
            self.send_response(status)
        elif self.path == "/v2/library/alpine/manifests/3.19":
            self.send_response(200)
            if self.server.sends_digest:  # type: ignore[attr-defined]
                self.send_header("Docker-Content-Digest", DIGEST)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


def _serve(v2_status: int, sends_digest: bool = True) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistryHandler)
    server.v2_status = v2_status  # type: ignore[attr-defined]
    server.sends_digest = sends_digest  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def registry_ok() -> Iterator[str]:
    yield from _serve(200)


@pytest.fixture
def registry_login() -> Iterator[str]:
    yield from _serve(401)


@pytest.fixture
def web_server() -> Iterator[str]:
    yield from _serve(404)


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def test_a_registry_answers_with_200_or_with_a_login_request(registry_ok: str, registry_login: str) -> None:
    assert registry_client.answers(registry_ok)
    assert registry_client.answers(f"http://{registry_ok}/")
    assert registry_client.answers(registry_login)


def test_a_web_server_that_is_no_registry_and_a_closed_port_do_not_answer(web_server: str) -> None:
    assert not registry_client.answers(web_server)
    assert not registry_client.answers(_closed_port(), timeout=1.0)


def test_a_bare_address_is_tried_with_each_scheme_in_turn(registry_ok: str) -> None:
    # The server speaks plain HTTP: https alone fails, https then http finds it.
    assert not registry_client.answers(registry_ok, 2.0, schemes=("https",))
    assert registry_client.answers(registry_ok, 2.0, schemes=("https", "http"))
    # A scheme written in the address is used as written.
    assert not registry_client.answers(f"https://{registry_ok}", 2.0, schemes=("http",))


def test_what_the_registry_holds(registry_ok: str) -> None:
    assert registry_client.holds(registry_ok, "library/alpine", "3.19")
    assert registry_client.manifest_digest(registry_ok, "library/alpine", "3.19") == DIGEST
    assert not registry_client.holds(registry_ok, "library/alpine", "3.20")
    assert registry_client.manifest_digest(registry_ok, "library/ubuntu", "latest") is None
    assert not registry_client.holds(_closed_port(), "library/alpine", "3.19", timeout=1.0)


def test_a_manifest_without_a_digest_header_is_held_but_has_no_digest() -> None:
    for address in _serve(200, sends_digest=False):
        assert registry_client.holds(address, "library/alpine", "3.19")
        assert registry_client.manifest_digest(address, "library/alpine", "3.19") is None
