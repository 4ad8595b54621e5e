"""The real command line speaks one language, the locale's: every --help and usage errors, in
Spanish under LANG=es_ES.UTF-8 and in English under LANG=C, no line of one in the other."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from labcheck import catalogs
from labcheck.cli import build_parser, subcommand_parsers
from tests.cli_process import run_labcheck, run_labcheck_in_both
from tests.locale_env import SPANISH, locale_env

WIDTH = 100  # one terminal width, so both languages wrap alike

# Usage errors of each kind argparse says: (arguments, what the Spanish says).
USAGE_ERRORS = [
    (("report",), "faltan los argumentos obligatorios: EVIDENCE"),
    (("labs", "--jsn"), "argumentos no reconocidos: --jsn"),
    (("kit", "upp"), "valor no válido: 'upp' (elige entre"),
    (("kit", "up", "--nodes", ","), "argumento --nodes: da al menos un nombre de nodo"),
    (
        ("verify", "b", "--spec", "s", "--max-size", "big"),
        "argumento --max-size: valor float no válido: 'big'",
    ),
    (("verify", "b", "--spec", "s", "--student-id", "a", "--ids-from-names"), "no se admite junto con"),
    (("verify", "b", "--spec"), "argumento --spec: se esperaba un argumento"),
    (("run", "--bogus"), "argumentos no reconocidos: --bogus"),
    (("new",), "faltan los argumentos obligatorios: LAB-ID"),
]


def commands(parser: object = None, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in subcommand_parsers(build_parser() if parser is None else parser).items():  # type: ignore[arg-type]
        found += commands(sub, (*path, name))
    return found


def both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    return run_labcheck_in_both(*args, columns=WIDTH)


_NOT_WORDS = re.compile(
    r"""(?x)
    \[[^\]]*\] | \{[^}]*\} | \.\.\. | \|                        # [--opt X], {a,b}, ..., |
    | (?<!\w)--?[\w-]+(=[\w/.<>-]+)?,? | \b[A-Z][A-Z0-9_=.-]*\b  # options, METAVARS
    """
)


def worded_segments(text: str, command_names: set[str]) -> list[str]:
    """The parts of lines that are words: not the example command lines (what is typed, before a
    `# comment`), nor lines only of option names, metavars and command names."""
    found = []
    for line in text.splitlines():
        code, _, comment = line.partition("# ")
        for part in (code, comment):
            part = part.strip().rstrip("\\").strip()
            if not part or part.startswith(("labcheck ", "-- ")):
                continue
            rest = _NOT_WORDS.sub(" ", part)
            if any(word not in command_names for word in re.findall(r"[^\W\d_]{2,}", rest)):
                found.append(" ".join(part.split()))
    return found


def sentences(language: str) -> set[str]:
    """The catalog's sentences of three words or more whose translation is not the msgid itself."""
    other = {e.message.msgid: e.translations[0] for e in catalogs.read_catalog("es")}
    found = set()
    for msgid, spanish in other.items():
        if spanish == msgid or len(msgid.split()) < 3 or "{" in msgid or "%" in msgid:
            continue
        found.add(" ".join((msgid if language == "en" else spanish).split()))
    return found


def assert_one_language_each(spanish: str, english: str) -> None:
    names = {name for path in commands() for name in path}
    es, en = worded_segments(spanish, names), worded_segments(english, names)
    assert es and en
    assert [line for line in es if line in en] == [], "lines left in English"
    assert [line for line in en if line in es] == [], "lines in Spanish under LANG=C"
    flat_es, flat_en = " ".join(spanish.split()), " ".join(english.split())
    assert sorted(s for s in sentences("en") if s in flat_es) == []
    assert sorted(s for s in sentences("es") if s in flat_en) == []


@pytest.mark.parametrize("command", commands(), ids=lambda path: " ".join(path) or "labcheck")
def test_help_is_all_in_the_locales_language(command: tuple[str, ...]) -> None:
    spanish, english = both(*command, "--help")
    assert spanish.returncode == english.returncode == 0, spanish.stderr + english.stderr
    assert spanish.stdout.startswith("uso: labcheck") and english.stdout.startswith("usage: labcheck")
    assert "opciones:" in spanish.stdout and "códigos de salida (todas las órdenes):" in spanish.stdout
    assert "options:" in english.stdout and "exit codes (every command):" in english.stdout
    assert_one_language_each(spanish.stdout, english.stdout)


