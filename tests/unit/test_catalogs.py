"""labcheck's gettext catalogs: complete in English and Spanish, compiled as committed, plurals right."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from labcheck import catalogs
from labcheck.i18n import locale_language, translator


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_every_message_of_the_sources_is_translated(language: str) -> None:
    messages = catalogs.source_messages()
    assert len(messages) > 150  # the report, the phrases of the checks, the command line
    assert catalogs.problems(language, messages) == []


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_committed_mo_is_the_po_compiled(language: str) -> None:
    entries = catalogs.read_catalog(language)
    assert catalogs.mo_path(language).read_bytes() == catalogs.mo_bytes(language, entries), (
        "run: python -m labcheck.catalogs"
    )


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_gnu_msgfmt_reads_the_catalog_as_labcheck_does(language: str, tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    theirs = tmp_path / "labcheck.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(theirs), str(catalogs.po_path(language))], check=True)
    with theirs.open("rb") as gnu, catalogs.mo_path(language).open("rb") as ours:
        expected = gettext.GNUTranslations(gnu)
        found = gettext.GNUTranslations(ours)
    assert found._catalog == expected._catalog  # type: ignore[attr-defined]
    assert found.plural(1) == expected.plural(1) == 0
    assert found.plural(0) == expected.plural(0) == 1


COUNTED = [
    # (singular, plural) as the sources say it; Spanish and English for 0, 1 and 2
    (("layer", "layers"), ("0 capas", "1 capa", "2 capas"), ("0 layers", "1 layer", "2 layers")),
    (
        ("manager", "managers"),
        ("0 administradores", "1 administrador", "2 administradores"),
        ("0 managers", "1 manager", "2 managers"),
    ),
    (
        ("worker", "workers"),
        ("0 trabajadores", "1 trabajador", "2 trabajadores"),
        ("0 workers", "1 worker", "2 workers"),
    ),
    (("node", "nodes"), ("0 nodos", "1 nodo", "2 nodos"), ("0 nodes", "1 node", "2 nodes")),
    (
        ("service", "services"),
        ("0 servicios", "1 servicio", "2 servicios"),
        ("0 services", "1 service", "2 services"),
    ),
    (
        ("requested replica", "requested replicas"),
        ("0 réplicas pedidas", "1 réplica pedida", "2 réplicas pedidas"),
        ("0 requested replicas", "1 requested replica", "2 requested replicas"),
    ),
    (("ready", "ready"), ("0 listos", "1 listo", "2 listos"), ("0 ready", "1 ready", "2 ready")),
    (("step", "steps"), ("0 pasos", "1 paso", "2 pasos"), ("0 steps", "1 step", "2 steps")),
    (("line", "lines"), ("0 líneas", "1 línea", "2 líneas"), ("0 lines", "1 line", "2 lines")),
    (
        ("attempt", "attempts"),
        ("0 intentos", "1 intento", "2 intentos"),
        ("0 attempts", "1 attempt", "2 attempts"),
    ),
    (
        ("skipped", "skipped"),
        ("0 omitidos", "1 omitido", "2 omitidos"),
        ("0 skipped", "1 skipped", "2 skipped"),
    ),
    (("failed", "failed"), ("0 fallidos", "1 fallido", "2 fallidos"), ("0 failed", "1 failed", "2 failed")),
    (
        ("more character", "more characters"),
        ("0 caracteres más", "1 carácter más", "2 caracteres más"),
        ("0 more characters", "1 more character", "2 more characters"),
    ),
    (("failure", "failures"), ("0 fallos", "1 fallo", "2 fallos"), ("0 failures", "1 failure", "2 failures")),
    (
        ("character", "characters"),
        ("0 caracteres", "1 carácter", "2 caracteres"),
        ("0 characters", "1 character", "2 characters"),
    ),
    (
        ("distinct value", "distinct values"),
        ("0 valores distintos", "1 valor distinto", "2 valores distintos"),
        ("0 distinct values", "1 distinct value", "2 distinct values"),
    ),
    (
        ("step was not run and does not count as passed", "steps were not run and do not count as passed"),
        (
            "0 pasos no se ejecutaron y no cuentan como superados",
            "1 paso no se ejecutó y no cuenta como superado",
            "2 pasos no se ejecutaron y no cuentan como superados",
        ),
        (
            "0 steps were not run and do not count as passed",
            "1 step was not run and does not count as passed",
            "2 steps were not run and do not count as passed",
        ),
    ),
]


@pytest.mark.parametrize(("pair", "spanish", "english"), COUNTED)
def test_counted_nouns_agree_on_zero_one_and_two(
    pair: tuple[str, str], spanish: tuple[str, str, str], english: tuple[str, str, str]
) -> None:
    assert tuple(translator("es").counted(n, *pair) for n in (0, 1, 2)) == spanish
    assert tuple(translator("en").counted(n, *pair) for n in (0, 1, 2)) == english


def test_a_plural_with_its_number_inside_agrees_in_both_languages() -> None:
    for language, said in (
        ("es", ("comparte su primera capa con x", "comparte sus 2 primeras capas con x")),
        ("en", ("shares its first layer with x", "shares its first 2 layers with x")),
    ):
        t = translator(language)
        forms = [
            t.ngettext("shares its first layer with {ref}", "shares its first {count} layers with {ref}", n)
            for n in (1, 2)
        ]
        assert tuple(form.format(count=n, ref="x") for form, n in zip(forms, (1, 2), strict=True)) == said


def test_large_numbers_are_grouped_each_language_its_way() -> None:
    assert translator("es").counted(12_345, "line", "lines") == "12\u00a0345 líneas"
    assert translator("en").counted(12_345, "line", "lines") == "12,345 lines"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # no French catalog: English, never a mix
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "es_MX.UTF-8"}, "es"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "C"}, "en"),
        # gettext's order, which argparse's words follow: LANGUAGE first, a colon list, C stops it.
        ({"LANG": "es_ES.UTF-8", "LANGUAGE": "en"}, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "es"}, "es"),
        ({"LANGUAGE": "fr:es", "LANG": "en_US.UTF-8"}, "es"),  # no French catalog: the next one
        ({"LANGUAGE": "fr:C:es", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LC_ALL": "es_AR.UTF-8"}, "es"),  # an empty variable is no choice
        ({"LANGUAGE": "es_MX", "LC_ALL": "C"}, "es"),
        ({"LC_ALL": "es@euro"}, "es"),
        ({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
    ],
)
def test_the_command_line_follows_the_locale_as_gettext_does(
    environ: dict[str, str], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert locale_language(environ) == language
    # What gettext itself picks in that environment (argparse's words come from its lookup).
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    found = gettext.find(catalogs.DOMAIN, str(catalogs.LOCALE_DIR))
    assert (Path(found).parents[1].name if found else "en") == language
    assert locale_language() == language  # and from os.environ itself


def test_an_entry_of_the_sources_is_found_by_extraction() -> None:
    source = 't.counted(n, "layer", "layers")\nN_("Summary")\n"{}".format("not a message")\n'
    found = set(catalogs.messages_in(source))
    assert found == {catalogs.Message("layer", "layers"), catalogs.Message("Summary")}
