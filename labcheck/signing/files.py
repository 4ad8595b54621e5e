"""Where the envelope lives (beside the evidence) and how the course CI writes it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from labcheck.evidence.reader import parse_evidence
from labcheck.signing import dsse
from labcheck.signing.keys import PrivateKey
from labcheck.signing.statement import evidence_statement, parse_statement

ENVELOPE_SUFFIX = ".intoto.jsonl"


def envelope_path(evidence: Path) -> Path:
    """evidence.json -> evidence.intoto.jsonl; alice.json -> alice.intoto.jsonl."""
    return evidence.with_name(evidence.stem + ENVELOPE_SUFFIX)


def sign_evidence_file(evidence: Path, key: PrivateKey) -> Path:
    """Sign the evidence's bytes as they are on disk (and what they say), and write the envelope.

    The statement is made from the very bytes it signs, read as `verify` reads them, so what it
    says is what the file says (an evidence the reader refuses is never signed)."""
    raw = evidence.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    payload = evidence_statement(evidence.name, digest, parse_evidence(raw, str(evidence)))
    envelope = dsse.sign(dsse.IN_TOTO_PAYLOAD_TYPE, payload, key)
    target = envelope_path(evidence)
    temporary = target.with_name(target.name + ".partial")
    temporary.write_text(envelope.to_json() + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return target


def remove_stale_envelope(evidence: Path) -> None:
    """A new run's evidence must never sit beside a signature of an older one."""
    envelope_path(evidence).unlink(missing_ok=True)


@dataclass(frozen=True)
class SignatureFacts:
    """What the envelope beside an evidence file claims, for the report (verify checks the key)."""

    key_ids: tuple[str, ...]
    evidence_sha256: str


def signature_facts(evidence: Path) -> SignatureFacts | None:
    """The envelope's claim, if it is readable and names this very file's bytes; otherwise None."""
    try:
        envelope = dsse.parse_envelope(envelope_path(evidence).read_bytes())
        statement = parse_statement(envelope.payload)
        digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    except (OSError, dsse.EnvelopeError):
        return None
    if statement.subject_sha256 != digest:
        return None
    return SignatureFacts(tuple(s.keyid for s in envelope.signatures if s.keyid), digest)
