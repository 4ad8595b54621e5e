"""Signed bundles: the real evidence signed as the runner signs it, and every way to cheat a signature.

The course's Ed25519 key signs a DSSE envelope (evidence.intoto.jsonl) whose in-toto statement
names the evidence file's sha256 and says what it says. Given the public key, `labcheck verify`
accepts a bundle only with a valid signature by that key over exactly that file.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from labcheck.cli import main
from labcheck.signing import dsse
from labcheck.signing.files import envelope_path, sign_evidence_file
from labcheck.signing.keys import PrivateKey
from labcheck.signing.statement import evidence_statement
from labcheck.spec.model import Lab
from labcheck.verify.result import CONSISTENT, ERROR, SIGNED, SKIPPED, TAMPERED
from tests.locale_env import use_locale
from tests.real_evidence import as_evidence
from tests.verify.forge import forge_chain, sign, step, verify_file, write


@pytest.fixture(scope="module")
def course_key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def pubkey(course_key: PrivateKey, tmp_path: Path) -> Path:
    path = tmp_path / "course.pub"
    path.write_bytes(course_key.public.pem())
    return path


@pytest.fixture
def signed(tmp_path: Path, real_document: dict[str, Any], course_key: PrivateKey) -> Path:
    """The real evidence of the bundled lab, signed by the course's key."""
    return sign(copy.deepcopy(real_document), tmp_path / "A00123456" / "evidence.json", course_key)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["verify", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def codes(result: Any) -> set[str]:
    return {problem.code for problem in result.problems}


def test_signed_real_bundle_verifies_with_the_public_key(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    assert envelope_path(signed).name == "evidence.intoto.jsonl"
    result = verify_file(lab, signed, public_key=course_key.public, expected_student="A00123456")
    assert result.verdict == SIGNED, result.named_failures()
    assert result.signer == course_key.public.key_id
    recorded = {r["id"]: r["outcome"] for r in real_document["steps"]}
    for verdict in result.steps:
        assert verdict.status == (SKIPPED if recorded[verdict.id] == "skipped" else SIGNED)


def test_signed_bundle_without_the_key_is_only_consistent(lab: Lab, signed: Path) -> None:
    """Nobody can check a signature without the public key: the bundle is unsigned for that verifier."""
    result = verify_file(lab, signed)
    assert result.verdict == CONSISTENT and not result.signed
    assert SIGNED not in {s.status for s in result.steps}


def test_one_byte_of_the_evidence_changed(lab: Lab, signed: Path, course_key: PrivateKey) -> None:
    original = signed.read_bytes()
    for edited in (
        original.replace(b"hello from alpine", b"hello from alpinf", 1),  # what a rule looks at
        original.replace(b'"name": "Ana', b'"name": "Eva', 1),  # the cover
        original.replace(b"\n", b" \n", 1),  # only whitespace: the signature covers the bytes
    ):
        assert edited != original and len(edited) - len(original) in (0, 1)
        signed.write_bytes(edited)
        result = verify_file(lab, signed, public_key=course_key.public)
        assert result.verdict == TAMPERED
        problem = next(p for p in result.problems if p.code == "signature")
        assert "the signature is for another evidence file" in problem.message


def test_forger_who_rechains_cannot_re_sign(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    document = copy.deepcopy(real_document)
    step(document, "run-echo")["transcript"]["text"] = "hello from alpine!"
    write(forge_chain(document), signed)
    result = verify_file(lab, signed, public_key=course_key.public)
    assert result.verdict == TAMPERED and "signature" in codes(result)


def test_envelope_of_another_students_bundle(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any], tmp_path: Path
) -> None:
    other = copy.deepcopy(real_document)
    other["student"]["id"] = "bea"
    bea = sign(forge_chain(other), tmp_path / "bea" / "evidence.json", course_key)
    shutil.copy(envelope_path(bea), envelope_path(signed))  # Ana's evidence, Bea's signed statement
    result = verify_file(lab, signed, public_key=course_key.public)
    assert result.verdict == TAMPERED
    assert "the signature is for another evidence file" in str(result.problems)


def test_signed_statement_that_does_not_say_what_the_file_says(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    """A statement naming this very file's digest, but another student and head, signed by the course."""
    import hashlib

    claimed = copy.deepcopy(real_document)
    claimed["student"]["id"] = "bea"
    claimed["chain"]["head"] = "0" * 64
    digest = hashlib.sha256(signed.read_bytes()).hexdigest()
    payload = evidence_statement(signed.name, digest, as_evidence(claimed))
    envelope = dsse.sign(dsse.IN_TOTO_PAYLOAD_TYPE, payload, course_key)
    envelope_path(signed).write_text(envelope.to_json(), encoding="utf-8")
    result = verify_file(lab, signed, public_key=course_key.public)
    assert result.verdict == TAMPERED
    message = next(p.message for p in result.problems if p.code == "signature")
    assert "does not say what the evidence says: student.id, chain.head" in message


def test_signature_by_another_key(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    student_key = PrivateKey.generate()
    sign_evidence_file(signed, student_key)
    result = verify_file(lab, signed, public_key=course_key.public)
    assert result.verdict == TAMPERED and not result.signed
    message = next(p.message for p in result.problems if p.code == "signature")
    assert f"not the course key's {course_key.public.key_id[:16]}" in message
    assert student_key.public.key_id[:16] in message


def test_envelope_payload_edited(lab: Lab, signed: Path, course_key: PrivateKey) -> None:
    envelope = json.loads(envelope_path(signed).read_text(encoding="utf-8"))
    envelope["payloadType"] = "application/json"  # the type is signed too (PAE)
    envelope_path(signed).write_text(json.dumps(envelope), encoding="utf-8")
    assert verify_file(lab, signed, public_key=course_key.public).verdict == TAMPERED
    envelope_path(signed).write_text("not json", encoding="utf-8")
    result = verify_file(lab, signed, public_key=course_key.public)
    assert result.verdict == TAMPERED and "envelope is unreadable" in str(result.problems)


def test_stripped_signature_with_the_public_key(
    capsys: pytest.CaptureFixture[str], lab: Lab, signed: Path, pubkey: Path
) -> None:
    envelope_path(signed).unlink()
    code, out, _ = run(capsys, signed, "--spec", lab.path, "--pubkey", pubkey)
    assert code == 1
    assert "not signed (no .intoto.jsonl beside it): with --pubkey" in out
    assert out.splitlines()[3].split()[-1] == ERROR
    code, _, err = run(capsys, signed, "--spec", lab.path, "--pubkey", pubkey, "--accept-unsigned")
    assert code == 2 and "--accept-unsigned cannot go with --pubkey" in err


def test_signed_bundle_replayed_under_another_name(
    capsys: pytest.CaptureFixture[str], lab: Lab, signed: Path, pubkey: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "entregas"
    shutil.copytree(signed.parent, folder / "A00123456")
    shutil.copytree(signed.parent, folder / "bea")  # Ana's signed bundle handed in by Bea
    code, out, _ = run(capsys, folder, "--spec", lab.path, "--pubkey", pubkey, "--ids-from-names")
    assert code == 1
    rows = {line.split()[0]: line for line in out.splitlines()[3:] if line and not line.startswith(" ")}
    assert "signed (key " in rows["A00123456"]
    assert rows["bea"].endswith("tampered")
    assert "the bundle is of student «A00123456», expected «bea»" in out


def test_replayed_bundle_with_the_student_id_rewritten(
    lab: Lab, signed: Path, course_key: PrivateKey, real_document: dict[str, Any], tmp_path: Path
) -> None:
    bea = tmp_path / "bea" / "evidence.json"
    shutil.copytree(signed.parent, bea.parent)
    document = copy.deepcopy(real_document)
    document["student"]["id"] = "bea"
    write(forge_chain(document), bea)
    result = verify_file(lab, bea, public_key=course_key.public, expected_student="bea")
    assert result.verdict == TAMPERED
    assert "the signature is for another evidence file" in str(result.problems)


def test_cli_signed_and_unsigned(
    capsys: pytest.CaptureFixture[str], lab: Lab, signed: Path, pubkey: Path, course_key: PrivateKey
) -> None:
    code, out, _ = run(capsys, signed, "--spec", lab.path, "--pubkey", pubkey)
    assert code == 0, out
    assert f"signed (key {course_key.public.key_id[:16]}…)" in out
    code, out, _ = run(capsys, signed, "--spec", lab.path)
    assert code == 1 and "consistent (unsigned)" in out and "passed" not in out
    code, _, _ = run(capsys, signed, "--spec", lab.path, "--accept-unsigned")
    assert code == 0


def test_a_public_key_that_is_not_one(
    capsys: pytest.CaptureFixture[str], lab: Lab, signed: Path, tmp_path: Path, course_key: PrivateKey
) -> None:
    private = tmp_path / "course.key"
    private.write_bytes(course_key.pem())
    for path, message in ((private, "not a public key in PEM"), (tmp_path / "none.pub", "cannot read")):
        code, _, err = run(capsys, signed, "--spec", lab.path, "--pubkey", path)
        assert code == 2 and message in err and "Traceback" not in err


SMALL_SPEC = Path(__file__).parent / "data" / "per-student"


def _echo_output(command: str) -> str:
    """The forger reads the spec and types what each command would print; nothing is run."""
    if command.startswith("mkdir"):
        return command.split("&& echo ", 1)[1].strip('"') + "\n"
    if "sha256sum" in command:
        return "token: 0123456789ab\n"
    return command.removeprefix("echo ").strip('"') + "\n"


def test_fabricated_output_only_bundle_is_consistent_never_passed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pubkey: Path
) -> None:
    from labcheck.spec.loader import load_lab
    from tests.verify.forge import forged_bundle

    small = load_lab(SMALL_SPEC)
    out = tmp_path / "mallory"
    out.mkdir()
    document = forged_bundle(small, "mallory", out, _echo_output)
    assert not (out / "work").joinpath(small.values_for_student("mallory")["lab_dir"]).exists()
    assert [r["outcome"] for r in document["steps"]] == ["passed"] * 3
    code, out_text, _ = run(capsys, out, "--spec", SMALL_SPEC, "--student-id", "mallory")
    assert code == 1
    assert "consistent (unsigned)" in out_text and "passed" not in out_text
    assert "which a forger can also achieve" in out_text
    code, out_text, _ = run(capsys, out, "--spec", SMALL_SPEC, "--pubkey", pubkey)
    assert code == 1 and "not signed" in out_text


def test_the_runner_signs_at_the_end_and_the_signature_holds(
    tmp_path: Path, course_key: PrivateKey, capsys: pytest.CaptureFixture[str], pubkey: Path
) -> None:
    """The per-student lab really run through the runner's EvidenceWriter with the course's key."""
    from labcheck.spec.loader import load_lab
    from tests.local_bundle import run_on_this_machine

    small = load_lab(SMALL_SPEC)
    out = tmp_path / "ana"
    out.mkdir()
    (out / "evidence.intoto.jsonl").write_text("an envelope of an older run\n", encoding="utf-8")
    run_on_this_machine(small, "ana", out, key=course_key)
    envelope = json.loads((out / "evidence.intoto.jsonl").read_text(encoding="utf-8"))
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    code, text, _ = run(capsys, out, "--spec", SMALL_SPEC, "--pubkey", pubkey, "--student-id", "ana")
    assert code == 0, text
    assert "summary: 1 signed (of 1)" in text


def test_a_signed_bundle_is_taken_as_recorded_unless_asked_to_judge_it_again(
    lab: Lab, tmp_path: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    """What the course CI signed is its verdict; --rejudge-signed checks labcheck against itself."""
    document = copy.deepcopy(real_document)
    record = step(document, "run-echo")
    record["transcript"]["text"] = "hello from somewhere else"  # as a faulty runner might record it
    path = sign(forge_chain(document), tmp_path / "evidence.json", course_key)
    result = verify_file(lab, path, public_key=course_key.public)
    assert result.verdict == SIGNED
    again = verify_file(lab, path, public_key=course_key.public, rejudge_signed=True)
    assert again.verdict == TAMPERED
    assert next(s for s in again.steps if s.id == "run-echo").status == TAMPERED


def test_a_signed_failed_step_names_the_checks_that_failed(
    lab: Lab, tmp_path: Path, course_key: PrivateKey, real_document: dict[str, Any]
) -> None:
    document = copy.deepcopy(real_document)
    record = step(document, "run-echo")
    record["outcome"] = "failed"
    output_check = next(c for c in record["checks"] if c["code"].startswith("output."))
    output_check.update(verdict="failed", observed="hola")
    path = sign(forge_chain(document), tmp_path / "evidence.json", course_key)
    result = verify_file(lab, path, public_key=course_key.public)
    assert result.verdict == "failed" and result.signed
    verdict = next(s for s in result.steps if s.id == "run-echo")
    rule = output_check["rule"]
    said = f"{rule['stream']} equals «{output_check['expected']}»"  # run-echo's rule: the whole output
    assert "equals" in rule and verdict.status == "failed" and verdict.reasons == (f"{said}: hola",)


def test_an_unreadable_envelope_is_said_in_the_locales_language(
    lab: Lab, signed: Path, course_key: PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_locale(monkeypatch, "es_ES.UTF-8")
    envelope = json.loads(envelope_path(signed).read_text(encoding="utf-8"))
    envelope["payload"] = "***"
    envelope_path(signed).write_text(json.dumps(envelope), encoding="utf-8")
    result = verify_file(lab, signed, public_key=course_key.public)
    message = next(p.message for p in result.problems if p.code == "signature")
    assert message == "el sobre de la firma es ilegible: su contenido (payload) no es base64 válido"
    envelope_path(signed).write_text("not json", encoding="utf-8")
    result = verify_file(lab, signed, public_key=course_key.public)
    message = next(p.message for p in result.problems if p.code == "signature")
    assert message == "el sobre de la firma es ilegible: no es un sobre JSON"
