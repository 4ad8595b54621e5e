"""The system's reasons for refusing a file, said in the command line's language and never as
Python's `[Errno 21] Is a directory: '...'`."""

from __future__ import annotations

import errno
from pathlib import Path

from labcheck import i18n
from labcheck.os_error_words import errno_words, os_error_words
from tests.cli_process import run_labcheck_in_both


def test_a_cause_labcheck_knows_is_said_in_each_language() -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    assert os_error_words(full, i18n.spanish()) == "el disco está lleno"
    assert os_error_words(full, i18n.translator("en")) == "the disk is full"


def test_a_cause_without_words_of_its_own_is_its_code_in_spanish_and_the_systems_words_in_english() -> None:
    assert errno_words(errno.EIO, i18n.spanish()) == "un error del sistema (EIO)"
    assert errno_words(errno.EIO, i18n.translator("en")) == "Input/output error"
    assert errno_words(None, i18n.spanish()) == "un error del sistema"


def test_keygen_onto_a_folder_says_so_in_the_locales_language(tmp_path: Path) -> None:
    (tmp_path / "course.key").mkdir()  # --force replaces a file, never a folder
    spanish, english = run_labcheck_in_both("keygen", "-o", str(tmp_path), "--force")
    assert spanish.returncode == english.returncode == 2
    assert spanish.stderr == f"labcheck: {tmp_path / 'course.key'}: no se puede escribir: es una carpeta\n"
    assert english.stderr == f"labcheck: {tmp_path / 'course.key'}: cannot write it: it is a folder\n"
