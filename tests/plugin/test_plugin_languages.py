"""`pytest --labcheck` and `labcheck run` speak the locale's language in every line of labcheck's own:
real runs on the local target (no Docker) under LANG=es_ES.UTF-8 and LANG=C, each kind of outcome and
of refusal, and no word of the other language in labcheck's lines.

pytest's own words ("passed", "failed", "short test summary info", "ERROR:", the "!" framing of a
stopped session) are pytest's and stay English; only the lines labcheck writes are read here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from labcheck import catalogs
from labcheck.signing.keys import SIGNING_KEY_ENV
from tests.cli_process import labcheck_argv
from tests.locale_env import SPANISH, locale_env

PLAIN_C = "C"

LAB = """\
labcheck: 1
lab: {id: words, title: Palabras, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - {id: greet, title: Saludo, run: echo hola, expect: {exit_code: 0, output: [{contains: hola}]}}
      - {id: wrong-output, title: Salida mala, run: echo adios, expect: {output: [{contains: hola}]}}
      - {id: wrong-exit, title: Código malo, run: exit 3, expect: {exit_code: 0}}
      - {id: slow, title: Lento, run: sleep 30, timeout: 1s, expect: {exit_code: 0}}
      - {id: after, title: Después, needs: [wrong-exit], run: echo nunca, expect: {exit_code: 0}}
"""
# Its first step makes a folder where the evidence's next temporary file must go: the writes after
# it fail, as on a full disk, and the run stops.
UNWRITABLE_EVIDENCE = """\
labcheck: 1
lab: {id: broken-evidence, title: Evidencia rota, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - {id: breaker, title: Rompe, run: mkdir ../../evidence.json.partial, expect: {exit_code: 0}}
      - {id: next, title: Luego, run: echo luego, expect: {exit_code: 0}}
"""
# Lab files on a target of this machine go only into the node's home: /tmp is refused.
FILES_OUTSIDE_HOME = """\
labcheck: 1
lab: {id: lab-3, title: Fuera, language: es, version: "1"}
defaults: {workdir: /tmp}
files: [{path: a.txt}]
sections:
  - number: "1"
    title: Uno
    steps:
      - {id: one, title: Uno, run: echo uno, expect: {exit_code: 0}}
"""


@dataclass(frozen=True)
class Run:
    """One run: its arguments after `pytest --labcheck` (or `labcheck run` when `command` says so),
    extra environment, and a phrase of labcheck's each language must show (proof the line was seen)."""

    spec: str
    args: tuple[str, ...]
    spanish: str
    english: str
    env: Mapping[str, str] = field(default_factory=dict)
    labcheck_run: bool = False


RUNS = {
    "outcomes": Run(
        "lab",
        ("--labcheck-target", "host=local", "--labcheck-out", "out"),
        "informe PDF: out/informe.pdf",
        "PDF report: out/informe.pdf",
    ),
    "evidence-unwritable": Run(
        "broken",
        ("--labcheck-target", "host=local", "--labcheck-out", "out", "--labcheck-no-report"),
        "evidencia: no se pudo escribir entera",
        "evidence: could not be written whole",
    ),
    "out-folder-unwritable": Run(
        "lab",
        ("--labcheck-target", "host=local", "--labcheck-out", "a-file/out"),
        "no se puede escribir en la carpeta de salida a-file/out",
        "the output folder a-file/out cannot be written",
    ),
    "bad-target": Run(
        "lab", ("--labcheck-target", "bogus"), "se esperaba NOMBRE=DOCKER_HOST", "expected NAME=DOCKER_HOST"
    ),
    "bad-key": Run(
        "lab",
        ("--labcheck-target", "host=local", "--labcheck-signing-key-env", "MY_KEY"),
        "no es una clave privada sin cifrar en PEM",
        "not an unencrypted private key in PEM",
        env={"MY_KEY": "not a key at all"},
    ),
    "unset-key": Run(
        "lab",
        ("--labcheck-target", "host=local", "--labcheck-signing-key-env", "NOT_SET_ANYWHERE"),
        "esa variable de entorno no está definida",
        "that environment variable is not set",
    ),
    "files-outside-home": Run(
        "outside",
        ("--labcheck-target", "host=local", "--labcheck-out", "out", "--labcheck-no-report"),
        "la carpeta de trabajo del laboratorio, '/tmp', está fuera",
        "the lab's workdir '/tmp' is outside",
    ),
    "labcheck-run": Run(
        "broken",
        ("--target", "host=local", "--out", "out"),
        "no se puede escribir la evidencia out/evidence.json",
        "cannot write the evidence out/evidence.json",
        labcheck_run=True,
    ),
}
SPECS = {"lab": LAB, "broken": UNWRITABLE_EVIDENCE, "outside": FILES_OUTSIDE_HOME}


def _folder(base: Path, run: Run) -> Path:
    folder = base
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(SPECS[run.spec], encoding="utf-8")
    (folder / "a.txt").write_text("a\n", encoding="utf-8")
    (folder / "a-file").write_text("not a folder\n", encoding="utf-8")
    return folder


def _run(run: Run, folder: Path, locale: str) -> str:
    env = locale_env(locale, {k: v for k, v in os.environ.items() if k != SIGNING_KEY_ENV})
    env.update(run.env)
    if run.labcheck_run:
        argv = [*labcheck_argv("run", "lab.yaml"), *run.args]
    else:
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"]
        argv += ["-rs", "--labcheck", "lab.yaml", *run.args]
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=180, check=False)
    return done.stdout + done.stderr


def labchecks_lines(output: str) -> list[str]:
    """The lines labcheck writes: its own ("labcheck: ..."), a step's failure or set-up error report
    (under pytest's "____ 1.b Title ____" heading, up to pytest's captured output), the terminal
    summary's section it adds, and its words inside pytest's frames (a stopped session's
    "! labcheck: ... !", a usage error's "ERROR: ..."), without the frame."""
    found: list[str] = []
    in_summary = in_report = False
    for line in output.splitlines():
        if re.fullmatch(r"-+ labcheck -+", line):
            in_summary = True
            continue
        if re.fullmatch(r"_+ .* _+", line):
            in_report = True
            continue
        if re.fullmatch(r"[=-]+ .* [=-]+", line):
            in_summary = in_report = False
        stopped = re.fullmatch(r"!+ (?:_pytest\.outcomes\.Exit: )?(.*?) !+", line)
        if stopped:
            found.append(stopped.group(1))
        elif line.startswith("ERROR: "):
            found.append(line.removeprefix("ERROR: "))
        elif in_summary or in_report or line.startswith("labcheck"):
            found.append(line)
    # A report's "$ command" is the step's command as typed, the lab's words, not labcheck's.
    return [line for line in found if line.strip() and not line.startswith("$ ")]


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]+", re.sub(r"\{[^}]*\}", " ", text))}


