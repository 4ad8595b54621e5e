"""DSSE v1 envelopes (github.com/secure-systems-lab/dsse): sign PAE(type, body), never the JSON."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import orjson

from labcheck import i18n
from labcheck.errors import LabcheckError
from labcheck.i18n import N_
from labcheck.signing.keys import PrivateKey, PublicKey

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"


class EnvelopeError(LabcheckError):
    """A signature envelope that is not a DSSE envelope labcheck can read."""


def pae(payload_type: str, payload: bytes) -> bytes:
    """ "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


@dataclass(frozen=True)
class Signature:
    keyid: str
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    payload: bytes
    payload_type: str
    signatures: tuple[Signature, ...]

    def to_json(self) -> str:
        """One line of JSON, as the `.intoto.jsonl` convention wants."""
        return json.dumps(
            {
                "payload": base64.b64encode(self.payload).decode(),
                "payloadType": self.payload_type,
                "signatures": [
                    {"keyid": s.keyid, "sig": base64.b64encode(s.sig).decode()} for s in self.signatures
                ],
            },
            separators=(",", ":"),
        )

    def verified_by(self, key: PublicKey) -> bool:
        """Any signature that key made over this payload; key ids are hints, not proof."""
        message = pae(self.payload_type, self.payload)
        return any(key.verifies(s.sig, message) for s in self.signatures)


def sign(payload_type: str, payload: bytes, key: PrivateKey) -> Envelope:
    signature = Signature(key.public.key_id, key.sign(pae(payload_type, payload)))
    return Envelope(payload, payload_type, (signature,))


def _b64(value: Any, what: str) -> bytes:
    """`what` is a msgid (N_): the part of the envelope, said in the command line's language."""
    t = i18n.cli()
    if not isinstance(value, str):
        raise EnvelopeError(t.format("{what} is not a base64 string", what=t.gettext(what)))
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError(t.format("{what} is not valid base64", what=t.gettext(what))) from None


def parse_envelope(data: bytes) -> Envelope:
    """The first line of a `.intoto.jsonl` file (or a whole JSON file) as an envelope."""
    first = data.strip().split(b"\n", 1)[0]
    t = i18n.cli()
    try:
        document = orjson.loads(first)
    except orjson.JSONDecodeError:
        raise EnvelopeError(t.gettext("not a JSON envelope")) from None
    if not isinstance(document, dict):
        raise EnvelopeError(t.gettext("not a JSON object"))
    payload_type = document.get("payloadType")
    if not isinstance(payload_type, str):
        raise EnvelopeError(t.gettext("it has no payloadType"))
    signatures = document.get("signatures")
    if not isinstance(signatures, list) or not signatures:
        raise EnvelopeError(t.gettext("it holds no signatures"))
    parsed = []
    for number, item in enumerate(signatures):
        if not isinstance(item, dict):
            raise EnvelopeError(t.format("signature {number} is not an object", number=number))
        keyid = item.get("keyid", "")
        parsed.append(Signature(keyid if isinstance(keyid, str) else "", _b64(item.get("sig"), N_("a sig"))))
    return Envelope(_b64(document.get("payload"), N_("its payload")), payload_type, tuple(parsed))