@pytest.mark.parametrize(
    ("argv", "said"), USAGE_ERRORS, ids=lambda value: " ".join(value) if isinstance(value, tuple) else ""
)
def test_a_usage_error_is_all_in_the_locales_language_and_exits_2(argv: tuple[str, ...], said: str) -> None:
    spanish, english = both(*argv)
    assert spanish.returncode == english.returncode == 2
    assert spanish.stdout == english.stdout == ""
    assert said in spanish.stderr and spanish.stderr.startswith("uso: labcheck"), spanish.stderr
    assert english.stderr.startswith("usage: labcheck") and ": error: " in english.stderr
    assert "Traceback" not in spanish.stderr + english.stderr
    assert_one_language_each(spanish.stderr, english.stderr)


@pytest.mark.parametrize(
    ("argv", "spanish_said", "english_said"),
    [
        (
            ("verify", "b", "--spec", "s", "--jobs", "0"),
            "--jobs debe ser al menos 1",
            "--jobs must be at least 1",
        ),
        (
            ("verify", "b", "--spec", "s", "--max-size", "0"),
            "--max-size debe ser un número positivo de megabytes",
            "--max-size must be a positive number of megabytes",
        ),
        (
            ("record", "nowhere", "--runs", "0"),
            "--runs debe ser al menos 1; se dio 0",
            "--runs must be at least 1; got 0",
        ),
    ],
)
def test_a_commands_own_usage_error_is_in_the_locales_language_and_exits_2(
    argv: tuple[str, ...], spanish_said: str, english_said: str
) -> None:
    spanish, english = both(*argv)
    assert (spanish.returncode, spanish.stderr) == (2, f"labcheck: {spanish_said}\n")
    assert (english.returncode, english.stderr) == (2, f"labcheck: {english_said}\n")


def test_keygen_says_where_its_keys_are_in_the_locales_language(tmp_path: Path) -> None:
    done = run_labcheck("keygen", "-o", str(tmp_path), locale=SPANISH, columns=WIDTH)
    assert done.returncode == 0, done.stderr
    private, public, key_id = done.stdout.splitlines()
    secret = "(guárdala en secreto: un secreto de la CI que solo el curso puede leer)"
    assert private == f"clave privada:  {tmp_path / 'course.key'} {secret}"
    assert public == f"clave pública:  {tmp_path / 'course.pub'}"
    assert key_id.startswith("id de la clave: ") and len(key_id.split()[-1]) == 64
    again = run_labcheck("keygen", "-o", str(tmp_path), locale=SPANISH, columns=WIDTH)
    existing = tmp_path / "course.key"
    assert again.returncode == 2
    assert (
        again.stderr == f"labcheck: {existing}: ya existe (¿un par de claves en uso? --force lo sustituye)\n"
    )


def test_the_labs_table_has_its_headings_in_the_locales_language() -> None:
    spanish, english = both("labs")
    assert spanish.returncode == english.returncode == 0
    assert spanish.stdout.splitlines()[0].split() == ["ID", "TÍTULO", "NODOS", "PASOS", "VERSIÓN"]
    assert english.stdout.splitlines()[0].split() == ["ID", "TITLE", "NODES", "STEPS", "VERSION"]
    (row,) = [line for line in spanish.stdout.splitlines() if line.startswith("ops-stage1 ")]
    assert " Docker, primera etapa: contenedores, imágenes y Swarm " in row  # the title, as the spec gives it


# Files labcheck cannot read, said in the locale's language around the system's and the parser's
# own words; the common causes (no such file, a loop of links) in the user's words too.


def _said_in_both(*argv: str) -> tuple[str, str]:
    spanish, english = both(*argv)
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    assert "Traceback" not in spanish.stderr + english.stderr
    return spanish.stderr, english.stderr


