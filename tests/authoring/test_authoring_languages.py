"""The authoring commands speak the locale's language, one per line: `labcheck lint`'s findings and
summary, `labcheck import`'s and `labcheck record`'s notes, `labcheck run`'s "no lab" errors, in
Spanish under LANG=es_ES.UTF-8 and in English under LANG=C, every count agreeing on 0, 1 and 2.
The real command runs on real specs; the reference runs are real runs on the local target."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.authoring.labs import PWD_STYLE
from tests.authoring.test_lint import ECHO_TRAP, HEADER
from tests.authoring.test_record_local import SPEC as RECORD_SPEC
from tests.catalog_words import language_in, other_language_in
from tests.cli_process import PLAIN_C, run_labcheck, run_labcheck_in_both
from tests.locale_env import SPANISH

ENGLISH = PLAIN_C
TIMEOUT_S = 300  # two labcheck at once per case, on a machine running other tests


def both(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    return run_labcheck_in_both(*args, cwd=cwd, timeout=TIMEOUT_S)


def assert_worded_lines_in(language: str, lines: list[str]) -> None:
    """Each line says something in the language's own words, and nothing in the other's."""
    for line in lines:
        assert language_in(line, language), f"not in {language}: {line}"
        assert other_language_in(line, language) == [], f"mixed: {line}"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


UNBOUNDED = """\
      - id: {id}
        title: Listar
        run: ls
        expect:
          output:
            - lines: {{min: 0}}
"""
SOUND = """\
      - id: quiet
        title: Nada
        run: "true"
        expect:
          exit_code: 0
"""


def test_lint_findings_and_summary_are_in_the_locales_language(tmp_path: Path) -> None:
    _write(tmp_path / "trap", "lab.yaml", ECHO_TRAP)
    spanish, english = both(tmp_path, "lint", "trap")
    assert spanish.returncode == english.returncode == 1, spanish.stderr + english.stderr
    es, en = spanish.stdout.splitlines(), english.stdout.splitlines()
    assert len(es) == len(en) == 5
    # The same finding on each line, file:line and key as they are, its words translated.
    assert [line.split(": ", 2)[:2] for line in es] == [line.split(": ", 2)[:2] for line in en]
    assert es[0].endswith(
        "contains «hello docker», que el propio paso teclea (línea de entrada 1): el terminal hace eco "
        "de ello, así que la regla se cumple imprima lo que imprima la orden"
    )
    assert en[0].endswith(
        "contains «hello docker», which the step itself types (input line 1): the terminal echoes it, "
        "so the rule passes whatever the command prints"
    )
    assert_worded_lines_in("es", es[:-1])
    assert_worded_lines_in("en", en[:-1])
    assert es[-1] == "lint: trap/lab.yaml: 4 hallazgos (1 paso, 5 reglas de salida)"  # as the README says
    assert en[-1] == "lint: trap/lab.yaml: 4 findings (1 step, 5 output rules)"


def test_lint_counts_agree_on_zero_one_and_two(tmp_path: Path) -> None:
    specs = {
        "zero": HEADER + SOUND,
        "one": HEADER + UNBOUNDED.format(id="ls"),
        "two": HEADER + UNBOUNDED.format(id="ls") + UNBOUNDED.format(id="ls-again"),
    }
    for name, text in specs.items():
        _write(tmp_path / name, "lab.yaml", text)
    with ThreadPoolExecutor(3) as pool:
        done = dict(zip(specs, pool.map(lambda name: both(tmp_path, "lint", name), specs), strict=True))
    said = {name: (es.stdout.splitlines()[-1], en.stdout.splitlines()[-1]) for name, (es, en) in done.items()}
    assert said == {
        "zero": (
            "lint: zero/lab.yaml: sin hallazgos (1 paso, 0 reglas de salida)",
            "lint: zero/lab.yaml: clean (1 step, 0 output rules)",
        ),
        "one": (
            "lint: one/lab.yaml: 1 hallazgo (1 paso, 1 regla de salida)",
            "lint: one/lab.yaml: 1 finding (1 step, 1 output rule)",
        ),
        "two": (
            "lint: two/lab.yaml: 2 hallazgos (2 pasos, 2 reglas de salida)",
            "lint: two/lab.yaml: 2 findings (2 steps, 2 output rules)",
        ),
    }
    assert [done[name][0].returncode for name in specs] == [0, 1, 1]


STEPS = {
    "count": """\
      - id: count
        title: Contar
        run: printf 'one\\ntwo\\nthree\\n'
        expect:
          output:
            - lines: {min: 1}
