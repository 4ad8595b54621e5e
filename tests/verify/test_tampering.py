"""Every way of editing a real bundle that the issue names is caught, and named.

Each case edits the real evidence of the bundled lab twice where it matters: as a careless
student would (the hash chain left as it was) and as a careful forger would (summary, every
link and the head recomputed, see `forge_chain`), since an unsigned chain can be recomputed by
anyone and then only re-judging and the cross-checks stand between the edit and a pass.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from labcheck.verify.result import CONSISTENT, FAILED, SKIPPED, TAMPERED
from tests.verify.forge import forge_chain, index_of, reasons, step, verdict_of, verify


def _failed_step(doc: dict[str, Any]) -> str:
    """A step the real run failed; if it failed none, hello-world as it looks when it fails."""
    for record in doc["steps"]:
        if record["outcome"] == "failed" and any(c["code"].startswith("output.") for c in record["checks"]):
            return str(record["id"])
    record = step(doc, "hello-world")
    record["transcript"]["text"] = record["transcript"]["text"].replace("Hello from Docker!", "")
    record["outcome"] = "failed"
    for check in record["checks"]:
        if check["code"].startswith("output.") and check["rule"].get("contains") == "Hello from Docker!":
            check["verdict"] = "failed"
    forge_chain(doc)
    return "hello-world"


def test_untouched_real_bundle_verifies(lab: Lab, doc: dict[str, Any]) -> None:
    result = verify(lab, doc)
    assert [p for p in result.problems if p.tampering] == []
    assert [s.id for s in result.steps if s.status == TAMPERED] == []
    assert result.verdict in (CONSISTENT, FAILED)
    # Unsigned: at best consistent, and what the engine's state showed is only the bundle's word.
    hello = verdict_of(result, "hello-world")
    assert hello.status == CONSISTENT
    assert "only the bundle's word (unsigned)" in hello.reasons[0]
    recorded = {r["id"]: r["outcome"] for r in doc["steps"]}
    for verdict in result.steps:
        if recorded.get(verdict.id) == "skipped":
            assert verdict.status == SKIPPED
        if recorded.get(verdict.id) == "failed":
            assert verdict.status == FAILED


def test_transcript_edited_by_one_character(lab: Lab, doc: dict[str, Any]) -> None:
    record = step(doc, "run-echo")
    record["transcript"]["text"] = record["transcript"]["text"].replace("hello", "hellp", 1)
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED
    assert "does not match the hash chain" in reasons(result, "run-echo")
    assert result.verdict == TAMPERED
    # Only the edited step is named: every other link still follows from the recorded one before it.
    assert [s.id for s in result.steps if s.status == TAMPERED] == ["run-echo"]


def test_transcript_edited_and_rechained_is_judged_again(lab: Lab, doc: dict[str, Any]) -> None:
    record = step(doc, "run-echo")
    record["transcript"]["text"] = record["transcript"]["text"].replace("hello", "hellp", 1)
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED
    assert "recorded as passed, but judged again" in reasons(result, "run-echo")
    assert "hello from alpine" in reasons(result, "run-echo")


def test_text_edited_without_its_raw_bytes_is_caught_by_rerendering(lab: Lab, doc: dict[str, Any]) -> None:
    record = step(doc, "run-ls")
    record["transcript"]["text"] += "\nextra line"  # still passes every rule of run-ls
    forge_chain(doc)
    assert verdict_of(verify(lab, doc), "run-ls").status != TAMPERED
    result = verify(lab, doc, rerender=True)
    assert verdict_of(result, "run-ls").status == TAMPERED
    assert "not what its raw bytes show" in reasons(result, "run-ls")


def test_untouched_transcripts_render_as_recorded(lab: Lab, doc: dict[str, Any]) -> None:
    result = verify(lab, doc, rerender=True)
    assert [s.id for s in result.steps if s.status == TAMPERED] == []


def test_step_removed(lab: Lab, doc: dict[str, Any]) -> None:
    del doc["steps"][index_of(doc, "run-echo")]
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED
    assert "removed from the bundle" in reasons(result, "run-echo")
    assert result.verdict == TAMPERED


def test_step_removed_and_rechained_still_fails(lab: Lab, doc: dict[str, Any]) -> None:
    del doc["steps"][index_of(doc, "run-echo")]
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == FAILED
    assert "missing from the bundle" in reasons(result, "run-echo")
    assert result.verdict in (FAILED, TAMPERED)


def test_two_steps_swapped(lab: Lab, doc: dict[str, Any]) -> None:
    first, second = index_of(doc, "run-ls"), index_of(doc, "run-echo")
    doc["steps"][first], doc["steps"][second] = doc["steps"][second], doc["steps"][first]
    for rechain in (False, True):
        if rechain:
            forge_chain(doc)
        result = verify(lab, doc)
        assert verdict_of(result, "run-ls").status == TAMPERED
        assert verdict_of(result, "run-echo").status == TAMPERED
        assert "out of order" in reasons(result, "run-echo")
        assert result.verdict == TAMPERED


def test_step_renumbered(lab: Lab, doc: dict[str, Any]) -> None:
    step(doc, "run-echo")["number"] = "9.9"
    forge_chain(doc)
    result = verify(lab, doc)
    assert "numbered 9.9" in reasons(result, "run-echo")


def test_exit_code_changed(lab: Lab, doc: dict[str, Any]) -> None:
    step(doc, "run-echo")["exit_code"] = 1
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED
    assert "does not match the hash chain" in reasons(result, "run-echo")
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED
    assert "exit code 0: got 1" in reasons(result, "run-echo")


def test_exit_code_of_a_failed_step_changed_to_zero(lab: Lab, doc: dict[str, Any]) -> None:
    failed = _failed_step(doc)
    record = step(doc, failed)
    record["exit_code"] = 0
    record["outcome"] = "passed"
    for check in record["checks"]:
        check["verdict"] = "passed"
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, failed).status == TAMPERED
    assert "recorded as passed, but judged again" in reasons(result, failed)


def test_verdict_flipped_to_passed(lab: Lab, doc: dict[str, Any]) -> None:
    failed = _failed_step(doc)
    honest = forge_chain(doc)
    record = step(honest, failed)
    record["outcome"] = "passed"
    for check in record["checks"]:
        check["verdict"] = "passed"
    result = verify(lab, doc)
    assert verdict_of(result, failed).status == TAMPERED
    assert "does not match the hash chain" in reasons(result, failed)
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, failed).status == TAMPERED
    assert "says passed; it fails" in reasons(result, failed)
    assert result.verdict == TAMPERED


def test_failed_step_turned_into_a_skip(lab: Lab, doc: dict[str, Any]) -> None:
    failed = _failed_step(doc)
    record = step(doc, failed)
    record.update(
        outcome="skipped",
        exit_code=None,
        checks=[],
        reason={"code": "capability_missing", "params": {"capability": "routing_mesh"}},
    )
    record["transcript"] = {"raw_b64": "", "text": "", "stdout": None, "stderr": None}
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, failed).status == TAMPERED
    assert "recorded as skipped, though every step it needs passed" in reasons(result, failed)


def test_summary_edited(lab: Lab, doc: dict[str, Any]) -> None:
    doc["summary"]["passed"] = len(doc["steps"])
    doc["summary"]["failed"] = doc["summary"]["skipped"] = 0
    result = verify(lab, doc)
    codes = {p.code for p in result.problems}
    assert {"summary", "chain-head"} <= codes
    assert result.verdict == TAMPERED


def test_extra_step(lab: Lab, doc: dict[str, Any]) -> None:
    extra = dict(step(doc, "run-echo"), id="bonus-step")
    doc["steps"].append(extra)
    forge_chain(doc)
    result = verify(lab, doc)
    assert any(p.code == "extra-step" and p.step == "bonus-step" for p in result.problems)
    assert result.verdict == TAMPERED


def test_bundle_made_with_another_spec_version(lab: Lab, doc: dict[str, Any], tmp_path: Path) -> None:
    course = tmp_path / "course-spec"
    shutil.copytree(lab.path.parent, course)
    spec = course / lab.path.name
    spec.write_text(
        spec.read_text(encoding="utf-8").replace('version: "', 'version: "2.', 1), encoding="utf-8"
    )
    newer = load_lab(course)
    result = verify(newer, doc)
    assert any(p.code == "spec-hash" and "another version of the spec" in p.message for p in result.problems)
    assert result.verdict == TAMPERED


def test_spec_hash_edited_to_the_courses(lab: Lab, doc: dict[str, Any]) -> None:
    doc["spec"]["sha256"] = "0" * 64
    result = verify(lab, doc)
    codes = {p.code for p in result.problems}
    assert {"spec-hash", "chain-genesis"} <= codes


def test_bundle_of_another_student(lab: Lab, doc: dict[str, Any]) -> None:
    result = verify(lab, doc, expected_student="alumno-42")
    other = [p for p in result.problems if p.code == "other-student"]
    assert other and "expected «alumno-42»" in other[0].message
    assert result.verdict == TAMPERED


def test_student_id_edited_to_the_copiers(lab: Lab, doc: dict[str, Any]) -> None:
    doc["student"]["id"] = "alumno-42"
    result = verify(lab, doc, expected_student="alumno-42")
    assert not any(p.code == "other-student" for p in result.problems)
    assert any(p.code == "chain-genesis" for p in result.problems)
    assert result.verdict == TAMPERED


def test_engine_id_edited(lab: Lab, doc: dict[str, Any]) -> None:
    target = next(iter(doc["targets"].values()))
    target["engine"]["id"] = "AAAA:" + target["engine"]["id"][5:]
    assert any(p.code == "chain-genesis" for p in verify(lab, doc).problems)


def test_captured_container_edited(lab: Lab, doc: dict[str, Any]) -> None:
    """The container a later step used must be the one the earlier step created."""
    step(doc, "isolation-ash")["captures"]["ash_container"] = "0123456789ab"
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, "container-start").status == TAMPERED
    assert "the spec with the captured values gives «docker container start 0123456789ab»" in reasons(
        result, "container-start"
    )
    assert verdict_of(result, "isolation-ls-all").status == TAMPERED  # its `container ls -a` lacks that ID


def test_command_edited(lab: Lab, doc: dict[str, Any]) -> None:
    step(doc, "container-start")["command"] = "docker container start deadbeef0000"
    forge_chain(doc)
    result = verify(lab, doc)
    assert "ran «docker container start deadbeef0000»" in reasons(result, "container-start")


def test_captured_image_edited(lab: Lab, doc: dict[str, Any]) -> None:
    """The image tagged must be the one the commit printed."""
    step(doc, "figlet-commit")["captures"]["figlet_image"] = "0123456789ab"
    forge_chain(doc)
    result = verify(lab, doc)
    assert "but its transcript shows" in reasons(result, "figlet-commit")
    assert "docker image tag 0123456789ab ourfiglet" in reasons(result, "image-tag")


def test_step_run_on_another_node(lab: Lab, doc: dict[str, Any]) -> None:
    step(doc, "run-echo")["node"] = "node2"
    forge_chain(doc)
    assert "ran on node2" in reasons(verify(lab, doc), "run-echo")


def test_alpine_layer_edited(lab: Lab, doc: dict[str, Any]) -> None:
    """hello's first layer must be alpine's: in both transcripts and in the image facts."""
    fake = "sha256:" + "ab" * 32
    step(doc, "layers-alpine")["captures"]["alpine_layer"] = fake
    forge_chain(doc)
    result = verify(lab, doc)
    assert "but its transcript shows" in reasons(result, "layers-alpine")
    assert "which no recorded image has" in reasons(result, "layers-alpine")


def test_layers_transcripts_edited_consistently(lab: Lab, doc: dict[str, Any]) -> None:
    """Both layer listings rewritten to agree with each other still disagree with the image facts."""
    real = step(doc, "layers-alpine")["captures"]["alpine_layer"]
    fake = "sha256:" + "ab" * 32
    for step_id in ("layers-alpine", "layers-hello"):
        record = step(doc, step_id)
        record["transcript"]["text"] = record["transcript"]["text"].replace(real, fake)
        record["transcript"]["stdout"] = (record["transcript"]["stdout"] or "").replace(real, fake)
    step(doc, "layers-alpine")["captures"]["alpine_layer"] = fake
    forge_chain(doc)
    result = verify(lab, doc)
    assert verdict_of(result, "layers-hello").status != TAMPERED  # the two transcripts agree...
    assert "which no recorded image has" in reasons(result, "layers-alpine")  # ...the facts do not


def test_image_facts_edited(lab: Lab, doc: dict[str, Any]) -> None:
    hello = next(image for image in doc["images"] if "hello:v0.1" in image["tags"])
    hello["layers"][0] = "sha256:" + "cd" * 32
    forge_chain(doc)
    result = verify(lab, doc)
    assert "does not start with the layers of alpine:latest" in reasons(result, "layers-hello")
    assert verdict_of(result, "build-v01").status == TAMPERED


def test_captured_image_id_against_the_facts(lab: Lab, doc: dict[str, Any]) -> None:
    record = step(doc, "image-ls-hello")
    real = record["captures"]["hello_image"]
    record["captures"]["hello_image"] = "0123456789ab"
    for later in ("image-history", "layers-hello"):
        step(doc, later)["command"] = step(doc, later)["command"].replace(real, "0123456789ab")
    forge_chain(doc)
    result = verify(lab, doc)
    assert "but the image facts give sha256:" + real in reasons(result, "image-ls-hello")


def test_standins_flag_edited(lab: Lab, doc: dict[str, Any]) -> None:
    """run.standins is outside the chain, but the bound image facts decide it."""
    doc["run"]["standins"] = not doc["run"]["standins"]
    result = verify(lab, doc)
    assert any(p.code == "standins" for p in result.problems)
    assert result.verdict == TAMPERED


def test_text_copied_from_the_spec_edited(lab: Lab, doc: dict[str, Any]) -> None:
    """Titles and explanations the report prints come from the course's spec, not the student."""
    doc["lab"]["title"] = "Mi propio laboratorio"
    doc["spec"]["sections"][0]["title"] = "Otra cosa"
    step(doc, "run-echo")["explanation"] = "Lo hice todo yo."
    forge_chain(doc)
    result = verify(lab, doc)
    copied = next(p for p in result.problems if p.code == "spec-copy")
    assert "lab.title, spec.sections differ" in copied.message
    assert "its explanation is not the spec's" in reasons(result, "run-echo")
