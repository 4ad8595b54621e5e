"""The offline kit speaks the locale's language, one language per line: its commands' errors and
tables, reached here with no engine (a real `labcheck` process under LANG=es_ES.UTF-8 and under
C.UTF-8), the status table in Spanish, and the pre-flight's words about the kit."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.i18n import translator
from labcheck.kit import capabilities, packs
from labcheck.kit.state import LastUp
from labcheck.kit.status import LabStatus, render_table
from labcheck.runner.lab_images import image_pulls
from labcheck.runner.preflight import (
    PreflightFailed,
    check_named_engines,
    check_output_folder,
    registry_image_problems,
)
from labcheck.spec.loader import load_lab
from tests.locale_env import ENGLISH, SPANISH, locale_env
from tests.unit.test_kit_units import _status

# Words of the kit's English messages that are no Spanish word: none may be left in a Spanish line.
ENGLISH_WORDS = {
    "the", "is", "are", "not", "give", "and", "answers", "needs", "for", "these", "both", "its",
    "cannot", "start", "then", "try", "again", "with", "from", "which", "nodes", "number", "reach",
    "built", "present", "missing", "ready", "mode", "data", "engine", "mirror", "image", "images",
    "repository", "repositories", "tool", "tools", "node", "capability", "last", "nothing", "up",
    "down", "use", "set", "lab", "lacks", "pulls", "declare", "folder", "written", "choose", "another",
    "kernel", "traffic", "stand-in", "stand-ins", "unpack", "refused", "export", "an", "or",
}  # fmt: skip


def _english_left(text: str) -> set[str]:
    """English words outside what a message quotes (`commands`, 'values'), URLs and paths."""
    prose = re.sub(r"`[^`]*`|'[^']*'|\S*(?:://|/)\S*|--[\w-]+", " ", text)
    return {word for word in re.findall(r"[A-Za-z][\w-]*", prose) if word.lower() in ENGLISH_WORDS}


def _labcheck(locale: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labcheck", *args],
        capture_output=True,
        text=True,
        env={**locale_env(locale), **env},
        check=False,
        timeout=120,
    )


def _cases(tmp_path: Path) -> list[tuple[list[str], dict[str, str], str, str]]:
    """(command line, environment, what Spanish says, what English says), none needing an engine."""
    corrupt = tmp_path / "kit.tar"
    corrupt.write_bytes(b"not a tar at all\n" * 64)
    empty_home = {"LABCHECK_KIT_HOME": str(tmp_path / "no-kit")}
    return [
        (
            ["kit", "status"],
            {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"},
            "ningún motor de Docker responde en unix://",
            "no Docker engine answers at unix://",
        ),
        (["kit", "status", "--dry-run"], {}, "da las dos opciones", "give both"),
        (
            ["kit", "up", "--online", "--registry", "http://10.0.0.1:5000"],
            {},
            "da --online (Docker Hub) o --registry URL, no las dos",  # as the README says
            "not both",
        ),
        (["kit", "up", "--registry", "localhost:5000"], {}, "bucle local", "loopback"),
        (["kit", "up", "--registry", "http://reg.example:99999"], {}, "su puerto no es", "its port is not"),
        (
            ["kit", "export", str(tmp_path / "out.tar")],
            empty_home,
            "el kit no está levantado",
            "the kit is not up",
        ),
        (
            ["kit", "import", str(corrupt)],
            empty_home,
            "como exportación del kit: no es un archivo tar",
            "is refused as a kit export: it is not a tar archive",
        ),
    ]


def test_kit_commands_refuse_in_spanish_with_no_english_word_left(tmp_path: Path) -> None:
    for args, env, spanish, english in _cases(tmp_path):
        said = _labcheck(SPANISH, *args, **env)
        assert said.returncode == 2, (args, said.stdout, said.stderr)
        line = said.stderr.strip()
        assert line.startswith("labcheck: ") and spanish in line, (args, line)
        assert "Traceback" not in line and not _english_left(line.removeprefix("labcheck: ")), (args, line)
        # The same refusal under C.UTF-8 is the English message, unchanged (the catalogs' msgid).
        told = _labcheck(ENGLISH, *args, **env)
        assert told.returncode == 2 and english in told.stderr and spanish not in told.stderr, (
            args,
            told.stderr,
        )


def test_what_kit_up_online_needs_is_listed_in_spanish() -> None:
    listed = _labcheck(SPANISH, "kit", "status", "--online", "--dry-run")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "`labcheck kit up --online` necesita de Docker Hub (https://registry-1.docker.io):"
    assert any(line.endswith("para la imagen de los nodos") for line in lines), lines
    assert "y estos repositorios git:" in lines
    assert not [line for line in lines if _english_left(line)]
    english = _labcheck(ENGLISH, "kit", "status", "--online", "--dry-run").stdout
    assert "for the node image" in english and "and these git repositories:" in english


def test_the_status_table_in_spanish_has_no_english_row() -> None:
    status = dataclasses.replace(
        _status(True),
        capabilities=(capabilities.real_images(True),),
        labs=(
            LabStatus("ops-stage1", "specs/ops-stage1/lab.yaml", 2, 1, ("git",), ()),
            LabStatus("web", "specs/web/lab.yaml", 1, 0, ("jq",), ("image web:1.0", "tool jq")),
        ),
        last_up=LastUp(("alpine", "git mirror https://github.com/x/y", "node image", "node node1"), (), 12.5),
        fed_from="the kit's registry (172.30.0.1:5000)",
    )
    table = render_table(status, translator("es"))
    rows = table.splitlines()
    assert rows[0].split() == [
        "kit",
        "parcial",
        "modo",
        "sin",
        "conexión,",
        "datos",
        "en",
        "/k",
    ]  # web is not ready
    for words in (
        "motor",
        "socket por defecto, espejo de registro en uso",
        "los nodos descargan de",
        "el registro del kit (172.30.0.1:5000)",
        "sustituto alpine",
        "espejo git",
        "imagen de los nodos",
        "laboratorio ops-stage1",
        "listo",
        "2 imágenes, 1 repositorio, herramientas git",
        "NO LISTO",
        "falta: imagen web:1.0, herramienta jq",
        "nodo node1",
        "swarm inactivo",
        "capacidad real_images",
        "las imágenes vienen del registro local del kit",
        "12,5 s",
        "construido: alpine, espejo git https://github.com/x/y, imagen de los nodos, nodo node1",
    ):
        assert words in table, (words, table)
    assert not [row for row in rows if _english_left(row)], table
    # The JSON keeps its English for machines.
    data = status.to_json()
    assert list(data["labs"][1]["missing"]) == ["image web:1.0", "tool jq"]
    assert data["capabilities"]["real_images"]["reason"].startswith(
        "images come from the kit's local registry"
    )
    assert "built: alpine, git mirror" in render_table(status, translator("en"))


SPEC = """\
labcheck: 1
lab: {id: web, title: Web, language: es, version: "1"}
nodes: [{name: a}, {name: b}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: run-nginx
        title: nginx
        run: docker container run -d nginx:1.25
        expect: {exit_code: 0}
"""


@pytest.fixture
def spanish_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", SPANISH)


def test_the_preflight_says_in_spanish_what_the_kit_cannot_provide(
    tmp_path: Path, spanish_locale: None
) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC)
    lab = load_lab(tmp_path / "lab.yaml")
    (pull,) = image_pulls(lab)
    said = packs.cannot_provide(lab, pull)
    assert said.startswith(
        f"{pull.where}: el laboratorio web descarga nginx:1.25, que el kit sin conexión no puede"
    )
    assert "`- {ref: nginx:1.25, standin: {build: standins/nginx}}`" in said
    assert said.endswith(f"luego ejecuta `labcheck kit up {tmp_path}`")
    with pytest.raises(PreflightFailed) as refused:
        check_named_engines(lab, {"a": f"unix://{tmp_path}/no-engine.sock"})
    assert str(refused.value) == (
        "el laboratorio necesita los nodos a, b; no se ha dado destino para b "
        "(da --target NOMBRE=DOCKER_HOST a labcheck run, --labcheck-target a pytest)"
    )
    (tmp_path / "a-file").write_text("")
    with pytest.raises(PreflightFailed) as unwritable:
        check_output_folder(tmp_path / "a-file" / "out", lab)
    assert str(unwritable.value).startswith(
        f"no se puede escribir en la carpeta de salida {tmp_path}/a-file/out ("
    )
    assert str(unwritable.value).endswith("); elige otra con --out (--labcheck-out)")
    # A registry feeding the kit's nodes that does not answer (nothing listens on port 9 here).
    assert registry_image_problems(lab, "http://127.0.0.1:9") == [
        "el registro http://127.0.0.1:9 que alimenta los nodos del kit no responde: arráncalo de nuevo, "
        "o ejecuta `labcheck kit down` y `labcheck kit up` para usar el del propio kit"
    ]