""",
    "greet": """\
      - id: greet
        title: Saludar
        run: echo hello
        expect:
          output:
            - contains: hello
""",
    "agree": """\
      - id: agree
        title: Asentir
        run: echo yes
        expect:
          output:
            - equals: "yes"
""",
    "fail-one": """\
      - id: fail-one
        title: Fallar
        run: echo no; exit 3
        expect:
          exit_code: 0
""",
    "fail-two": """\
      - id: fail-two
        title: Fallar otra vez
        run: echo nope; exit 4
        expect:
          exit_code: 0
""",
}


def _lab(lab_id: str, *steps: str) -> str:
    return HEADER.replace("lint-trap", lab_id) + "".join(STEPS[step] for step in steps)


def _reference_run(folder: Path, text: str) -> Path:
    """A real run on the local target (plain processes, no engine); its failing steps are wanted."""
    spec = _write(folder, "lab.yaml", text)
    argv = [
        *(sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"),
        *("--labcheck", str(spec), "--labcheck-target", "host=local"),
        *("--labcheck-out", str(folder / "out"), "--labcheck-no-report", "--rootdir", str(folder)),
    ]
    subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=folder, check=False)
    evidence = folder / "out" / "evidence.json"
    assert evidence.is_file()
    return evidence


def test_lint_from_a_reference_run_counts_in_the_locales_language(tmp_path: Path) -> None:
    # One run with two passing steps (one "other step" each), one with three (two others).
    with ThreadPoolExecutor(2) as pool:
        few, many = pool.map(
            lambda args: _reference_run(*args),
            [
                (tmp_path / "few", _lab("few", "count", "greet", "fail-one", "fail-two")),
                (tmp_path / "many", _lab("many", "count", "greet", "agree")),
            ],
        )
    # Specs of the same labs holding some of the run's steps (or none of them) judge fewer again.
    _write(tmp_path / "one", "lab.yaml", _lab("few", "count", "fail-one"))
    _write(tmp_path / "none", "lab.yaml", _lab("few", "agree"))
    cases = {
        "few": ("few", few),
        "one": ("one", few),
        "none": ("none", few),
        "many": ("many", many),
    }
    with ThreadPoolExecutor(4) as pool:
        done = dict(
            zip(
                cases,
                pool.map(
                    lambda case: both(
                        tmp_path, "lint", case[0], "--evidence", str(case[1].relative_to(tmp_path))
                    ),
                    cases.values(),
                ),
                strict=True,
            )
        )
    lines = {name: (es.stdout.splitlines(), en.stdout.splitlines()) for name, (es, en) in done.items()}
    es, en = lines["few"]
    assert es[-1] == (
        "lint: few/lab.yaml: 2 hallazgos (4 pasos, 2 reglas de salida; 2 pasos juzgados de nuevo con "
        "few/out/evidence.json (2 no superados en esa ejecución, no se juzgan: fail-one, fail-two))"
    )
    assert en[-1] == (
        "lint: few/lab.yaml: 2 findings (4 steps, 2 output rules; 2 steps judged again from "
        "few/out/evidence.json (2 not passed there, not judged: fail-one, fail-two))"
    )
    assert es[:-1] == [
        "few/lab.yaml:12: sections[0].steps[0].expect.output[0].lines: se sigue cumpliendo con la salida "
        "de este paso con una línea menos y con una línea más",
        "few/lab.yaml:12: sections[0].steps[0].expect.output[0].lines: se cumple con la salida del otro "
        "paso de la ejecución: no distingue la salida de este paso",
    ]
    assert en[1].endswith(
        "passes on the output of the run's one other step: it does not tell this step's output apart"
    )
    es, en = lines["one"]
    assert es[-1].endswith(
        "(2 pasos, 1 regla de salida; 1 paso juzgado de nuevo con few/out/evidence.json "
        "(1 no superado en esa ejecución, no se juzga: fail-one))"
    )
    assert en[-1].endswith(
        "(2 steps, 1 output rule; 1 step judged again from few/out/evidence.json "
        "(1 not passed there, not judged: fail-one))"
    )
    es, en = lines["none"]
    assert es == [
        "lint: none/lab.yaml: sin hallazgos (1 paso, 1 regla de salida; 0 pasos juzgados de nuevo con "
        "few/out/evidence.json)"
    ]
    assert en == [
        "lint: none/lab.yaml: clean (1 step, 1 output rule; 0 steps judged again from few/out/evidence.json)"
    ]
    es, en = lines["many"]
    assert es[1].endswith(
        "se cumple con la salida de todos los demás pasos de la ejecución (2): "
        "no distingue la salida de este paso"
    )
    assert en[1].endswith(
        "passes on the output of every other step of the run (2): it does not tell this step's output apart"
    )
    assert es[-1].endswith(
        "(3 pasos, 3 reglas de salida; 3 pasos juzgados de nuevo con many/out/evidence.json)"
    )
    for name in cases:
        assert_worded_lines_in("es", lines[name][0][:-1])
        assert_worded_lines_in("en", lines[name][1][:-1])
    wrong = both(tmp_path, "lint", "one", "--evidence", str(many))
    assert wrong[0].returncode == wrong[1].returncode == 2
    assert wrong[0].stderr == f"labcheck: {many}: es la evidencia del laboratorio 'many', no de 'few'\n"
    assert wrong[1].stderr == f"labcheck: {many}: is the evidence of lab 'many', not 'few'\n"


NO_COMMAND = "# Nothing to run\n\nJust prose.\n"
ONE_OF_EACH = """---
title: "One of each"
---

