"""Every outcome a step can have, through real `pytest --labcheck` sessions on the local target:
the steps are plain shell commands run on this machine, so none of this needs Docker."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from labcheck.signing.keys import SIGNING_KEY_ENV, PrivateKey
from tests.evidence_words import said
from tests.locale_env import use_locale

pytest_plugins = ["pytester"]

HEADER = """\
labcheck: 1
lab: {id: local-outcomes, title: Resultados en local, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
"""


def _spec(pytester: pytest.Pytester, steps: str) -> Path:
    return pytester.makefile(".yaml", lab=HEADER + steps)


def _run(pytester: pytest.Pytester, spec: Path, *extra: str) -> pytest.RunResult:
    # A subprocess: the run installs its own signal handlers, which must not stay in this one.
    return pytester.runpytest_subprocess(
        "--labcheck", str(spec), "--labcheck-target", "host=local", "--labcheck-out", "out", *extra
    )


def _evidence(pytester: pytest.Pytester) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((pytester.path / "out" / "evidence.json").read_text("utf-8"))
    return document


def _steps(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["id"]: step for step in document["steps"]}


def _alive(pid: int) -> bool:
    """Still running a moment after the run ended. A killed process can linger as a zombie
    until whoever inherited it reaps it: that one is dead, and counts as gone."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return False
        if state == "Z":
            return False
        time.sleep(0.1)
    return True


def test_a_step_that_does_what_it_should_passes(pytester: pytest.Pytester) -> None:
    spec = _spec(
        pytester,
        """\
      - id: greet
        title: Saludo
        run: echo "hola desde $(pwd)"
        expect:
          exit_code: 0
          output: [{contains: hola desde}]
""",
    )
    result = _run(pytester, spec)
    result.assert_outcomes(passed=1)
    document = _evidence(pytester)
    assert document["run"]["status"] == "complete"
    assert document["targets"]["host"]["kind"] == "local"
    step = _steps(document)["greet"]
    assert step["outcome"] == "passed"
    # It ran in the run's own home for the node, never in the folder pytest was started from.
    home = (pytester.path / "out" / "homes" / "host").resolve()
    assert step["transcript"]["text"].strip() == f"hola desde {home}"


def test_the_evidence_names_no_folder_of_the_machine(pytester: pytest.Pytester) -> None:
    """The spec is given by its absolute path; the evidence a student hands in names it, and the
    line of each step, from where the run started (no home folder, no user name)."""
    spec = _spec(
        pytester,
        """\
      - id: greet
        title: Saludo
        run: echo hola
        expect: {exit_code: 0}
""",
    )
    assert spec.is_absolute()
    _run(pytester, spec).assert_outcomes(passed=1)
    document = _evidence(pytester)
    assert document["spec"]["path"] == "lab.yaml"
    assert _steps(document)["greet"]["spec_location"] == "lab.yaml:7"
    assert str(pytester.path) not in (pytester.path / "out" / "evidence.json").read_text("utf-8")


def test_a_step_whose_output_lacks_the_text_fails_with_what_it_printed(pytester: pytest.Pytester) -> None:
    spec = _spec(
        pytester,
        """\
      - id: greet
        title: Saludo
        run: echo adios
        expect:
          exit_code: 0
          output: [{contains: hola}]
""",
    )
    result = _run(pytester, spec)
    result.assert_outcomes(failed=1)
    step = _steps(_evidence(pytester))["greet"]
    assert step["outcome"] == "failed"
    assert step["transcript"]["text"].strip() == "adios"
    verdicts = {check["code"].partition(".")[0]: check["verdict"] for check in step["checks"]}
    assert "failed" in verdicts.values() and "passed" in verdicts.values()


def test_a_step_that_needs_a_failed_one_and_one_that_requires_an_engine_are_skipped(
    pytester: pytest.Pytester,
) -> None:
    spec = _spec(
        pytester,
        """\
      - id: broken
        title: Roto
        run: exit 3
        expect: {exit_code: 0}
      - id: after
        title: Después
        needs: [broken]
        run: echo no debería ejecutarse
        expect: {exit_code: 0}
      - id: mesh
        title: Malla
        requires: [routing_mesh]
        run: echo tampoco
        expect: {exit_code: 0}
""",
    )
    result = _run(pytester, spec, "-p", "no:randomly")
    result.assert_outcomes(failed=1, skipped=2)
    steps = _steps(_evidence(pytester))
    assert steps["broken"]["exit_code"] == 3
    assert steps["after"]["outcome"] == "skipped" and "broken" in said(steps["after"]["reason"])
    assert steps["mesh"]["outcome"] == "skipped" and "routing_mesh" in said(steps["mesh"]["reason"])
    assert steps["after"]["attempts"] == steps["mesh"]["attempts"] == 0


def test_a_step_out_of_time_is_stopped_whole_and_keeps_its_partial_output(pytester: pytest.Pytester) -> None:
    spec = _spec(
        pytester,
        """\
      - id: slow
        title: Lento
        run: sleep 300 & echo "hijo $!"; echo parcial; wait
        timeout: 1s
        expect: {exit_code: 0}
""",
    )
    result = _run(pytester, spec)
    result.assert_outcomes(failed=1)
    step = _steps(_evidence(pytester))["slow"]
    assert step["outcome"] == "failed" and step["timed_out"] is True
    text = step["transcript"]["text"]
    assert "parcial" in text
    child = int(text.split("hijo ", 1)[1].split()[0])
    assert not _alive(child), "the step's background child outlived its timeout"


def test_an_interrupted_step_is_recorded_with_what_it_printed(pytester: pytest.Pytester) -> None:
    spec = _spec(
        pytester,
        """\
      - id: first
        title: Primero
        run: echo uno
        expect: {exit_code: 0}
      - id: long
        title: Largo
        run: echo empezado; touch started; sleep 300
        timeout: 10m
        expect: {exit_code: 0}
      - id: never
        title: Nunca
        run: echo nunca
        expect: {exit_code: 0}
""",
    )
    command = ["-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "--labcheck", str(spec)]
    child = subprocess.Popen(
        [sys.executable, *command, "--labcheck-target", "host=local", "--labcheck-out", "out"],
        cwd=pytester.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = pytester.path / "out" / "homes" / "host" / "started"
    while not started.exists() and child.poll() is None:
        time.sleep(0.1)  # waiting for the long step to begin, not measuring anything
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert "Traceback" not in out + err
    document = _evidence(pytester)
    assert document["run"]["status"] == "interrupted"
    steps = _steps(document)
    assert steps["first"]["outcome"] == "passed"
    assert steps["long"]["outcome"] == "error"
    assert "empezado" in steps["long"]["transcript"]["text"]
    assert "never" not in steps


def test_a_local_step_gets_no_secret_and_no_engine_address(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = PrivateKey.generate().pem().decode()
    monkeypatch.setenv(SIGNING_KEY_ENV, key)
    monkeypatch.setenv("CI_JOB_TOKEN", "a-ci-token")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nowhere.sock")
    spec = _spec(
        pytester,
        """\
      - id: env
        title: Entorno
        run: env
        expect: {exit_code: 0}
""",
    )
    _run(pytester, spec).assert_outcomes(passed=1)
    text = _steps(_evidence(pytester))["env"]["transcript"]["text"]
    assert "PATH=" in text
    for leaked in ("PRIVATE KEY", key.splitlines()[1], "a-ci-token", "DOCKER_HOST=", SIGNING_KEY_ENV):
        assert leaked not in text


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("C.UTF-8", "the state check 'container' needs a Docker engine; node host is local"),
        (
            "es_ES.UTF-8",
            "la comprobación de estado «container» necesita un motor Docker, y el nodo host es local",
        ),
    ],
)
def test_a_state_check_on_a_local_node_is_refused_before_any_step(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, locale: str, said: str
) -> None:
    use_locale(monkeypatch, locale)
    spec = _spec(
        pytester,
        """\
      - id: greet
        title: Saludo
        run: echo hola
        expect: {exit_code: 0}
      - id: web
        title: Web
        run: echo web
        expect:
          exit_code: 0
          state:
            - container: {ref: web, status: running}
""",
    )
    result = _run(pytester, spec)
    assert result.ret == 2
    output = result.stdout.str() + result.stderr.str()
    assert said in output, output
    assert f"{spec.name}:" in output
    assert "Traceback" not in output
    assert not (pytester.path / "out" / "evidence.json").exists()


WORDS_SPEC = """\
      - id: greet
        title: Greet
        run: echo adios
        hint: the greeting is hola
        expect:
          exit_code: 0
          output: [{contains: hola}]
      - id: after
        title: After
        needs: [greet]
        run: echo later
        expect: {exit_code: 0}
"""


@pytest.mark.parametrize("locale", ["C.UTF-8", "es_ES.UTF-8"])
def test_the_terminal_speaks_the_locale_in_every_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    use_locale(monkeypatch, locale)
    result = _run(pytester, _spec(pytester, WORDS_SPEC), "-p", "no:randomly", "-rs")
    result.assert_outcomes(failed=1, skipped=1)
    out = result.stdout.str()
    english = {
        "step": "Step 1.a «Greet» (",
        "check": "✗ the output contains «hola»",
        "missing": "    «hola» does not appear; this is how the output starts:\n      1 │ adios\n",
        "hint": "Hint: the greeting is hola",
        "skip": "skipped: it needs step 'greet', which failed",
        "evidence": "evidence: out/evidence.json",
        "html": "HTML report: out/informe.html",
        "pdf": "PDF report: out/informe.pdf",
    }
    spanish = {
        "step": "Paso 1.a «Greet» (",
        "check": "✗ la salida contiene «hola»",
        "missing": "    no aparece «hola»; así empieza la salida:\n      1 │ adios\n",
        "hint": "Pista: the greeting is hola",
        "skip": "omitido: depende del paso «greet», que falló",
        "evidence": "evidencia: out/evidence.json",
        "html": "informe HTML: out/informe.html",
        "pdf": "informe PDF: out/informe.pdf",
    }
    said, other = (spanish, english) if locale.startswith("es") else (english, spanish)
    for key, words in said.items():
        assert words in out, (key, out)
    for key, words in other.items():
        assert words not in out, (key, out)
    # The output the check just showed (one line, adios) is not shown again as its last lines.
    assert "Last lines of the output:" not in out and "Últimas líneas de la salida:" not in out


LONG_OUTPUT_SPEC = """\
      - id: rows
        title: Rows
        run: for i in $(seq 1 30); do echo "row $i"; done
        expect:
          output: [{contains: "row 17 of 30"}]
"""


def test_a_missing_line_is_shown_where_it_should_have_been_then_the_last_lines(
    pytester: pytest.Pytester,
) -> None:
    result = _run(pytester, _spec(pytester, LONG_OUTPUT_SPEC), "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert (
        "✗ the output contains «row 17 of 30»\n"
        "    «row 17 of 30» does not appear; the closest is on line 17:\n"
        "      15 │ row 15\n      16 │ row 16\n    → 17 │ row 17\n      18 │ row 18\n      19 │ row 19\n"
        "Last lines of the output:\nrow 16\n"
    ) in out, out


CAPTURE_SPEC = """\
      - id: token
        title: Token
        run: echo "no token here"
        capture:
          - {name: token, from: output, pattern: 'SWMTKN-[0-9a-z-]+'}
        expect: {exit_code: 0}
"""


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("C.UTF-8", "    it could not be captured: /SWMTKN-[0-9a-z-]+/ is not in the output\n"),
        ("es_ES.UTF-8", "    no se pudo capturar: /SWMTKN-[0-9a-z-]+/ no aparece en la salida\n"),
    ],
)
def test_a_capture_that_finds_nothing_is_kept_as_a_reason_and_said_in_the_locales_language(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, locale: str, said: str
) -> None:
    use_locale(monkeypatch, locale)
    result = _run(pytester, _spec(pytester, CAPTURE_SPEC), "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    assert said in result.stdout.str(), result.stdout.str()
    check = next(c for c in _steps(_evidence(pytester))["token"]["checks"] if c["code"] == "capture")
    # The evidence holds the code and its facts, not a sentence in either language.
    assert check["observed"] is None
    assert check["reason"] == {"code": "capture_not_found", "params": {"pattern": "SWMTKN-[0-9a-z-]+"}}
