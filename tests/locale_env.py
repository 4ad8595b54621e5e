"""The environment of a child process whose command line speaks one language: the CLI follows the
locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), so a test that reads its words sets it, whatever the
machine's."""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest

SPANISH = "es_ES.UTF-8"
ENGLISH = "C.UTF-8"


def locale_env(locale: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in (os.environ if base is None else base).items()}
    env = {key: value for key, value in env.items() if not key.startswith("LC_") and key != "LANGUAGE"}
    env["LANG"] = locale
    env["LABCHECK_TEST_LOCALE"] = locale  # the suite's conftest.py leaves it so in a child pytest
    return env


def use_locale(monkeypatch: pytest.MonkeyPatch, locale: str) -> None:
    """This process (and the children it starts) in locale's language, for one test."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
