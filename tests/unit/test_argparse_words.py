"""argparse's own words in the locale's language, scoped to labcheck's command line."""

from __future__ import annotations

import argparse
import ast
import gettext
from pathlib import Path

import pytest

from labcheck import argparse_words, catalogs
from labcheck.cli import main


def argparse_messages() -> set[str]:
    """Every literal message the running Python's argparse asks gettext for: `_("...")` and both
    forms of `ngettext("...", "...", n)`."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            count = {"_": 1, "ngettext": 2}.get(node.func.id, 0)
            for argument in node.args[:count]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
    return found


def listed() -> set[str]:
    plurals = {form for pair in argparse_words.PLURAL_MESSAGES for form in pair}
    return {*argparse_words.MESSAGES, *plurals}


def test_every_message_of_this_pythons_argparse_is_listed_or_deliberately_skipped() -> None:
    asked = argparse_messages()
    assert {"usage: ", "options", "unrecognized arguments: %s", "expected %s arguments"} <= asked
    assert asked - listed() - argparse_words.SKIPPED == set(), "add them to labcheck/argparse_words.py"


def test_listed_messages_are_in_both_catalogs_and_none_is_both_listed_and_skipped() -> None:
    assert listed() & argparse_words.SKIPPED == set()
    sources = {message.msgid for message in catalogs.source_messages()}
    sources |= {message.plural for message in catalogs.source_messages() if message.plural}
    assert listed() <= sources
    for language in catalogs.LANGUAGES:
        translated = {
            entry.message.msgid for entry in catalogs.read_catalog(language) if all(entry.translations)
        }
        assert set(argparse_words.MESSAGES) <= translated, language


@pytest.fixture
def spanish_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")


@pytest.mark.usefixtures("spanish_locale")
def test_inside_the_block_argparse_speaks_the_locale_and_after_it_the_previous_domain_is_back() -> None:
    before = gettext.textdomain()
    with argparse_words.argparse_in_locale():
        assert gettext.textdomain() == catalogs.DOMAIN
        assert argparse.ArgumentParser(prog="x").format_usage() == "uso: x [-h]\n"
        with argparse_words.argparse_of_others():  # e.g. pytest, run by `labcheck run`
            assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"
        assert (
            gettext.ngettext("expected %s argument", "expected %s arguments", 2)
            == "se esperaban %s argumentos"
        )
    assert gettext.textdomain() == before
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"


@pytest.mark.usefixtures("spanish_locale")
def test_a_usage_error_in_process_is_spanish_and_leaves_pytests_argparse_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("uso: labcheck report [-h]")
    assert err.endswith("labcheck report: error: faltan los argumentos obligatorios: EVIDENCE\n")
    parser = argparse.ArgumentParser(prog="x")
    parser.add_argument("needed")
    with pytest.raises(SystemExit):
        parser.parse_args([])
    assert "x: error: the following arguments are required: needed" in capsys.readouterr().err
