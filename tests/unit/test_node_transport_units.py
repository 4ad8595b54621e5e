"""Node transports without an engine: the kit's certificates in a real TLS handshake, and which
transport a node is made with and reached by."""

from __future__ import annotations

import socket
import ssl
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from labcheck.errors import KitError
from labcheck.kit import tls, transport
from labcheck.kit.transport import Access

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_keys_are_0600_in_a_0700_folder_and_stay_so(tmp_path: Path) -> None:
    files = tls.ensure(tmp_path / "tls")
    assert _mode(files.folder) == 0o700
    assert _mode(files.client_key) == 0o600 and _mode(files.server_key) == 0o600
    assert _mode(files.ca) == 0o644 and _mode(files.client_cert) == 0o644
    assert not any("ca-key" in p.name for p in files.folder.iterdir())  # the CA key is thrown away
    before = files.client_cert.read_bytes()
    files.client_key.chmod(0o644)
    again = tls.ensure(tmp_path / "tls")
    assert again.client_cert.read_bytes() == before  # made once, kept
    assert _mode(again.client_key) == 0o600


def test_certificates_are_signed_by_the_kit_ca_for_their_use(tmp_path: Path) -> None:
    files = tls.ensure(tmp_path)
    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    server = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    client = x509.load_pem_x509_certificate(files.client_cert.read_bytes())
    for cert in (server, client):
        cert.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    usage = client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in usage


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, tls.TlsFiles]]:
    """A TLS server on 127.0.0.1 set up as a node's dockerd is (--tlsverify: clients must show a
    certificate of the kit's CA), answering one line to each client it accepts."""
    files = tls.ensure(tmp_path / "tls")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.server_cert, files.server_key)
    context.load_verify_locations(files.ca)
    context.verify_mode = ssl.CERT_REQUIRED
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)  # so the serving thread sees `stop` soon after the test
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            raw.settimeout(10)
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    conn.sendall(b"engine\n")
            except (ssl.SSLError, OSError):
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], files
    stop.set()
    listener.close()
    thread.join(timeout=10)


def _client_context(files: tls.TlsFiles, with_certificate: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(files.ca))
    if with_certificate:
        context.load_cert_chain(files.client_cert, files.client_key)
    return context


def test_a_client_with_the_kit_certificate_is_served(tls_server: tuple[int, tls.TlsFiles]) -> None:
    port, files = tls_server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with _client_context(files, True).wrap_socket(raw, server_hostname="127.0.0.1") as conn:
            assert conn.recv(16) == b"engine\n"


def test_a_client_without_a_certificate_is_refused(tls_server: tuple[int, tls.TlsFiles]) -> None:
    port, files = tls_server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with pytest.raises((ssl.SSLError, ConnectionError)):
            with _client_context(files, False).wrap_socket(raw, server_hostname="127.0.0.1") as conn:
                conn.recv(16)
                raise ConnectionError("the server closed without serving")  # TLS 1.3 alerts late


def test_another_ca_does_not_trust_the_nodes(tmp_path: Path, tls_server: tuple[int, tls.TlsFiles]) -> None:
    port, _ = tls_server
    stranger = tls.ensure(tmp_path / "other-kit")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError):
            _client_context(stranger, True).wrap_socket(raw, server_hostname="127.0.0.1")


def test_auto_takes_the_socket_where_it_answers_and_tls_otherwise() -> None:
    both = Access(socket=True, tls=True)
    assert transport.choose("auto", both, socket_answers=True) == "socket"
    assert transport.choose("auto", both, socket_answers=False) == "tls"
    assert transport.choose("auto", Access(socket=False, tls=False), socket_answers=False) == "exec"
    with pytest.raises(KitError, match="not made for the tls transport"):
        transport.choose("tls", Access(socket=True, tls=False), socket_answers=True)
    assert transport.choose("exec", Access(socket=True, tls=False), socket_answers=True) == "exec"


def test_sockets_turned_off_leave_auto_without_a_socket_and_refuse_a_forced_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert transport.access_for("auto", "Debian GNU/Linux 12 (bookworm)") == Access(socket=True, tls=True)
    assert transport.access_for("auto", "Docker Desktop") == Access(socket=False, tls=True)
    monkeypatch.setenv(transport.SOCKETS_ENV, "off")
    assert transport.access_for("auto", "Debian GNU/Linux 12 (bookworm)") == Access(socket=False, tls=True)
    with pytest.raises(KitError, match="socket transport cannot work here"):
        transport.access_for("socket", "Debian GNU/Linux 12 (bookworm)")


def test_a_node_made_before_transports_reads_as_socket_only() -> None:
    assert Access.from_label(None) == Access(socket=True, tls=False)
    for access in (Access(True, True), Access(False, True), Access(False, False), Access(True, False)):
        assert Access.from_label(access.label()) == access


def test_an_unknown_transport_is_a_usage_error_in_words() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "up", "--transport", "carrier-pigeon"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode == 2
    assert "carrier-pigeon" in done.stderr and "socket" in done.stderr and "Traceback" not in done.stderr
