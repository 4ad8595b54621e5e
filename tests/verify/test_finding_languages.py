"""`labcheck verify`'s findings in the command line's language (English by default, Spanish under a
Spanish locale); what machines read (problem codes, step statuses, verdicts, JSON fields) is the same
in both."""

from __future__ import annotations

from typing import Any

import pytest

from labcheck.spec.model import Lab
from labcheck.verify.result import TAMPERED
from tests.locale_env import ENGLISH, SPANISH
from tests.verify.forge import forge_chain, reasons, step, verdict_of, verify

# Each finding's words in each locale: a test finds its own and not the other's.
EDITED_TRANSCRIPT = {
    ENGLISH: "its record does not match the hash chain (edited, or the step before it removed)",
    SPANISH: "su registro no coincide con la cadena de hashes (editado, o se quitó el paso anterior)",
}
FORGED_PASS = {
    ENGLISH: "recorded as passed, but judged again: output contains «Hello from Docker!»: got «",
    SPANISH: (
        "registrado como superado, pero juzgado de nuevo: output contiene «Hello from Docker!»: se obtuvo «"
    ),
}
WRONG_LAB = {
    ENGLISH: "the bundle is for lab «another-lab», not «ops-stage1»",
    SPANISH: "la entrega es del laboratorio «another-lab», no de «ops-stage1»",
}
UNPROVEN = {
    ENGLISH: "state check only the bundle's word (unsigned): image ",
    SPANISH: "comprobación de estado que solo avala la entrega (sin firmar): image ",
}


@pytest.fixture(params=[ENGLISH, SPANISH], ids=["en", "es"])
def locale(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", request.param)
    return str(request.param)


def _other(said: dict[str, str], locale: str) -> str:
    return next(words for key, words in said.items() if key != locale)


def test_an_edited_transcript_is_named_in_the_locales_language(
    lab: Lab, doc: dict[str, Any], locale: str
) -> None:
    record = step(doc, "run-echo")
    record["transcript"]["text"] = record["transcript"]["text"].replace("hello", "hellp", 1)
    result = verify(lab, doc)
    assert verdict_of(result, "run-echo").status == TAMPERED and result.verdict == TAMPERED
    said = reasons(result, "run-echo")
    assert EDITED_TRANSCRIPT[locale] in said
    assert _other(EDITED_TRANSCRIPT, locale) not in said


def test_a_forged_pass_names_the_rule_in_the_locales_language(
    lab: Lab, doc: dict[str, Any], locale: str
) -> None:
    record = step(doc, "hello-world")
    record["transcript"]["text"] = record["transcript"]["text"].replace("Hello from Docker!", "Hello!")
    forge_chain(doc)
    result = verify(lab, doc, rerender=False)
    assert verdict_of(result, "hello-world").status == TAMPERED
    said = reasons(result, "hello-world")
    assert FORGED_PASS[locale] in said
    assert _other(FORGED_PASS, locale) not in said


def test_a_bundle_problem_changes_words_not_its_code(lab: Lab, doc: dict[str, Any], locale: str) -> None:
    doc["lab"]["id"] = "another-lab"
    result = verify(lab, doc)
    wrong = next(problem for problem in result.problems if problem.code == "wrong-lab")
    assert wrong.message == WRONG_LAB[locale]
    as_json = wrong.to_json()
    assert set(as_json) == {"code", "step", "message", "tampering"}
    assert (as_json["code"], as_json["tampering"], result.verdict) == ("wrong-lab", True, TAMPERED)


def test_what_only_a_signature_proves_is_said_in_the_locales_language(
    lab: Lab, doc: dict[str, Any], locale: str
) -> None:
    result = verify(lab, doc)
    hello = verdict_of(result, "hello-world")
    assert hello.status == "consistent"  # the status is a code, in any locale
    assert hello.reasons[0].startswith(UNPROVEN[locale])
