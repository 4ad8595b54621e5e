"""A refusal is said from its code in one place (labcheck.refusal_words): every reason confined can
give is in the catalogs, translated, and str() of a refusal keeps its English for logs."""

from __future__ import annotations

import errno
import stat

import pytest

from labcheck import catalogs, i18n
from labcheck.confined import (
    ITS_FOLDER,
    NOT_READ,
    FileRefused,
    FileTooBig,
    Reason,
    Seconds,
    Words,
    not_regular,
    relative_path_problem,
)
from labcheck.refusal_words import reason_words, refusal_said
from labcheck.report.student_pictures import WHERE as MARKDOWN_FOLDER
from labcheck.runner.lab_files import WORKSPACE
from labcheck.spec.path_rules import SPEC_FOLDER
from labcheck.verify.bundle import FOLDER as SUBMISSIONS_FOLDER

SPANISH = {entry.message.msgid: entry.translations[0] for entry in catalogs.read_catalog("es")}


@pytest.mark.parametrize(
    "msgid",
    [reason.value for reason in Reason]
    + [NOT_READ, ITS_FOLDER, SPEC_FOLDER, SUBMISSIONS_FOLDER, WORKSPACE, MARKDOWN_FOLDER],
)
def test_every_reason_and_folder_confined_names_is_translated(msgid: str) -> None:
    assert SPANISH.get(msgid) not in (None, "", msgid)


@pytest.mark.parametrize("path", ["", "  ", "a\0b", "/etc/passwd", "C:/x", "../x", "a/../../x", ".", "./."])
def test_every_rule_of_a_written_path_is_a_reason(path: str) -> None:
    assert isinstance(relative_path_problem(path), Reason)


def test_each_kind_of_file_has_its_own_reason() -> None:
    modes = [stat.S_IFDIR, stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK, stat.S_IFLNK]
    assert len({not_regular(mode) for mode in modes}) == len(modes)
    assert not_regular(0) is Reason.OTHER_KIND


def test_a_refusal_is_said_in_the_readers_language_and_in_english_by_str() -> None:
    values = {"target": "/etc/passwd", "where": Words(SPEC_FOLDER)}
    refused = FileRefused("a.js", Reason.LINK_OUTSIDE, values, not_read=True)
    assert str(refused) == "a.js: is a symlink to /etc/passwd, outside the spec's folder: not read"
    assert refusal_said(refused, i18n.translator("en")) == str(refused)
    assert refusal_said(refused, i18n.spanish()) == (
        "a.js: es un enlace simbólico a /etc/passwd, fuera de la carpeta de la especificación: no se lee"
    )


def test_numbers_and_the_systems_words_follow_the_language() -> None:
    slow = FileRefused("a", Reason.TOO_SLOW, {"seconds": Seconds(0.5)}, not_read=True)
    assert reason_words(slow, i18n.spanish()) == "tardó más de 0,5 s en leerse: no se lee"
    assert slow.reason == "took more than 0.5 s to read: not read"
    big = FileTooBig("a", 3 * 1024 * 1024 // 2, 1024 * 1024)
    assert reason_words(big, i18n.spanish()) == "es demasiado grande (1,5 MB; el límite es 1,0 MB)"
    assert big.reason == "is too big (1.5 MB; the limit is 1.0 MB)"
    denied = FileRefused(
        "a", Reason.UNREADABLE, {"error": PermissionError(errno.EACCES, "Permission denied")}
    )
    assert reason_words(denied, i18n.spanish()) == "no se puede leer: " + SPANISH["permission denied"]
    assert denied.reason == "cannot be read: Permission denied"


def test_a_reason_worded_by_the_caller_is_said_as_given() -> None:
    assert reason_words(FileRefused("a.png", "ya dicho"), i18n.spanish()) == "ya dicho"
