"""Helpers to tamper with a real bundle the way a student would, and to verify the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labcheck.evidence import chain
from labcheck.signing.files import sign_evidence_file
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab
from labcheck.verify.result import BundleResult, StepVerdict
from labcheck.verify.verifier import Verifier, VerifyOptions


def verifier(lab: Lab, **options: Any) -> Verifier:
    return Verifier(lab, VerifyOptions(**options))


def write(document: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def sign(document: dict[str, Any], path: Path, key: PrivateKey) -> Path:
    """Write the bundle and sign it as the runner does at the end of a run (EvidenceWriter.finish)."""
    write(document, path)
    sign_evidence_file(path, document, key)
    return path


def forge_chain(document: dict[str, Any]) -> dict[str, Any]:
    """What a careful forger does after editing: recount the summary, recompute every link and the head."""
    counts = {outcome: 0 for outcome in ("passed", "failed", "skipped", "error")}
    for record in document["steps"]:
        counts[record["outcome"]] += 1
    summary = document["summary"]
    summary.update(counts)
    if "not_run" in summary:
        summary["not_run"] = max(0, summary["total"] - len(document["steps"]))
    engine_ids = [str(t["engine"]["id"]) for t in document["targets"].values()]
    previous = chain.genesis(
        document["lab"]["id"], document["spec"]["sha256"], document["student"].get("id"), engine_ids
    )
    document["chain"]["genesis"] = previous
    for record in document["steps"]:
        record["chain"] = chain.link(previous, record)
        previous = record["chain"]
    document["chain"]["head"] = chain.head(previous, document)
    return document


def step(document: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(record for record in document["steps"] if record["id"] == step_id)


def index_of(document: dict[str, Any], step_id: str) -> int:
    return next(i for i, record in enumerate(document["steps"]) if record["id"] == step_id)


def verify_file(lab: Lab, path: Path, **options: Any) -> BundleResult:
    """As `labcheck verify` does: the file's bytes and the envelope beside it."""
    expected = options.pop("expected_student", None)
    return verifier(lab, **options).verify_path(path, expected)


def verify(lab: Lab, document: dict[str, Any], **options: Any) -> BundleResult:
    expected = options.pop("expected_student", None)
    return verifier(lab, **options).verify_document(document, "bundle.json", expected)


def verdict_of(result: BundleResult, step_id: str) -> StepVerdict:
    return next(s for s in result.steps if s.id == step_id)


def reasons(result: BundleResult, step_id: str) -> str:
    return " | ".join(verdict_of(result, step_id).reasons)
