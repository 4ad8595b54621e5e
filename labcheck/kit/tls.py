"""The certificates that let the host reach a node's engine over TLS, and nobody else.

The kit is its own certificate authority: it signs one server certificate (for 127.0.0.1 and
localhost, where each node's API port is published) and one client certificate, then throws the
CA's private key away, so no further certificate can be made for these engines. The engines
verify clients (`--tlsverify`): a TCP port that answers anyone is never opened. The files follow
the docker CLI's layout (`ca.pem`, `cert.pem`, `key.pem`), so `DOCKER_CERT_PATH` can point at
them; every private key is kept with mode 0600 in a folder of mode 0700.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.os_error_words import os_error_words

CA_FILE = "ca.pem"
CLIENT_CERT = "cert.pem"
CLIENT_KEY = "key.pem"
SERVER_CERT = "server-cert.pem"
SERVER_KEY = "server-key.pem"
_ALL = (CA_FILE, CLIENT_CERT, CLIENT_KEY, SERVER_CERT, SERVER_KEY)
_PRIVATE = (CLIENT_KEY, SERVER_KEY)
_VALID_DAYS = 3650
# Where the server side is copied inside a node (given to its dockerd).
NODE_TLS_DIR = "/etc/labcheck-tls"


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / CA_FILE

    @property
    def client_cert(self) -> Path:
        return self.folder / CLIENT_CERT

    @property
    def client_key(self) -> Path:
        return self.folder / CLIENT_KEY

    @property
    def server_cert(self) -> Path:
        return self.folder / SERVER_CERT

    @property
    def server_key(self) -> Path:
        return self.folder / SERVER_KEY


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    signer: ec.EllipticCurvePrivateKey,
    *,
    ca: bool = False,
    usage: x509.ObjectIdentifier | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if usage == ExtendedKeyUsageOID.SERVER_AUTH:
        names: list[x509.GeneralName] = [
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.DNSName("localhost"),
        ]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, private: bool) -> None:
    # Created with its final mode: a private key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600 if private else 0o644)


def _complete(files: TlsFiles) -> bool:
    return all((files.folder / name).is_file() for name in _ALL)


def ensure(folder: Path) -> TlsFiles:
    """The kit's certificates in this folder, made once (a CA, a server and a client pair)."""
    files = TlsFiles(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        if _complete(files):
            for name in _PRIVATE:
                os.chmod(folder / name, 0o600)  # keep them private even if someone loosened them
            return files
        ca_key = _key()
        ca_name = _name("labcheck kit CA")
        ca = _certificate("labcheck kit CA", ca_key, ca_name, ca_key, ca=True)
        server_key, client_key = _key(), _key()
        server = _certificate(
            "labcheck kit node", server_key, ca_name, ca_key, usage=ExtendedKeyUsageOID.SERVER_AUTH
        )
        client = _certificate(
            "labcheck kit client", client_key, ca_name, ca_key, usage=ExtendedKeyUsageOID.CLIENT_AUTH
        )
        _write(files.server_key, _key_pem(server_key), private=True)
        _write(files.client_key, _key_pem(client_key), private=True)
        _write(files.server_cert, _pem(server), private=False)
        _write(files.client_cert, _pem(client), private=False)
        _write(files.ca, _pem(ca), private=False)  # last: its presence means the set is complete
    except OSError as error:
        raise KitError(
            cli().format(
                "cannot write the kit's TLS certificates in {folder}: {error}",
                folder=folder,
                error=os_error_words(error),
            )
        ) from None
    return files
