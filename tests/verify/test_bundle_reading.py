"""Broken bundles: each gives one clear line naming the file and the fault, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from labcheck.errors import EvidenceError
from labcheck.evidence import model
from labcheck.evidence.published_schema import schema_text
from labcheck.evidence.reader import MAX_VALUE_DEPTH, EvidenceUnreadable, parse_evidence
from labcheck.spec.model import Lab
from labcheck.verify.bundle import BundleUnreadable, evidence_schema, read_bundle
from labcheck.verify.result import ERROR
from labcheck.verify.verifier import Verifier, VerifyOptions
from tests.catalog_words import other_language_in
from tests.cli_process import run_labcheck_in_both
from tests.verify.forge import write


def _unreadable(path: Path, **options: Any) -> str:
    with pytest.raises(BundleUnreadable) as caught:
        read_bundle(path, **options)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_real_bundle_reads(real_document: dict[str, Any], tmp_path: Path) -> None:
    """Read into the model, the real bundle says exactly what its JSON says, key for key."""
    assert model.to_document(read_bundle(write(real_document, tmp_path / "a.json"))) == real_document
    folder = write(real_document, tmp_path / "b" / "evidence.json").parent
    assert model.to_document(read_bundle(folder)) == real_document


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("esto no es JSON\n", encoding="utf-8")
    assert "not JSON (line 1, column 1" in _unreadable(path)


def test_truncated(real_document: dict[str, Any], tmp_path: Path) -> None:
    path = write(real_document, tmp_path / "a.json")
    raw = path.read_bytes()
    for cut in (len(raw) // 2, len(raw) - 2, 40):
        path.write_bytes(raw[:cut])
        message = _unreadable(path)
        assert "truncated JSON" in message or "not UTF-8" in message  # a cut may split a character


def test_huge(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing read
    assert "too big (60.0 MB; the limit is 50.0 MB" in _unreadable(path)
    assert "too big" in _unreadable(path, max_bytes=1024)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"format": "\xff"}')
    assert "not UTF-8 text (byte 12, on line 1)" in _unreadable(path)


def test_missing(tmp_path: Path) -> None:
    assert "cannot read it" in _unreadable(tmp_path / "nada.json")


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d.__setitem__("steps", "many"), "steps: expected a list, found the string 'many'"),
        (
            lambda d: d["steps"][3].__setitem__("exit_code", "0"),
            "steps[3].exit_code: expected an integer or null, found the string '0'",
        ),
        (
            lambda d: d["steps"][0].__setitem__("outcome", "aprobado"),
            "steps[0].outcome: expected one of 'error', 'failed', 'passed', 'skipped', found the string",
        ),
        (
            lambda d: d["chain"].__setitem__("head", "xyz"),
            "chain.head: expected a string matching ^[0-9a-f]{64}$, found the string 'xyz'",
        ),
        (lambda d: d["steps"][1].pop("transcript"), "steps[1]: the key 'transcript' is missing"),
        (
            lambda d: d.__setitem__("extra", 1),
            "(top level): unknown key 'extra' (not part of the evidence format)",
        ),
        (
            lambda d: d["summary"].__setitem__("passed", True),
            "summary.passed: expected an integer, found true",
        ),
    ],
)
def test_wrong_types(real_document: dict[str, Any], tmp_path: Path, edit: Any, where: str) -> None:
    document = json.loads(json.dumps(real_document))
    edit(document)
    message = _unreadable(write(document, tmp_path / "a.json"))
    assert "does not follow the evidence format" in message and where in message


def test_not_an_object_nor_evidence(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert "not an object" in _unreadable(path)
    path.write_text('{"format": "otra-cosa"}', encoding="utf-8")
    assert "not a labcheck evidence file" in _unreadable(path)


def test_deeply_nested(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "cannot be read" in _unreadable(path)


def test_verifier_reports_unreadable_as_error(lab: Lab, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("{", encoding="utf-8")
    result = Verifier(lab, VerifyOptions()).verify_path(path, "alice")
    assert result.verdict == ERROR
    assert result.error is not None and "truncated JSON" in result.error
    assert issubclass(BundleUnreadable, EvidenceError)


def _mutations(document: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every container in the document, with a key removed or a value replaced by a wrong type."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield (*path, key), "drop"
            yield (*path, key), "wrong"
            yield from _mutations(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document[:3]):
            yield (*path, index), "wrong"
            yield from _mutations(value, (*path, index))


def test_the_shipped_schema_is_the_one_the_model_generates() -> None:
    schema_file = Path(__file__).parents[2] / "labcheck" / "evidence" / "schema.json"
    shipped = schema_file.read_text(encoding="utf-8")
    assert shipped == schema_text(), "run: python -m labcheck.evidence.published_schema"


def _model_accepts(document: dict[str, Any]) -> bool:
    try:
        parse_evidence(json.dumps(document).encode(), "mutated.json")
    except EvidenceUnreadable:
        return False
    return True


def test_the_model_and_the_published_schema_agree_on_every_mutation(real_document: dict[str, Any]) -> None:
    """The schema users validate against says exactly what the reader enforces: each key dropped
    and each value given a wrong type is refused by both or by neither."""
    validator = Draft202012Validator(evidence_schema())
    # A few steps hold every kind of record (output and state checks, a skipped step's reason);
    # the other steps of the real evidence would only cost time.
    steps = real_document["steps"]
    state = next(s for s in steps if any(c["code"].startswith("state.") for c in s["checks"]))
    skipped = next(s for s in steps if s["outcome"] == "skipped")
    small = {**real_document, "steps": [*steps[:2], state, skipped]}
    assert _model_accepts(small) and validator.is_valid(small)
    tried = refused = 0
    for path, how in _mutations(small):
        document = json.loads(json.dumps(small))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if how == "drop":
            del parent[path[-1]]
        else:
            old = parent[path[-1]]
            parent[path[-1]] = 7 if isinstance(old, str) else "seven"
        tried += 1
        accepted = _model_accepts(document)
        refused += not accepted
        assert accepted == validator.is_valid(document), path
    assert tried > 500 and refused > 300


def test_a_wrong_value_is_named_by_its_place(real_document: dict[str, Any], tmp_path: Path) -> None:
    document = json.loads(json.dumps(real_document))
    document["steps"][3]["duration_s"] = "tres segundos"
    message = _unreadable(write(document, tmp_path / "a.json"))
    assert "steps[3].duration_s: expected a number or null, found the string 'tres segundos'" in message
    document = json.loads(json.dumps(real_document))
    document["steps"][0]["checks"][0]["secreto"] = 1
    message = _unreadable(write(document, tmp_path / "b.json"))
    assert "steps[0].checks[0]: unknown key 'secreto' (not part of the evidence format)" in message


def test_a_check_with_the_authors_words_is_evidence(real_document: dict[str, Any], tmp_path: Path) -> None:
    """`says` is written by the runner when a rule carries it: the format must accept it."""
    document = json.loads(json.dumps(real_document))
    document["steps"][0]["checks"][0]["says"] = "la orden termina bien"
    says = read_bundle(write(document, tmp_path / "a.json")).steps[0].checks[0].says
    assert says == "la orden termina bien"


def test_evidence_of_format_1_is_refused_with_how_to_get_format_2(
    real_document: dict[str, Any], tmp_path: Path
) -> None:
    document = {**real_document, "format_version": 1}
    message = _unreadable(write(document, tmp_path / "old.json"))
    assert "format_version is 1" in message and "reads evidence format 2" in message
    assert "run the lab again" in message


def _nested(levels: int) -> Any:
    value: Any = "fondo"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("where", ["rule", "expected", "observed"])
def test_open_values_nest_to_the_limit_and_no_further(
    real_document: dict[str, Any], tmp_path: Path, where: str
) -> None:
    """The quick check (orjson, in C) and the walk that names the place agree on the limit."""
    document = json.loads(json.dumps(real_document))
    check = document["steps"][1]["checks"][0]
    check[where] = {"deep": _nested(MAX_VALUE_DEPTH - 1)} if where == "rule" else _nested(MAX_VALUE_DEPTH)
    assert read_bundle(write(document, tmp_path / "deep.json")).steps[1].checks[0].verdict
    check[where] = {"deep": _nested(MAX_VALUE_DEPTH)} if where == "rule" else _nested(MAX_VALUE_DEPTH + 1)
    message = _unreadable(write(document, tmp_path / "deeper.json"))
    assert f"steps[1].checks[0].{where}" in message
    assert f"nested too deeply (more than {MAX_VALUE_DEPTH} levels)" in message


def test_open_values_hold_64_bit_integers_and_no_longer(
    real_document: dict[str, Any], tmp_path: Path
) -> None:
    document = json.loads(json.dumps(real_document))
    check = document["steps"][2]["checks"][0]
    check["observed"] = [2**64 - 1, -(2**63)]
    assert (
        read_bundle(write(document, tmp_path / "big.json")).steps[2].checks[0].observed == check["observed"]
    )
    check["observed"] = [1, 2**64]
    message = _unreadable(write(document, tmp_path / "bigger.json"))
    assert "steps[2].checks[0].observed[1]: a number of 20 digits is too large" in message


def test_what_is_wrong_inside_an_evidence_is_said_in_the_locales_language(
    real_document: dict[str, Any], tmp_path: Path
) -> None:
    """`labcheck report` of a bundle edited by hand: the fault, named by its place, in one language."""
    document = json.loads(json.dumps(real_document))
    document["steps"][3]["exit_code"] = "0"
    document["steps"][1].pop("transcript")
    bundle = write(document, tmp_path / "a.json")
    spanish, english = run_labcheck_in_both("report", str(bundle), "-o", str(tmp_path / "out"), "--no-pdf")
    assert spanish.returncode == english.returncode == 2
    assert "no sigue el formato de la evidencia: " in spanish.stderr, spanish.stderr
    assert "steps[1]: falta la clave 'transcript'" in spanish.stderr
    assert (
        "steps[3].exit_code: se esperaba un número entero o null, pero se encontró el texto '0'"
        in spanish.stderr
    )
    assert "steps[3].exit_code: expected an integer or null, found the string '0'" in english.stderr
    assert other_language_in(spanish.stderr, "es") == [], spanish.stderr
