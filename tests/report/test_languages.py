"""One evidence, two reports: the real run of the bundled lab in Spanish (its own language) and English."""

from __future__ import annotations

import base64
import copy
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from labcheck import catalogs
from tests.real_evidence import EVIDENCE
from tests.report.conftest import render

ROOT = Path(__file__).resolve().parents[2]


def visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_lab_language_is_the_default_and_lang_overrides(evidence: dict[str, Any], tmp_path: Path) -> None:
    spanish = visible_text(render(evidence, tmp_path / "es", pdf=False).html)
    english = visible_text(render(evidence, tmp_path / "en", pdf=False, language="en").html)
    for words in (
        "Resumen",
        "Pasos superados: 50 de 51",
        "Qué se comprobó",
        "el comando termina bien",
        "1 omitido",
        "Fecha de ejecución",
    ):
        assert words in spanish, words
    for words in (
        "Summary",
        "Steps passed: 50 of 51",
        "What was checked",
        "the command ends well",
        "1 skipped",
        "Date of the run",
    ):
        assert words in english, words
    assert "Resumen" not in english and "Summary" not in spanish
    # A reason is a code in the evidence, said in the report's language (the skipped vote-page).
    assert "Motivo: este motor no ofrece «routing_mesh»: el núcleo de este equipo no tiene IPVS" in spanish
    assert "Reason: this engine has no 'routing_mesh': this kernel has no IPVS" in english
    assert "this kernel" not in spanish