@cache
def words_only_in(language: str) -> frozenset[str]:
    """Words labcheck's catalog writes in one language and never in the other (so "labcheck",
    "Docker", "PEM" are neither's): English from the msgids, Spanish from the Spanish msgstrs."""
    english: set[str] = set()
    spanish: set[str] = set()
    for entry in catalogs.read_catalog("es"):
        english |= _words(entry.message.msgid) | _words(entry.message.plural or "")
        for translation in entry.translations:
            spanish |= _words(translation)
    return frozenset(english - spanish if language == "en" else spanish - english)


def _values_out(line: str) -> str:
    """A line without what it quotes or names (paths, quoted values, variables, NAMES): no
    language's words."""
    line = re.sub(r"«[^»]*»|'[^']*'|\"[^\"]*\"", " ", line)
    tokens = line.split()
    return " ".join(token for token in tokens if not re.search(r"[/=$.]\w|^[A-Z][A-Z0-9_]+:?$", token))


def _foreign_words(lines: Sequence[str], language: str) -> dict[str, set[str]]:
    other = words_only_in("en" if language == "es" else "es")
    return {line: found for line in lines if (found := _words(_values_out(line)) & other)}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_labchecks_lines_are_wholly_in_the_runs_language(tmp_path: Path, name: str) -> None:
    run = RUNS[name]
    folders = {locale: _folder(tmp_path / locale.replace(".", "-"), run) for locale in (SPANISH, PLAIN_C)}
    with ThreadPoolExecutor(2) as pool:
        spanish, english = pool.map(lambda locale: _run(run, folders[locale], locale), (SPANISH, PLAIN_C))
    for output, language, phrase in ((spanish, "es", run.spanish), (english, "en", run.english)):
        lines = labchecks_lines(output)
        assert any(phrase in line for line in lines), (language, output)
        assert "Traceback" not in output
        assert _foreign_words(lines, language) == {}, (language, output)


def test_the_vocabularies_tell_the_languages_apart() -> None:
    """The check above can fail: an English line of labcheck's is caught in a Spanish run."""
    line = "labcheck: --labcheck-target: expected NAME=DOCKER_HOST, got 'bogus'"
    assert _foreign_words([line], "es") == {line: {"expected", "got"}}
    assert _foreign_words(["evidencia: out/evidence.json"], "es") == {}
    assert _foreign_words(["evidencia: out/evidence.json"], "en") == {
        "evidencia: out/evidence.json": {"evidencia"}
    }