## 1 Start

Start a container:

```.term1
docker container run -d alpine sleep 1000
```

Stop it by its ID:

```.term1
docker container stop <container ID>
```

```
Using default tag: latest
```
"""


def test_import_says_what_it_wrote_and_left_in_the_locales_language(tmp_path: Path) -> None:
    labs = {"pwd": PWD_STYLE, "none": NO_COMMAND, "each": ONE_OF_EACH}
    for name, text in labs.items():
        for language in ("es", "en"):
            _write(tmp_path / language, f"{name}.md", text)

    def run(case: tuple[str, str, str]) -> subprocess.CompletedProcess[str]:
        name, locale, language = case
        return run_labcheck(
            "import", f"{name}.md", "-o", name, cwd=tmp_path / language, locale=locale, timeout=TIMEOUT_S
        )

    cases = [
        (name, locale, language) for name in labs for locale, language in ((SPANISH, "es"), (ENGLISH, "en"))
    ]
    with ThreadPoolExecutor(3) as pool:
        done = {case[:2]: result for case, result in zip(cases, pool.map(run, cases), strict=True)}
    assert all(result.returncode == 0 for result in done.values()), [r.stderr for r in done.values()]
    said = {key: result.stdout.splitlines() for key, result in done.items()}
    assert said[("pwd", SPANISH)][:3] == [
        "se escribió pwd/lab.yaml",
        "  9 pasos, 2 nodos, 3 capturas por confirmar, 2 reglas de salida propuestas, "
        "2 puntos pendientes para el autor",
        "pendiente para el autor:",
    ]
    assert said[("pwd", ENGLISH)][:3] == [
        "wrote pwd/lab.yaml",
        "  9 steps, 2 nodes, 3 captures to confirm, 2 output rules proposed, 2 items left for the author",
        "left for the author:",
    ]
    assert said[("none", SPANISH)] == [
        "se escribió none/lab.yaml",
        "  0 pasos, 1 nodo, 0 capturas por confirmar, 0 reglas de salida propuestas, "
        "1 punto pendiente para el autor",
        "pendiente para el autor:",
        "  - no se encontró ninguna orden (ni bloque de terminal, ni bloque de shell, ni prompt `$ `): "
        "ningún paso",
    ]
    assert said[("none", ENGLISH)][1] == (
        "  0 steps, 1 node, 0 captures to confirm, 0 output rules proposed, 1 item left for the author"
    )
    assert said[("each", SPANISH)] == [
        "se escribió each/lab.yaml",
        "  2 pasos, 1 nodo, 1 captura por confirmar, 1 regla de salida propuesta, "
        "0 puntos pendientes para el autor",
    ]
    assert said[("each", ENGLISH)][1] == (
        "  2 steps, 1 node, 1 capture to confirm, 1 output rule proposed, 0 items left for the author"
    )
    for (_, locale), lines in said.items():
        assert_worded_lines_in("es" if locale == SPANISH else "en", lines[3:])
    # What goes into the pack is the lab's content: its comments are the same whatever the locale.
    for name in labs:
        spanish_pack = (tmp_path / "es" / name / "lab.yaml").read_text(encoding="utf-8")
        assert spanish_pack == (tmp_path / "en" / name / "lab.yaml").read_text(encoding="utf-8")
    again = run_labcheck(
        "import", "pwd.md", "-o", "pwd", cwd=tmp_path / "es", locale=SPANISH, timeout=TIMEOUT_S
    )
    assert again.returncode == 2
    assert again.stderr == (
        "labcheck: pwd/lab.yaml ya existe: indica otra carpeta con -o (no se escribió nada)\n"
    )


def test_record_says_what_it_proposed_in_the_locales_language(tmp_path: Path) -> None:
    def run(case: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        locale, runs = case
        pack = tmp_path / runs
        _write(pack, "lab.yaml", RECORD_SPEC)
        return run_labcheck(
            "record",
            ".",
            "--runs",
            runs,
            "--target",
            "host=local",
            cwd=pack,
            locale=locale,
            timeout=TIMEOUT_S,
        )

    with ThreadPoolExecutor(2) as pool:
        spanish, english = pool.map(run, [(SPANISH, "1"), (ENGLISH, "2")])
    assert spanish.returncode == english.returncode == 0, spanish.stderr + english.stderr
    assert spanish.stdout.splitlines() == [
        "record: ejecución de referencia 1 de 1 ...",
        f"record: {tmp_path / '1' / 'lab.yaml'}: propuesto a partir de 1 ejecución: 1 código de salida, "
        "2 reglas de salida y 0 comprobaciones de estado",  # one run: its nanoseconds line too
        f"  - paso 'count': {tmp_path / '1' / 'lab.yaml'}:17: su regla contains falla en todas las "
        "ejecuciones de referencia",
    ]
    assert english.stdout.splitlines() == [
        "record: reference run 1 of 2 ...",
        "record: reference run 2 of 2 ...",
        f"record: {tmp_path / '2' / 'lab.yaml'}: 1 exit code, 1 output rule and 0 state checks proposed "
        "from 2 runs",
        f"  - step 'count': {tmp_path / '2' / 'lab.yaml'}:17: its contains rule fails on every reference run",
    ]
    # The proposals written into the lab's YAML are its content, in the same words either way.
    assert "# recorded: the reference run\n" in (tmp_path / "1" / "lab.yaml").read_text(encoding="utf-8")


def test_run_says_there_is_no_such_lab_in_the_locales_language(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    spanish, english = both(tmp_path, "run", "no-such-lab")
    assert spanish.returncode == english.returncode == 2
    assert spanish.stderr == (
        "labcheck: no-such-lab: no existe ese archivo ni esa carpeta, y ningún laboratorio incluido tiene "
        "ese id (`labcheck labs` lista los laboratorios incluidos)\n"
    )
    assert english.stderr == (
        "labcheck: no-such-lab: no such file or folder, and no bundled lab has that id "
        "(`labcheck labs` lists the bundled labs)\n"
    )
    spanish, english = both(tmp_path, "run", "empty")
    assert spanish.stderr == (
        "labcheck: empty: aquí no hay ningún laboratorio: se buscó lab.yaml o lab.yml en esta carpeta "
        "y por debajo de ella\n"
    )
    assert english.stderr == (
        "labcheck: empty: no lab here: looked for lab.yaml or lab.yml in this folder and below it\n"
    )