def test_a_spec_that_cannot_be_read_is_said_in_the_locales_language(tmp_path: Path) -> None:
    missing = tmp_path / "nada.yaml"
    spanish, english = _said_in_both("validate", str(missing))
    assert spanish == f"{missing}: (archivo): no se puede leer: no existe ese archivo ni esa carpeta\n"
    assert english == f"{missing}: (file): cannot read it: no such file or folder\n"
    loop, other = tmp_path / "bucle.yaml", tmp_path / "otro.yaml"
    loop.symlink_to(other)
    other.symlink_to(loop)
    spanish, english = _said_in_both("validate", str(loop))
    assert spanish == (
        f"{loop}: (archivo): no se puede leer (un enlace a {other}): "
        "demasiados niveles de enlaces simbólicos\n"
    )
    assert (
        english == f"{loop}: (file): cannot read it (a link to {other}): too many levels of symbolic links\n"
    )


def test_a_missing_markdown_file_to_import_is_said_in_the_locales_language(tmp_path: Path) -> None:
    missing = tmp_path / "lab.md"
    spanish, english = _said_in_both("import", str(missing), "-o", str(tmp_path / "pack"))
    assert spanish == f"labcheck: {missing}: no existe ese archivo Markdown\n"
    assert english == f"labcheck: {missing}: no such Markdown file\n"
    assert not (tmp_path / "pack").exists()


def test_an_evidence_that_is_no_json_is_said_in_the_locales_language(tmp_path: Path) -> None:
    cut = tmp_path / "cortada.json"
    cut.write_text('{"format": "labcheck-evidence", ', encoding="utf-8")
    spanish, english = _said_in_both("report", str(cut), "-o", str(tmp_path / "out"))
    why = "Expecting property name enclosed in double quotes"  # the JSON parser's words
    assert spanish == f"labcheck: {cut}: JSON truncado (línea 1, columna 33: {why})\n"
    assert english == f"labcheck: {cut}: truncated JSON (line 1, column 33: {why})\n"
    prose = tmp_path / "texto.json"
    prose.write_text("esto no es JSON\n", encoding="utf-8")
    spanish, english = _said_in_both("report", str(prose), "-o", str(tmp_path / "out"))
    assert spanish == f"labcheck: {prose}: no es JSON (línea 1, columna 1: Expecting value)\n"
    assert english == f"labcheck: {prose}: not JSON (line 1, column 1: Expecting value)\n"


# What is wrong inside a spec the schema allows: said by the loader, in the locale's language.

_BAD_SPEC = """\
labcheck: 1
lab: {id: tiny, title: Mínimo, language: es, version: "1"}
nodes: [{name: node1}, {name: node2}]
defaults: {node: node7}
files: [{path: app.js, node: node8}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        node: node9
        run: echo hola
        expect:
          exit_code: 0
      - id: hello
        title: Otra vez
        node: node1
        run: sh
        input: [exit]
        until: {contains: hola, stream: stderr}
        expect:
          exit_code: 0
          stderr: [{contains: x}]
          state: [{image: {ref: alpine, exists: true}, on: node6}]
"""