def _neutral(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence with every text people wrote (the lab's, the student's, the terminal's) made one
    neutral word: what is left in the report is labcheck's own words, the reasons (stored as codes
    and put into words by the report) among them."""
    data = copy.deepcopy(evidence)
    data["lab"].update(title="X", description="X")
    data["student"].update(name="X", group="X")
    for section in data["spec"]["sections"]:
        section.update(title="X", explanation="X")
    for step in data["steps"]:
        step.update(title="X", explanation="X", hint="X")
        step["transcript"] = {"raw_b64": base64.b64encode(b"X\n").decode(), "text": "X\n"}
        for check in step["checks"]:
            check.pop("says", None)
    return data


def test_no_spanish_word_in_the_english_fixed_text(evidence: dict[str, Any], tmp_path: Path) -> None:
    english = visible_text(render(_neutral(evidence), tmp_path, pdf=False, language="en").html)
    words_of = lambda texts: {w.lower() for t in texts for w in re.findall(r"[^\W\d_]{4,}", t)}  # noqa: E731
    english_words = words_of(
        form for entry in catalogs.read_catalog("en") for form in (*entry.translations, entry.message.msgid)
    )
    spanish_only = words_of(form for entry in catalogs.read_catalog("es") for form in entry.translations)
    spanish_only -= english_words
    assert len(spanish_only) > 100  # "salida", "comprobó", "superados", ...
    found = words_of([english]) & spanish_only
    assert found == set()
    assert "Steps passed" in english  # and it is a report


def test_the_same_evidence_renders_a_pdf_in_each_language(evidence: dict[str, Any], tmp_path: Path) -> None:
    spanish = render(EVIDENCE, tmp_path / "es")
    english = render(EVIDENCE, tmp_path / "en", language="en")
    assert "Resumen" in spanish.text and "Qué se comprobó" in spanish.text
    assert "Summary" in english.text and "What was checked" in english.text
    assert 'lang="en"' in english.html and 'lang="es"' in spanish.html


def _report_cli(tmp_path: Path, locale: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    env["LANG"] = locale
    return subprocess.run(
        [sys.executable, "-m", "labcheck", "report", str(EVIDENCE), "-o", str(tmp_path), "--no-pdf", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("locale", "said"),
    [("es_ES.UTF-8", "informe HTML: "), ("C", "HTML report: "), ("C.UTF-8", "HTML report: ")],
)
def test_the_command_line_speaks_the_locale_and_the_report_the_lab(
    tmp_path: Path, locale: str, said: str
) -> None:
    done = _report_cli(tmp_path, locale)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(said)
    # Whatever the locale, the report is in the lab's language (Spanish) unless --lang says otherwise.
    assert "Qué se comprobó" in (tmp_path / "informe.html").read_text(encoding="utf-8")
    done = _report_cli(tmp_path, locale, "--lang", "en")
    assert "What was checked" in (tmp_path / "informe.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", ["es_ES.UTF-8", "C"])
def test_an_unknown_report_language_is_a_usage_error(tmp_path: Path, locale: str) -> None:
    done = _report_cli(tmp_path, locale, "--lang", "fr")
    assert done.returncode == 2
    said = {
        "C": "labcheck: --lang fr: labcheck writes reports in these languages only: en, es",
        "es_ES.UTF-8": "labcheck: --lang fr: labcheck solo escribe informes en estos idiomas: en, es",
    }[locale]
    assert said in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "informe.html").exists()


def test_the_bundled_lab_titles_come_in_the_report_language(evidence: dict[str, Any], tmp_path: Path) -> None:
    """The evidence records the lab's Spanish; the bundled spec gives its English too."""
    english = visible_text(render(evidence, tmp_path / "en", pdf=False, language="en").html)
    spanish = visible_text(render(evidence, tmp_path / "es", pdf=False).html)
    for words in (
        "Docker, stage one: containers, images and Swarm",
        "First containers with Alpine Linux",
        "Step 1.0.a: Run hello-world",
        "Swarm mode",
        "Deploy voting_stack",
    ):
        assert words in english and words not in spanish, words
    for words in (
        "Docker, primera etapa",
        "Primeros contenedores con Alpine Linux",
        "Paso 1.0.a: Ejecutar hello-world",
    ):
        assert words in spanish and words not in english, words


def test_a_text_the_evidence_recorded_otherwise_keeps_its_own_words(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    changed = copy.deepcopy(evidence)
    changed["steps"][0]["title"] = "Ejecutar hello-world otra vez"  # not the bundled spec's text
    english = visible_text(render(changed, tmp_path, pdf=False, language="en").html)
    assert "Step 1.0.a: Ejecutar hello-world otra vez" in english
    assert "Step 1.1.a: Pull the alpine image" in english


def test_the_students_own_report_gets_labchecks_words_in_the_report_language(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    student_file = ROOT / "tests" / "data" / "student-report" / "mi-informe.md"
    english = visible_text(
        render(evidence, tmp_path / "en", pdf=False, language="en", from_markdown=student_file).html
    )
    spanish = visible_text(render(evidence, tmp_path / "es", pdf=False, from_markdown=student_file).html)
    assert "Student report" in english and "Output labcheck recorded: step 1.0.a" in english
    assert "Sustituye a la captura" not in english and "Summary of the check" in english
    assert "Informe del estudiante" in spanish and "Salida registrada por labcheck: paso 1.0.a" in spanish


def test_a_cut_text_is_marked_in_the_report_language(evidence: dict[str, Any], tmp_path: Path) -> None:
    changed = copy.deepcopy(evidence)
    changed["steps"][0]["title"] = "Ejecutar hello-world " + "x" * 1000  # longer than a title may print
    english = visible_text(render(changed, tmp_path / "en", pdf=False, language="en").html)
    spanish = visible_text(render(changed, tmp_path / "es", pdf=False).html)
    assert "(text cut: 721 more characters in the evidence)" in english
    assert "texto cortado" not in english
    assert "(texto cortado: 721 caracteres más en la evidencia)" in spanish


def test_the_bundled_labs_explanations_and_hints_come_in_the_report_language(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    """The evidence keeps the Spanish; the English report takes the spec's English, the hint too
    (a hint shows on a failed step)."""
    failed = copy.deepcopy(evidence)
    failed["steps"][0]["outcome"] = "failed"
    assert failed["steps"][0]["hint"].startswith("Si no aparece")
    english = visible_text(render(failed, tmp_path / "en", pdf=False, language="en").html)
    spanish = visible_text(render(failed, tmp_path / "es", pdf=False).html)
    for words in (
        "The engine looks for the hello-world image on the machine.",
        "If «Hello from Docker!» does not appear, check that the Docker engine is running",
        "In this part we meet the Docker engine",
        "Swarm mode gathers several nodes into a cluster",
    ):
        assert words in english and words not in spanish, words
    for words in ("El motor busca la imagen hello-world", "Si no aparece «Hello from Docker!»"):
        assert words in spanish and words not in english, words
