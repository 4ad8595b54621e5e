"""A file labcheck refuses to read (a symlink out of its folder, a loop, a FIFO, a hard link, a
folder, one too big) is said in the locale's language by the real command line: under
LANG=es_ES.UTF-8 no line holds confined's English reason; under LANG=C the English is today's."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.cli_process import PLAIN_C, run_labcheck, run_labcheck_in_both
from tests.locale_env import SPANISH

ROOT = Path(__file__).resolve().parents[2]
WIDTH = 100

# The English words of every reason confined and the batch scan give: none may reach a Spanish line.
_ENGLISH = re.compile(
    r"symlink|not read|regular file|hard link|too big|the limit|outside|no such|folder|"
    r"does not exist|the workspace|the spec|submissions|lab files refused|not started"
)


def both(
    *argv: str, cwd: Path = ROOT
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    spanish, english = run_labcheck_in_both(*argv, cwd=cwd, columns=WIDTH)
    assert "Traceback" not in spanish.stderr + english.stderr + spanish.stdout + english.stdout
    return spanish, english


def assert_no_english(lines: list[str]) -> None:
    """No line says an English reason (paths and file names, which are the user's, left aside)."""
    for line in lines:
        words = " ".join(word for word in line.split() if "/" not in word and "'" not in word)
        assert not _ENGLISH.search(words), line


def indented(text: str) -> list[str]:
    """The lines that name one refused file each (indented under their heading)."""
    return [line.strip() for line in text.splitlines() if line.startswith("  ")]


def test_a_batch_of_hostile_submissions_is_said_in_the_locales_language(tmp_path: Path) -> None:
    subs = tmp_path / "entregas"
    subs.mkdir()
    (subs / "fuera.json").symlink_to("/etc/passwd")
    (subs / "roto.json").symlink_to("nada.json")
    (subs / "bucle.json").symlink_to("bucle.json")
    os.mkfifo(subs / "tuberia.json")
    (subs / "vacia").mkdir()
    for name, target in [
        ("enlazada", "/etc/passwd"),
        ("perdida", "nada.json"),
        ("enredada", "evidence.json"),
    ]:
        (subs / name).mkdir()
        (subs / name / "evidence.json").symlink_to(target)
    (subs / "canal").mkdir()
    os.mkfifo(subs / "canal" / "evidence.json")
    spanish, english = both("verify", "--spec", str(ROOT / "specs" / "ops-stage1"), str(subs))
    assert spanish.returncode == english.returncode == 1, spanish.stdout + spanish.stderr
    at = f"{subs}/"
    assert indented(spanish.stdout) == [
        f"{at}bucle.json: es un enlace simbólico que no lleva a ninguna parte (roto, o en bucle): no se lee",
        f"{at}canal/evidence.json: es una FIFO (tubería con nombre), no un archivo normal: no se lee",
        f"{at}enlazada/evidence.json: es un enlace simbólico a /etc/passwd, fuera de la carpeta de entregas:"
        " no se lee",
        f"{at}enredada/evidence.json: es un bucle de enlaces simbólicos",
        f"{at}fuera.json: es un enlace simbólico a /etc/passwd, fuera de la carpeta de entregas: no se lee",
        f"{at}perdida/evidence.json: es un enlace simbólico a nada.json, que no existe",
        f"{at}roto.json: es un enlace simbólico que no lleva a ninguna parte (roto, o en bucle): no se lee",
        f"{at}tuberia.json: es una FIFO (tubería con nombre), no un archivo normal: no se lee",
        f"{at}vacia: no hay evidence.json en esta carpeta",
    ]
    assert_no_english(indented(spanish.stdout))
    assert indented(english.stdout) == [
        f"{at}bucle.json: is a symlink that leads nowhere (broken, or a loop): not read",
        f"{at}canal/evidence.json: is a FIFO (named pipe), not a regular file: not read",
        f"{at}enlazada/evidence.json: is a symlink to /etc/passwd, outside the submissions folder: not read",
        f"{at}enredada/evidence.json: is a symlink loop",
        f"{at}fuera.json: is a symlink to /etc/passwd, outside the submissions folder: not read",
        f"{at}perdida/evidence.json: is a symlink to nada.json, which does not exist",
        f"{at}roto.json: is a symlink that leads nowhere (broken, or a loop): not read",
        f"{at}tuberia.json: is a FIFO (named pipe), not a regular file: not read",
        f"{at}vacia: no evidence.json in this folder",
    ]


_HOSTILE_FILES = """\
labcheck: 1
lab: {{id: tiny, title: Mínimo, language: es, version: "1"}}
defaults: {{workdir: "~"}}
files: [{files}]
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


def _spec(folder: Path, *files: str) -> Path:
    folder.mkdir()
    spec = folder / "lab.yaml"
    spec.write_text(_HOSTILE_FILES.format(files=", ".join(f"{{path: {name}}}" for name in files)), "utf-8")
    return spec


def test_a_lab_file_that_cannot_be_used_is_said_in_the_locales_language(tmp_path: Path) -> None:
    names = ["bucle.js", "fuera.js", "roto.js", "tuberia.js", "carpeta", "etc/hostname"]
    spec = _spec(tmp_path / "lab", *names)
    lab = spec.parent
    (lab / "bucle.js").symlink_to("bucle.js")
    (lab / "fuera.js").symlink_to("/etc/hostname")
    (lab / "roto.js").symlink_to("nada.js")
    os.mkfifo(lab / "tuberia.js")
    (lab / "carpeta").mkdir()
    (lab / "etc").symlink_to("/etc")
    spanish, english = both("validate", str(spec))
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    here = f"{spec}:4: files"
    assert spanish.stderr.splitlines() == [
        f"{here}[0].path: el archivo del laboratorio 'bucle.js' es un bucle de enlaces simbólicos",
        f"{here}[1].path: el archivo del laboratorio 'fuera.js' es un enlace simbólico a /etc/hostname, fuera"
        " de la carpeta de la especificación: no se lee",
        f"{here}[2].path: el archivo del laboratorio 'roto.js' es un enlace simbólico a nada.js, que no"
        " existe",
        f"{here}[3].path: el archivo del laboratorio 'tuberia.js' es una FIFO (tubería con nombre), no un"
        " archivo normal",
        f"{here}[4].path: el archivo del laboratorio 'carpeta' es una carpeta, no un archivo normal",
        f"{here}[5].path: el archivo del laboratorio 'etc/hostname' lleva a /etc/hostname (por un enlace"
        " simbólico), fuera de la carpeta de la especificación: no se lee",
    ]
    assert_no_english(spanish.stderr.splitlines())
    assert english.stderr.splitlines() == [
        f"{here}[0].path: the lab file 'bucle.js' is a symlink loop",
        f"{here}[1].path: the lab file 'fuera.js' is a symlink to /etc/hostname, outside the spec's folder:"
        " not read",
        f"{here}[2].path: the lab file 'roto.js' is a symlink to nada.js, which does not exist",
        f"{here}[3].path: the lab file 'tuberia.js' is a FIFO (named pipe), not a regular file",
        f"{here}[4].path: the lab file 'carpeta' is a folder, not a regular file",
        f"{here}[5].path: the lab file 'etc/hostname' leads to /etc/hostname (through a symlink), outside the"
        " spec's folder: not read",
    ]


def _refusal_lines(stdout: str, spec: Path) -> list[str]:
    """The refusal as the ERRORS section prints it. Under CI=true pytest repeats the whole message in
    its short summary instead of clipping it to one line, so the lines after that header are left out."""
    errors_section = stdout.split("short test summary info")[0]
    return [line for line in errors_section.splitlines() if line.startswith(("  ", str(spec)))]


def test_a_hard_link_or_a_file_too_big_stops_a_run_in_the_locales_language(tmp_path: Path) -> None:
    """Read before any node is touched: a run on this machine (no engine) stops at its lab files."""
    spec = _spec(tmp_path / "lab", "app.js", "grande.js")
    (spec.parent / "app.js").write_text("x\n", "utf-8")
    with (spec.parent / "grande.js").open("wb") as sparse:
        sparse.truncate(20 * 1024 * 1024)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / "otro.js").write_text("y\n", "utf-8")
    os.link(tmp_path / "otro.js", workspace / "app.js")
    argv = ["run", str(spec), "--target", "host=local", "--workspace", str(workspace)]
    # One output folder each: the two runs must not share one.
    spanish = run_labcheck(*argv, "--out", str(tmp_path / "es"), locale=SPANISH, columns=WIDTH)
    english = run_labcheck(*argv, "--out", str(tmp_path / "en"), locale=PLAIN_C, columns=WIDTH)
    said_es = _refusal_lines(spanish.stdout, spec)
    said_en = _refusal_lines(english.stdout, spec)
    assert said_es == [
        f"{spec}: no se empezó la ejecución; archivos del laboratorio rechazados:",
        f"  {workspace}/app.js: es un enlace duro (otro nombre de un archivo que está en otro sitio):"
        " no se lee",
        f"  {spec.parent}/grande.js: es demasiado grande (20,0 MB; el límite es 16,0 MB)",
    ], spanish.stdout
    assert_no_english(said_es)
    assert said_en == [
        f"{spec}: the run was not started; lab files refused:",
        f"  {workspace}/app.js: is a hard link (another name for a file elsewhere): not read",
        f"  {spec.parent}/grande.js: is too big (20.0 MB; the limit is 16.0 MB)",
    ], english.stdout


def test_a_students_report_or_picture_refused_is_said_in_the_locales_language(tmp_path: Path) -> None:
    """`report --from`: the Markdown file itself, then a picture that links out of its folder."""
    evidence = str(ROOT / "tests" / "data" / "evidence" / "ops-stage1.json")
    os.mkfifo(tmp_path / "informe.md")
    (tmp_path / "otro.md").write_text("# Informe\n\n![captura](foto.png)\n", "utf-8")
    (tmp_path / "foto.png").symlink_to("/etc/passwd")
    said = {}
    for markdown in ("informe.md", "otro.md"):
        spanish, english = both("report", evidence, "--from", markdown, "--no-pdf", cwd=tmp_path)
        assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
        said[markdown] = spanish.stderr.splitlines(), english.stderr.splitlines()
    assert said["informe.md"] == (
        ["labcheck: informe.md: es una FIFO (tubería con nombre), no un archivo normal: no se lee"],
        ["labcheck: informe.md: is a FIFO (named pipe), not a regular file: not read"],
    )
    spanish_lines, english_lines = said["otro.md"]
    assert spanish_lines == [
        "labcheck: no se escribió el informe; imágenes rechazadas:",
        "  otro.md:3: foto.png: es un enlace simbólico a /etc/passwd, fuera de la carpeta del archivo"
        " Markdown: no se lee",
    ]
    assert_no_english(spanish_lines)
    assert english_lines == [
        "labcheck: the report was not written; pictures refused:",
        "  otro.md:3: foto.png: is a symlink to /etc/passwd, outside the Markdown file's folder: not read",
    ]
