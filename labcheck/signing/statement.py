"""The in-toto Statement v1 that the course CI signs: this evidence file, and what it says.

The in-toto test-result predicate has no place for the student, the spec's hash or the chain
head, so the predicate is labcheck's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import orjson

from labcheck import i18n
from labcheck.evidence.model import Evidence
from labcheck.signing.dsse import EnvelopeError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://labcheck.dev/evidence-verdicts/v1"


def predicate_of(evidence: Evidence) -> dict[str, object]:
    """What the signature vouches for, beyond the file's bytes: who, what lab and spec, what came of it."""
    return {
        "lab": {"id": evidence.lab.id, "version": evidence.lab.version},
        "spec": {"sha256": evidence.spec.sha256},
        "student": {"id": evidence.student.id},
        "chain": {"genesis": evidence.chain.genesis, "head": evidence.chain.head},
        "run": {"status": evidence.run.status, "finished_at": evidence.run.finished_at},
        "steps": [{"id": record.id, "outcome": record.outcome} for record in evidence.steps],
        "labcheck_version": evidence.labcheck_version,
    }


def evidence_statement(name: str, sha256: str, evidence: Evidence) -> bytes:
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": name, "digest": {"sha256": sha256}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate_of(evidence),
    }
    return json.dumps(statement, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Statement:
    subject_name: str
    subject_sha256: str
    predicate: Mapping[str, object]


def parse_statement(payload: bytes) -> Statement:
    t = i18n.cli()
    try:
        statement = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise EnvelopeError(t.gettext("its payload is not a JSON statement")) from None
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise EnvelopeError(
            t.format("its payload is not an in-toto Statement v1 ({type})", type=STATEMENT_TYPE)
        )
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise EnvelopeError(t.format("its predicate is not labcheck's ({type})", type=PREDICATE_TYPE))
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or len(subjects) != 1 or not isinstance(subjects[0], dict):
        raise EnvelopeError(t.gettext("its statement must name exactly one subject, the evidence file"))
    digest = subjects[0].get("digest")
    sha256 = digest.get("sha256") if isinstance(digest, dict) else None
    predicate = statement.get("predicate")
    if not isinstance(sha256, str) or not isinstance(predicate, dict):
        raise EnvelopeError(t.gettext("its statement lacks the evidence's sha256 or its predicate"))
    return Statement(str(subjects[0].get("name", "")), sha256, predicate)