def test_what_is_wrong_inside_a_spec_is_said_in_the_locales_language(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("", encoding="utf-8")
    spec = tmp_path / "lab.yaml"
    spec.write_text(_BAD_SPEC, encoding="utf-8")
    spanish, english = both("validate", str(spec))
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    here, first, second = f"{spec}:", "sections[0].steps[0]", "sections[0].steps[1]"
    assert spanish.stderr.splitlines() == [
        f"{here}4: defaults.node: el nodo 'node7' no está entre los nodos del laboratorio (node1, node2)",
        f"{here}5: files[0].node: nodo desconocido 'node8'",
        f"{here}12: {first}.node: nodo desconocido 'node9' (los nodos del laboratorio: node1, node2)",
        f"{here}16: {second}.id: el id de paso 'hello' ya se usa en {here}10",
        f"{here}21: {second}.until.stream: un paso con terminal (tty o input) tiene una sola salida"
        " mezclada: usa 'output', no 'stderr'",
        f"{here}23: {second}.expect.exit_code: labcheck detiene un paso con 'until' en cuanto se"
        " cumple su regla, así que no hay código de salida que comprobar: quita 'exit_code'",
        f"{here}24: {second}.expect.stderr: un paso con terminal (tty o input) tiene una sola salida"
        " mezclada: usa 'output', no 'stderr'",
        f"{here}25: {second}.expect.state[0].on: nodo desconocido 'node6'",
    ]
    assert english.stderr.splitlines() == [
        f"{here}4: defaults.node: node 'node7' is not among the lab's nodes (node1, node2)",
        f"{here}5: files[0].node: unknown node 'node8'",
        f"{here}12: {first}.node: unknown node 'node9' (the lab's nodes: node1, node2)",
        f"{here}16: {second}.id: step id 'hello' is already used at {here}10",
        f"{here}21: {second}.until.stream: a step under a terminal (tty or input) has one merged"
        " output: use 'output', not 'stderr'",
        f"{here}23: {second}.expect.exit_code: a step with 'until' is stopped by labcheck once its"
        " rule holds, so it has no exit code to check: remove 'exit_code'",
        f"{here}24: {second}.expect.stderr: a step under a terminal (tty or input) has one merged"
        " output: use 'output', not 'stderr'",
        f"{here}25: {second}.expect.state[0].on: unknown node 'node6'",
    ]


def test_a_spec_that_is_no_utf8_or_is_missing_from_its_folder_is_said_in_the_locales_language(
    tmp_path: Path,
) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("título: año\n".encode("latin-1"))
    spanish, english = _said_in_both("validate", str(latin1))
    assert spanish == f"{latin1}: (archivo): no es texto UTF-8 (byte 1)\n"
    assert english == f"{latin1}: (file): is not UTF-8 text (byte 1)\n"
    empty = tmp_path / "vacia"
    empty.mkdir()
    spanish, english = _said_in_both("validate", str(empty))
    assert spanish == f"{empty}: (archivo): no hay lab.yaml ni lab.yml en esta carpeta\n"
    assert english == f"{empty}: (file): no lab.yaml or lab.yml in this folder\n"


_BAD_PACK = """\
labcheck: 1
lab: {id: tiny, title: Mínimo, language: es, version: "1"}
images:
  - {ref: alpine, standin: {library: alpin}}
  - {ref: "alpine:latest", standin: {build: empty}}
  - {ref: ubuntu, standin: {build: nowhere}}
repositories:
  - {url: "https://example.org/repo.git", content: empty}
  - {url: "https://example.org/repo", content: empty}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        run: echo hola
        expect:
          exit_code: 0
"""


def test_what_is_wrong_in_a_packs_images_and_repositories_is_said_in_the_locales_language(
    tmp_path: Path,
) -> None:
    (tmp_path / "empty").mkdir()
    spec = tmp_path / "lab.yaml"
    spec.write_text(_BAD_PACK, encoding="utf-8")
    spanish, english = both("validate", str(spec))
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    here, nowhere = f"{spec}:", tmp_path / "nowhere"
    assert spanish.stderr.splitlines() == [
        f"{here}4: images[0].standin.library: la biblioteca del kit no tiene el sustituto 'alpin';"
        " ¿querías decir 'alpine'? tiene alpine, ubuntu, hello-world"
        " (o indica una carpeta de construcción del paquete)",
        f"{here}5: images[1].ref: la imagen 'alpine:latest' ya está declarada en {here}4",
        f"{here}5: images[1].standin.build: la carpeta 'empty' no tiene Dockerfile: el contexto de"
        " construcción de un sustituto necesita uno (FROM ${ALPINE}, FROM ${UBUNTU} o FROM scratch)",
        f"{here}6: images[2].standin.build: la carpeta 'nowhere' no está en el paquete (se buscó {nowhere})",
        f"{here}8: repositories[0].content: la carpeta 'empty' no contiene ningún archivo que servir",
        f"{here}9: repositories[1].url: el repositorio 'https://example.org/repo' ya está declarado"
        f" en {here}8",
        f"{here}9: repositories[1].content: la carpeta 'empty' no contiene ningún archivo que servir",
    ]
    assert english.stderr.splitlines() == [
        f"{here}4: images[0].standin.library: the kit's library has no stand-in 'alpin'; did you mean"
        " 'alpine'? it has alpine, ubuntu, hello-world (or give a build folder of the pack)",
        f"{here}5: images[1].ref: image 'alpine:latest' is already declared at {here}4",
        f"{here}5: images[1].standin.build: the folder 'empty' has no Dockerfile: a stand-in's build context"
        " needs one (FROM ${ALPINE}, FROM ${UBUNTU} or FROM scratch)",
        f"{here}6: images[2].standin.build: the folder 'nowhere' is not in the pack (looked for {nowhere})",
        f"{here}8: repositories[0].content: the folder 'empty' holds no file to serve",
        f"{here}9: repositories[1].url: repository 'https://example.org/repo' is already declared at {here}8",
        f"{here}9: repositories[1].content: the folder 'empty' holds no file to serve",
    ]


def test_a_bundle_too_big_to_verify_is_said_in_the_locales_language(tmp_path: Path) -> None:
    big = tmp_path / "entregas" / "grande.json"
    big.parent.mkdir()
    big.write_text('{"format": "labcheck-evidence", "padding": "' + "x" * 3_000_000 + '"}', encoding="utf-8")
    spanish, english = both("verify", str(big.parent), "--spec", "specs/ops-stage1", "--max-size", "2")
    assert spanish.returncode == english.returncode == 1, spanish.stderr + english.stderr
    assert (
        f"    {big}: demasiado grande (2,9 MB; el límite es 2,0 MB, véase --max-size)"
        in spanish.stdout.splitlines()
    )
    assert f"    {big}: too big (2.9 MB; the limit is 2.0 MB, see --max-size)" in english.stdout.splitlines()


def test_an_evidence_that_is_missing_or_too_big_is_said_in_the_locales_language(tmp_path: Path) -> None:
    missing = tmp_path / "nada.json"
    spanish, english = _said_in_both("report", str(missing), "-o", str(tmp_path / "out"))
    assert spanish == f"labcheck: {missing}: no existe ese archivo\n"
    assert english == f"labcheck: {missing}: no such file\n"
    huge = tmp_path / "enorme.json"
    with huge.open("wb") as sparse:
        sparse.truncate(60 * 1024 * 1024)  # sparse: its size is read, never its bytes
    spanish, english = _said_in_both("report", str(huge), "-o", str(tmp_path / "out"))
    assert spanish == f"labcheck: {huge}: es demasiado grande (60,0 MB; el límite es 50,0 MB)\n"
    assert english == f"labcheck: {huge}: is too big (60.0 MB; the limit is 50.0 MB)\n"


_BAD_PATHS = """\
labcheck: 1
lab: {id: tiny, title: Mínimo, language: es, version: "1"}
files: [{path: ../fuera.js}, {path: falta.js}, {path: "."}]
images: [{ref: alpine, standin: {build: /etc}}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        run: echo hola
        expect:
          exit_code: 0
"""


def test_a_spec_path_that_cannot_be_used_is_said_in_the_locales_language(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(_BAD_PATHS, encoding="utf-8")
    spanish, english = both("validate", str(spec))
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    here = f"{spec}:"
    assert spanish.stderr.splitlines() == [
        f"{here}3: files[0].path: el archivo del laboratorio '../fuera.js' sube con '..'; debe estar dentro"
        " de la carpeta de la especificación",
        f"{here}3: files[1].path: el archivo del laboratorio 'falta.js' no está junto a la especificación",
        f"{here}3: files[2].path: el archivo del laboratorio '.' nombra la propia carpeta, no un archivo",
        f"{here}4: images[0].standin.build: la carpeta '/etc' es una ruta absoluta; da una ruta relativa a la"
        " carpeta de la especificación",
    ]
    assert english.stderr.splitlines() == [
        f"{here}3: files[0].path: the lab file '../fuera.js' goes up with '..'; it must be inside the spec's"
        " folder",
        f"{here}3: files[1].path: the lab file 'falta.js' is not beside the spec",
        f"{here}3: files[2].path: the lab file '.' names the folder itself, not a file",
        f"{here}4: images[0].standin.build: the folder '/etc' is an absolute path; name it relative to the"
        " spec's folder",
    ]


def test_yaml_a_spec_may_not_use_is_refused_in_the_locales_language(tmp_path: Path) -> None:
    said = {}
    for name, text in (
        ("dup", "labcheck: 1\nlab:\n  id: tiny\n  id: otro\n"),
        ("anchor", "labcheck: 1\nlab: &a {id: tiny}\n"),
        ("tag", "labcheck: !!int abc\n"),
    ):
        spec = tmp_path / f"{name}.yaml"
        spec.write_text(text, encoding="utf-8")
        said[name] = (spec, *_said_in_both("validate", str(spec)))
    spec, spanish, english = said["dup"]
    assert spanish == (
        f"{spec}:4: lab.id: la clave 'id' aparece dos veces (líneas 3 y 4); "
        "YAML se quedaría sin avisar solo con la última\n"
    )
    assert english == (
        f"{spec}:4: lab.id: the key 'id' appears twice (lines 3 and 4); "
        "YAML would silently keep only the last one\n"
    )
    spec, spanish, english = said["anchor"]
    assert spanish == (
        f"{spec}:2: (yaml): no se admite el ancla '&a': una especificación de laboratorio no usa anclas (&) "
        "ni alias (*); escribe el valor completo\n"
    )
    assert english == (
        f"{spec}:2: (yaml): the anchor '&a' is not allowed: a lab spec uses no anchors (&) nor aliases (*); "
        "write the value out\n"
    )
    spec, spanish, english = said["tag"]
    assert spanish == f"{spec}:1: labcheck: 'abc' no es un !!int válido\n"
    assert english == f"{spec}:1: labcheck: 'abc' is not a valid !!int\n"


def test_an_evidence_that_is_no_regular_file_is_said_in_the_locales_language(tmp_path: Path) -> None:
    fifo = tmp_path / "tuberia.json"
    os.mkfifo(fifo)
    spanish, english = _said_in_both("report", str(fifo), "-o", str(tmp_path / "out"))
    assert spanish == f"labcheck: {fifo}: es una FIFO (tubería con nombre), no un archivo normal: no se lee\n"
    assert english == f"labcheck: {fifo}: is a FIFO (named pipe), not a regular file: not read\n"


def test_a_bundle_that_is_no_regular_file_is_said_in_the_locales_language(tmp_path: Path) -> None:
    """verify says a refused bundle with the evidence reader's words (one table for both)."""
    fifo = tmp_path / "evidence.json"
    os.mkfifo(fifo)
    spec = str(Path(__file__).resolve().parents[2] / "specs" / "ops-stage1")
    spanish, english = both("verify", "--spec", spec, str(fifo))
    assert f"{fifo}: es una FIFO (tubería con nombre), no un archivo normal: no se lee" in spanish.stdout
    assert f"{fifo}: is a FIFO (named pipe), not a regular file: not read" in english.stdout
    assert "named pipe" not in spanish.stdout + spanish.stderr


def test_a_bad_target_of_labcheck_run_names_its_own_option_before_anything_starts() -> None:
    """`labcheck run` hands --target to pytest as --labcheck-target: the student typed the first."""
    spanish, english = both("run", "--target", "bogus")
    assert spanish.returncode == english.returncode == 2
    assert spanish.stderr == "labcheck: --target: se esperaba NOMBRE=DOCKER_HOST; se recibió 'bogus'\n"
    assert english.stderr == "labcheck: --target: expected NAME=DOCKER_HOST, got 'bogus'\n"
    assert spanish.stdout == english.stdout == ""  # no pytest session was started


def test_a_lab_run_from_this_checkout_keeps_the_students_language(tmp_path: Path) -> None:
    """The suite's conftest.py pins English for the suite; a bundled lab run from the checkout
    loads it too (it is the rootdir's) and must not lose the student's Spanish."""
    env = {key: value for key, value in locale_env(SPANISH).items() if key != "LABCHECK_TEST_LOCALE"}
    (tmp_path / "a-file").write_text("not a folder\n", "utf-8")
    out = tmp_path / "a-file" / "out"  # refused by the plugin's pre-flight, inside the session
    done = run_labcheck("run", "specs/ops-stage1", "--target", "node1=local", "--out", str(out), env=env)
    assert done.returncode == 2
    assert f"no se puede escribir en la carpeta de salida {out}" in done.stdout, done.stdout
