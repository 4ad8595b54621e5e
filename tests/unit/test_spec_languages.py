"""A spec's titles and explanations in several languages; a plain string stays valid."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from msgspec import structs

from labcheck import i18n
from labcheck.errors import SpecInvalid
from labcheck.evidence.reader import read_evidence
from labcheck.evidence.spec_copy import lab_header, spec_sections
from labcheck.report.spec_texts import localized
from labcheck.runner.records import step_record
from labcheck.runner.step_result import StepResult
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from labcheck.spec.texts import in_language
from tests.real_evidence import EVIDENCE

BILINGUAL = """\
labcheck: 1
lab:
  id: tiny
  title: {es: Mínimo, en: Minimal}
  description: {es: "Un laboratorio *pequeño*.", en: "A *small* lab."}
  language: es
  version: "1"
sections:
  - number: "1"
    title: {es: Primeros pasos, en: First steps}
    explanation: Solo en español.
    steps:
      - id: hello
        title: {en: Greeting, es: Saludo}
        explanation: {es: Dice hola., en: It says hello.}
        run: echo hola
        expect:
          exit_code: 0
"""


def _load(tmp_path: Path, text: str) -> Lab:
    path = tmp_path / "lab.yaml"
    path.write_text(text, encoding="utf-8")
    return load_lab(path)


def test_texts_in_two_languages_read_in_the_labs_own_and_keep_the_other(tmp_path: Path) -> None:
    lab = _load(tmp_path, BILINGUAL)
    section, step = lab.sections[0], lab.steps[0]
    # Everything that prints or stores a title sees the lab's language (es) as a plain string.
    assert (lab.title, section.title, step.title, step.explanation) == (
        "Mínimo",
        "Primeros pasos",
        "Saludo",
        "Dice hola.",
    )
    assert [in_language(text, "en") for text in (lab.title, lab.description, section.title, step.title)] == [
        "Minimal",
        "A *small* lab.",
        "First steps",
        "Greeting",
    ]
    # A plain string is the same in every language.
    assert in_language(section.explanation, "en") == "Solo en español."


def test_a_language_text_that_is_not_text_names_its_line(tmp_path: Path) -> None:
    broken = BILINGUAL.replace("title: {es: Primeros pasos, en: First steps}", "title: {es: [], en: First}")
    with pytest.raises(SpecInvalid) as caught:
        _load(tmp_path, broken)
    lines = {problem.line for problem in caught.value.problems}
    assert 10 in lines


def test_evidence_of_a_lab_not_bundled_keeps_its_own_words() -> None:
    evidence = read_evidence(EVIDENCE)
    # The lab's own language: the evidence itself, not a copy.
    assert localized(evidence, evidence.lab.language) is evidence
    # No bundled spec to take other languages from: the recorded words stay.
    unknown = structs.replace(evidence, lab=structs.replace(evidence.lab, id="not-bundled"))
    english = localized(unknown, "en")
    assert english.lab.title == evidence.lab.title
    assert [step.title for step in english.steps] == [step.title for step in evidence.steps]


def test_the_evidence_stores_the_text_in_the_labs_language(tmp_path: Path) -> None:
    lab = _load(tmp_path, BILINGUAL)
    header = msgspec.json.decode(msgspec.json.encode(lab_header(lab)))
    sections = msgspec.json.decode(msgspec.json.encode(spec_sections(lab)))
    assert (header["title"], header["description"]) == ("Mínimo", "Un laboratorio *pequeño*.")
    assert sections[0]["title"] == "Primeros pasos"


HINTED = BILINGUAL.replace(
    "        run: echo hola\n        expect:\n          exit_code: 0\n",
    """\
        hint: {es: "Revisa el eco.", en: "Check the echo."}
        run: echo hola
        expect:
          exit_code: 0
          output:
            - {contains: hola, says: {es: el saludo sale, en: the greeting shows}}
""",
)


def test_a_hint_and_a_rules_own_words_come_in_two_languages(tmp_path: Path) -> None:
    step = _load(tmp_path, HINTED).steps[0]
    assert (step.hint, step.matchers[0].says) == ("Revisa el eco.", "el saludo sale")
    assert in_language(step.hint, "en") == "Check the echo."
    assert in_language(step.matchers[0].says, "en") == "the greeting shows"


def test_a_failed_steps_terminal_report_gives_its_title_and_hint_in_the_locales_language(
    tmp_path: Path,
) -> None:
    step = _load(tmp_path, HINTED).steps[0]
    record = step_record(
        step,
        outcome="failed",
        reason=None,
        result=None,
        checks=[],
        attempts=1,
        command=step.run,
        workdir=step.workdir,
        typed=(),
        streams=None,
        values={},
    )
    # The evidence keeps the lab's language only, as plain text.
    stored = msgspec.json.decode(msgspec.json.encode(record))
    assert (stored["title"], stored["hint"]) == ("Saludo", "Revisa el eco.")
    result = StepResult(step.id, "failed", None, record, [], step.title, step.hint)
    english = result.failure_report(i18n.translator("en"))
    spanish = result.failure_report(i18n.translator("es"))
    assert "«Greeting»" in english and "Hint: Check the echo." in english
    assert "Saludo" not in english and "Revisa" not in english
    assert "«Saludo»" in spanish and "Revisa el eco." in spanish and "Check the echo" not in spanish


def test_an_until_in_the_authors_words_comes_in_the_reports_language() -> None:
    # The bundled swarm-compose-secrets lab says in both languages what its `service-logs` step
    # waits for; a recorded until check with the Spanish words reads in English in an English report.
    evidence = read_evidence(EVIDENCE)
    first = evidence.steps[0]
    until = structs.replace(
        first.checks[0], code="until.matches", stream="output", says="el secreto sale dos veces"
    )
    logs = structs.replace(first, id="service-logs", checks=[until])
    swarm = structs.replace(
        evidence,
        lab=structs.replace(evidence.lab, id="swarm-compose-secrets"),
        steps=[logs],
    )
    assert [check.says for check in localized(swarm, "en").steps[0].checks] == ["the secret shows twice"]
    assert [check.says for check in localized(swarm, "es").steps[0].checks] == ["el secreto sale dos veces"]


def test_an_untils_words_in_two_languages_are_stored_in_the_labs(tmp_path: Path) -> None:
    lab = _load(
        tmp_path,
        BILINGUAL.replace(
            "        run: echo hola\n        expect:\n          exit_code: 0\n",
            "        run: echo hola\n"
            '        until: {contains: hola, says: {es: "sale hola", en: "hello shows"}}\n'
            "        expect:\n"
            "          output: [{contains: hola}]\n",
        ),
    )
    until = lab.steps[0].until
    assert until is not None and until.says == "sale hola"
    assert in_language(until.says, "en") == "hello shows"
