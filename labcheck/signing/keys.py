"""Ed25519 key pairs: made by `labcheck keygen`, read from PEM, named by their fingerprint."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from labcheck import i18n
from labcheck.errors import LabcheckError
from labcheck.os_error_words import os_error_words

SIGNING_KEY_ENV = "LABCHECK_SIGNING_KEY"


class SigningKeyError(LabcheckError):
    """A key that is missing, unreadable, or not an Ed25519 key in PEM."""


def fingerprint(public: Ed25519PublicKey) -> str:
    """The key id: sha256 of the public key's DER SubjectPublicKeyInfo, in hex."""
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


@cache
def _loaded(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


@cache
def _fingerprint_of(raw: bytes) -> str:
    return fingerprint(_loaded(raw))


@dataclass(frozen=True)
class PublicKey:
    """Only the 32 raw bytes are kept, so the key crosses to worker processes as plain data."""

    raw: bytes

    @classmethod
    def from_pem(cls, data: bytes, source: str) -> PublicKey:
        try:
            key = serialization.load_pem_public_key(data)
        except (ValueError, TypeError):
            said = i18n.cli().gettext("not a public key in PEM (make one with labcheck keygen)")
            raise SigningKeyError(f"{source}: {said}") from None
        if not isinstance(key, Ed25519PublicKey):
            said = i18n.cli().gettext("not an Ed25519 public key (labcheck signs with Ed25519)")
            raise SigningKeyError(f"{source}: {said}")
        return cls(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    @property
    def _key(self) -> Ed25519PublicKey:
        return _loaded(self.raw)

    @property
    def key_id(self) -> str:
        return _fingerprint_of(self.raw)

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def pem(self) -> bytes:
        return self._key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@dataclass(frozen=True)
class PrivateKey:
    key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> PrivateKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes, source: str) -> PrivateKey:
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            # Never echo the value: it may be a secret pasted in the wrong place.
            said = i18n.cli().gettext("not an unencrypted private key in PEM (make one with labcheck keygen)")
            raise SigningKeyError(f"{source}: {said}") from None
        if not isinstance(key, Ed25519PrivateKey):
            said = i18n.cli().gettext("not an Ed25519 private key (labcheck signs with Ed25519)")
            raise SigningKeyError(f"{source}: {said}")
        return cls(key)

    @property
    def public(self) -> PublicKey:
        return PublicKey(
            self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)

    def pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def private_key_from_env(variable: str | None) -> PrivateKey | None:
    """The key in VARIABLE (named on the command line: then it must be set) or in the default one."""
    name = variable or SIGNING_KEY_ENV
    value = os.environ.get(name, "")
    if not value.strip():
        if variable:
            said = i18n.cli().gettext("that environment variable is not set or empty")
            raise SigningKeyError(f"{name}: {said}")
        return None
    return PrivateKey.from_pem(value.encode(), i18n.cli().format("the signing key in ${name}", name=name))


def read_public_key(path: Path) -> PublicKey:
    try:
        data = path.read_bytes()
    except OSError as error:
        said = i18n.cli().format("cannot read the public key: {cause}", cause=os_error_words(error))
        raise SigningKeyError(f"{path}: {said}") from None
    return PublicKey.from_pem(data, str(path))
