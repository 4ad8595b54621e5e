"""Helpers to tamper with a real bundle the way a student would, and to verify the result."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labcheck import patterns
from labcheck.checks.output import judge_exit_code, judge_output_rule
from labcheck.evidence import chain, model
from labcheck.evidence.reader import parse_evidence
from labcheck.evidence.writer import EvidenceWriter
from labcheck.runner.process import ProcessResult
from labcheck.runner.records import step_record, streams_of
from labcheck.signing.files import sign_evidence_file
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab
from labcheck.spec.placeholders import substitute
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
    sign_evidence_file(path, key)
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
    """The edited document as `verify` would read it from a file (through the evidence reader)."""
    expected = options.pop("expected_student", None)
    evidence = parse_evidence(json.dumps(document, ensure_ascii=False).encode(), "bundle.json")
    return verifier(lab, **options).verify_evidence(evidence, "bundle.json", expected)


def verdict_of(result: BundleResult, step_id: str) -> StepVerdict:
    return next(s for s in result.steps if s.id == step_id)


def reasons(result: BundleResult, step_id: str) -> str:
    return " | ".join(verdict_of(result, step_id).reasons)


def forged_bundle(lab: Lab, student_id: str, out: Path, output: Callable[[str], str]) -> dict[str, Any]:
    """What a forger makes instead of running the lab: each command's "output" typed by hand,
    exit 0, judged by labcheck's own rules and written by its own writer, so the format and
    the chain are right and only a signature could tell."""
    writer = EvidenceWriter(
        out / "evidence.json",
        lab,
        student={"id": student_id, "name": None, "group": None},
        targets={
            "host": model.Target(kind="local", docker_host="local", engine=model.Engine(id="local:forger"))
        },
        sandbox="targets",
        workspace=None,
        capabilities={},
    )
    values = lab.values_for_student(student_id)
    for step in lab.steps:
        command = substitute(step.run, values)
        raw = output(command).encode()
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        result = ProcessResult(started, 0.01, 0, False, raw, stdout=raw, stderr=b"")
        streams = streams_of(result)
        for capture in step.captures:
            assert capture.pattern is not None
            match = patterns.search(capture.pattern, streams["output"])
            if match:
                values[capture.name] = match.group(capture.group)
        checks = []
        if step.exit_code is not None:
            checks.append(judge_exit_code(step.exit_code, result.exit_code, result.timed_out))
        checks += [judge_output_rule(m.rule(), streams, values) for m in step.matchers]
        writer.add_step(
            step_record(
                step,
                outcome="passed" if all(c.passed for c in checks) else "failed",
                reason=None,
                result=result,
                checks=checks,
                attempts=1,
                command=command,
                workdir=step.workdir,
                typed=(),
                streams=streams,
                values=values,
            )
        )
    writer.finish(status="complete", images=[], total_steps=len(lab.steps))
    return model.to_document(writer.document)
