"""A spec's titles and explanations in several languages; a plain string stays valid."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from msgspec import structs

from labcheck.errors import SpecInvalid
from labcheck.evidence.reader import read_evidence
from labcheck.evidence.spec_copy import lab_header, spec_sections
from labcheck.report.spec_texts import localized
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
