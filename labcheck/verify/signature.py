"""The course's signature over a bundle: a DSSE envelope beside it, checked with the course's public key.

A valid signature proves the evidence file's exact bytes came from the course CI. Its statement
must name this file (its sha256) and say what the file says (lab, spec hash, student, chain
head, outcomes); the envelope of another bundle, or another key's, proves nothing here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from labcheck import i18n
from labcheck.evidence.model import Evidence
from labcheck.signing.dsse import IN_TOTO_PAYLOAD_TYPE, EnvelopeError, parse_envelope
from labcheck.signing.keys import PublicKey
from labcheck.signing.statement import parse_statement, predicate_of
from labcheck.verify.result import Problem

MAX_ENVELOPE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class SignatureCheck:
    problems: tuple[Problem, ...] = ()
    signed: bool = False  # a valid signature by the course's key over exactly this file
    signer: str | None = None


def _short(digest: str) -> str:
    return digest[:16] + "…"


def check_signature(
    raw: bytes | None,
    evidence: Evidence,
    envelope: bytes | None,
    trusted: PublicKey | None,
) -> SignatureCheck:
    """raw: the evidence file's bytes; envelope: its .intoto.jsonl's bytes, None when there is none."""
    if trusted is None:
        return SignatureCheck()  # nothing to check against: the bundle counts as unsigned
    if envelope is None or raw is None:
        return SignatureCheck(
            (
                Problem(
                    "unsigned",
                    i18n.cli().gettext(
                        "not signed (no .intoto.jsonl beside it): with --pubkey, only bundles signed by "
                        "that key are accepted"
                    ),
                    tampering=False,
                ),
            )
        )
    try:
        parsed = parse_envelope(envelope)
        if parsed.payload_type != IN_TOTO_PAYLOAD_TYPE:
            raise EnvelopeError(
                i18n.cli().format(
                    "its payloadType is {found}, not {wanted}",
                    found=repr(parsed.payload_type),
                    wanted=IN_TOTO_PAYLOAD_TYPE,
                )
            )
        if not parsed.verified_by(trusted):
            named = sorted({s.keyid for s in parsed.signatures if s.keyid})
            keys = ", ".join(_short(k) for k in named)
            course = _short(trusted.key_id)
            return _bad(
                i18n.cli().format(
                    "the signature is not the course key's {course} (it names the key {keys}): "
                    "another key, or an edited envelope",
                    course=course,
                    keys=keys,
                )
                if named
                else i18n.cli().format(
                    "the signature is not the course key's {course}: another key, or an edited envelope",
                    course=course,
                )
            )
        statement = parse_statement(parsed.payload)
    except EnvelopeError as error:
        return _bad(i18n.cli().format("the signature envelope is unreadable: {error}", error=error))
    digest = hashlib.sha256(raw).hexdigest()
    if statement.subject_sha256 != digest:
        return _bad(
            i18n.cli().format(
                "the signature is for another evidence file (sha256 {signed}, this one's {found}): "
                "edited, or the signature of another bundle",
                signed=_short(statement.subject_sha256),
                found=_short(digest),
            )
        )
    differs = _predicate_differences(statement.predicate, predicate_of(evidence))
    if differs:
        return _bad(
            i18n.cli().format(
                "the signed statement does not say what the evidence says: {fields}",
                fields=", ".join(differs),
            )
        )
    return SignatureCheck(signed=True, signer=trusted.key_id)


def unreadable_envelope(reason: str) -> SignatureCheck:
    """An envelope that is there but refused (a FIFO, a link out of the folder, too big)."""
    return _bad(i18n.cli().format("the signature envelope cannot be read: {reason}", reason=reason))


def _bad(message: str) -> SignatureCheck:
    return SignatureCheck((Problem("signature", message),))


def _at(document: Mapping[str, object], path: tuple[str, str]) -> object:
    """document[a][b], or a marker no JSON value equals when the signed statement lacks it."""
    part = document.get(path[0])
    return part.get(path[1], _ABSENT) if isinstance(part, Mapping) else _ABSENT


_ABSENT = object()


def _predicate_differences(signed: Mapping[str, object], recorded: Mapping[str, object]) -> list[str]:
    paths = (
        ("lab", "id"),
        ("spec", "sha256"),
        ("student", "id"),
        ("chain", "genesis"),
        ("chain", "head"),
    )
    differs = [".".join(path) for path in paths if _at(signed, path) != _at(recorded, path)]
    if signed.get("steps") != recorded["steps"]:
        differs.append(i18n.cli().gettext("the steps' outcomes"))
    return differs
