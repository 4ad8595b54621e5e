"""labcheck's envelope read by two other implementations of the standard, not by labcheck's own code.

1. A PAE and Ed25519 check written here from the DSSE spec (secure-systems-lab/dsse,
   protocol.md): SIGNATURE = Sign(PAE(UTF8(PAYLOAD_TYPE), SERIALIZED_BODY)), with
   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the byte count in
   ASCII decimal; the envelope (envelope.md) holds payload and sig in standard base64.
2. securesystemslib's DSSE Envelope and SSlibKey (the reference Python implementation).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from labcheck.signing import dsse
from labcheck.signing.files import sign_evidence_file
from labcheck.signing.keys import PrivateKey
from tests.real_evidence import EVIDENCE


@pytest.fixture(scope="module")
def key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def signed(tmp_path: Path, key: PrivateKey) -> tuple[Path, dict[str, Any]]:
    evidence = tmp_path / "evidence.json"
    shutil.copy(EVIDENCE, evidence)
    envelope = sign_evidence_file(evidence, key)
    lines = envelope.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1  # .intoto.jsonl: one envelope per line
    return evidence, json.loads(lines[0])


def _spec_pae(payload_type: str, body: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b" ".join([b"DSSEv1", str(len(kind)).encode(), kind, str(len(body)).encode(), body])


def _spec_verify(envelope: dict[str, Any], public_pem: bytes) -> bytes:
    """The payload, if one signature in the envelope verifies under this key; raises otherwise."""
    public = serialization.load_pem_public_key(public_pem)
    assert isinstance(public, Ed25519PublicKey)
    body = base64.standard_b64decode(envelope["payload"])
    message = _spec_pae(envelope["payloadType"], body)
    for signature in envelope["signatures"]:
        public.verify(base64.standard_b64decode(signature["sig"]), message)  # raises if wrong
        return body
    raise AssertionError("no signatures")


def test_pae_of_the_spec_example() -> None:
    """The example of the DSSE protocol document, byte for byte."""
    expected = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == expected
    assert _spec_pae("http://example.com/HelloWorld", b"hello world") == expected


def test_pae_counts_bytes_not_characters() -> None:
    body = "núñez".encode()
    assert dsse.pae("tipo/ñ", body) == b"DSSEv1 7 tipo/\xc3\xb1 7 " + body


def test_envelope_verifies_with_a_check_written_from_the_spec(
    signed: tuple[Path, dict[str, Any]], key: PrivateKey
) -> None:
    evidence, envelope = signed
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = json.loads(_spec_verify(envelope, key.public.pem()))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"] == [
        {"name": "evidence.json", "digest": {"sha256": hashlib.sha256(evidence.read_bytes()).hexdigest()}}
    ]
    document = json.loads(evidence.read_text(encoding="utf-8"))
    predicate = statement["predicate"]
    assert predicate["chain"]["head"] == document["chain"]["head"]
    assert predicate["student"]["id"] == document["student"]["id"]
    assert predicate["spec"]["sha256"] == document["spec"]["sha256"]
    assert [s["outcome"] for s in predicate["steps"]] == [s["outcome"] for s in document["steps"]]
    # The key id is the fingerprint of the public key's DER SubjectPublicKeyInfo.
    public = serialization.load_pem_public_key(key.public.pem())
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert envelope["signatures"][0]["keyid"] == hashlib.sha256(der).hexdigest()


def test_the_spec_check_rejects_an_edited_payload(
    signed: tuple[Path, dict[str, Any]], key: PrivateKey
) -> None:
    from cryptography.exceptions import InvalidSignature

    _, envelope = signed
    statement = base64.standard_b64decode(envelope["payload"]).replace(b"A00123456", b"A00999999")
    envelope["payload"] = base64.standard_b64encode(statement).decode()
    with pytest.raises(InvalidSignature):
        _spec_verify(envelope, key.public.pem())


def test_envelope_verifies_with_securesystemslib(
    signed: tuple[Path, dict[str, Any]], key: PrivateKey
) -> None:
    from securesystemslib.dsse import Envelope
    from securesystemslib.exceptions import VerificationError
    from securesystemslib.signer import SSlibKey

    _, envelope = signed
    public = serialization.load_pem_public_key(key.public.pem())
    ssl_key = SSlibKey.from_crypto(public, keyid=key.public.key_id)
    parsed = Envelope.from_dict(envelope)
    assert set(parsed.verify([ssl_key], 1)) == {key.public.key_id}
    other = SSlibKey.from_crypto(
        serialization.load_pem_public_key(PrivateKey.generate().public.pem()), keyid=key.public.key_id
    )
    with pytest.raises(VerificationError):
        parsed.verify([other], 1)


def test_an_envelope_made_by_securesystemslib_verifies_in_labcheck(tmp_path: Path, key: PrivateKey) -> None:
    """The other way round: securesystemslib signs labcheck's statement; labcheck verify accepts it."""
    from securesystemslib.dsse import Envelope
    from securesystemslib.signer import CryptoSigner, SSlibKey

    from labcheck.evidence.reader import parse_evidence
    from labcheck.signing.files import envelope_path
    from labcheck.signing.statement import evidence_statement
    from labcheck.spec.loader import load_lab
    from labcheck.verify.verifier import Verifier, VerifyOptions

    evidence = tmp_path / "evidence.json"
    shutil.copy(EVIDENCE, evidence)
    raw = evidence.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    envelope = Envelope(
        evidence_statement(evidence.name, digest, parse_evidence(raw, evidence.name)),
        "application/vnd.in-toto+json",
        {},
    )
    public = SSlibKey.from_crypto(key.key.public_key(), keyid=key.public.key_id)
    envelope.sign(CryptoSigner(key.key, public))
    envelope_path(evidence).write_text(json.dumps(envelope.to_dict()), encoding="utf-8")
    lab = load_lab(Path(__file__).resolve().parents[2] / "specs" / "ops-stage1")
    result = Verifier(lab, VerifyOptions(public_key=key.public)).verify_path(evidence)
    assert result.verdict == "signed", result.named_failures()
