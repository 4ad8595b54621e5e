"""Every bundled lab gives, in English too, each text of its spec that the report prints.

`labcheck report --lang en` takes a lab's English from its bundled spec; a text given in one language
only stays in that language in the English report. This reads the spec files (no Docker), and
names every text left, with its place, so nothing is passed over in silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from labcheck.bundled import bundled_spec_files
from labcheck.spec.loader import load_lab
from labcheck.spec.texts import LocalText

LANGUAGE = "en"


def _printed_texts(spec: Path) -> Iterator[tuple[str, str | None]]:
    """(where, text) for each text of the spec the report prints: titles, explanations, the lab's
    and its nodes' descriptions, hints and the author's words for a rule or an `until` (`says`,
    `description`)."""
    lab = load_lab(spec)
    yield "lab.title", lab.title
    yield "lab.description", lab.description
    for node in lab.node_specs:
        yield f"node {node.name} description", node.description
    for section in lab.sections:
        yield f"section {section.number} title", section.title
        yield f"section {section.number} explanation", section.explanation
        for step in section.steps:
            where = f"{step.location} (step {step.id})"
            yield f"{where} title", step.title
            yield f"{where} explanation", step.explanation
            yield f"{where} hint", step.hint
            for rule in (*step.matchers, *step.state_checks):
                yield f"{rule.location} says", rule.says
                yield f"{rule.location} description", rule.description
            if step.until is not None:
                yield f"{step.until.location} says", step.until.says


def _without_english(spec: Path) -> list[str]:
    return [
        f"{where}: {text[:60]!r}"
        for where, text in _printed_texts(spec)
        if text is not None and not (isinstance(text, LocalText) and LANGUAGE in text.texts)
    ]


BUNDLED = bundled_spec_files()


def test_the_bundled_labs_are_found() -> None:
    # Not a vacuous pass: the labs this was written for are among those checked below.
    assert {spec.parent.name for spec in BUNDLED} >= {"ops-stage1", "docker-volumes"}


@pytest.mark.parametrize("spec", BUNDLED, ids=[spec.parent.name for spec in BUNDLED])
def test_every_text_the_report_prints_has_an_english_version(spec: Path) -> None:
    assert _without_english(spec) == []


def test_a_text_in_one_language_only_is_found(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(
        """\
labcheck: 1
lab: {id: tiny, title: {es: Mínimo, en: Minimal}, language: es, version: "1"}
sections:
  - number: "1"
    title: {es: Pasos, en: Steps}
    steps:
      - id: hello
        title: {es: Saludo, en: Greeting}
        hint: Solo en español.
        run: echo hola
        expect:
          output: [{contains: hola, says: {es: sale hola}}]
""",
        encoding="utf-8",
    )
    found = _without_english(spec)
    assert [entry.split(": ")[0].rsplit(" ", 1)[-1] for entry in found] == ["hint", "says"]
    assert "'Solo en español.'" in found[0]
