from __future__ import annotations

from pathlib import Path

import pytest

from labcheck.errors import SpecInvalid
from labcheck.spec.loader import load_lab, parse_duration

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "specs" / "ops-stage1"

MINIMAL = """\
labcheck: 1
lab: {id: tiny, title: Mínimo, language: es, version: "1"}
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


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lab.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SpecInvalid) as caught:
        load_lab(write(tmp_path, text))
    return [(p.line, p.key, p.message) for p in caught.value.problems]


def test_bundled_lab_loads_every_step_of_the_report() -> None:
    lab = load_lab(BUNDLED)
    ids = [step.id for step in lab.steps]
    assert lab.id == "ops-stage1" and lab.language == "es"
    assert len(ids) == len(set(ids)) >= 50
    assert ids[0] == "hello-world" and "swarm-init" in ids and ids[-1] == "vote-page"
    assert lab.step("swarm-join").node == "node2"
    assert lab.step("ubuntu-figlet").uses_pty and lab.step("ubuntu-figlet").timeout_s == 300
    assert lab.step("hello-world").number == "1.0.a"
    assert lab.step("vote-page").requires == ("routing_mesh",)
    assert len(lab.sha256) == 64


def test_minimal_spec_loads(tmp_path: Path) -> None:
    lab = load_lab(write(tmp_path, MINIMAL))
    assert [s.id for s in lab.steps] == ["hello"] and lab.steps[0].timeout_s == 60


def test_typo_in_a_key_names_file_line_and_key(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("        expect:", "        exepct:"))
    unknown = [p for p in found if "unknown key 'exepct'" in p[2]]
    assert unknown and unknown[0][0] == 10
    assert unknown[0][1].endswith("steps[0].exepct") and "did you mean 'expect'" in unknown[0][2]


def test_error_message_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid) as caught:
        load_lab(write(tmp_path, MINIMAL.replace("exit_code: 0", "exit_code: cero")))
    assert str(caught.value).startswith(f"{tmp_path / 'lab.yaml'}:11: ")
    assert "expected a whole number" in str(caught.value)


def test_duration_without_unit_is_refused(tmp_path: Path) -> None:
    found = problems(
        tmp_path, MINIMAL.replace("        run: echo hola", "        run: echo hola\n        timeout: 30")
    )
    assert found[0][0] == 10 and "duration with its unit" in found[0][2]


@pytest.mark.parametrize(
    "expect",
    ["output: []", "output:\n            - contains: ''", "state: []", "output:\n            - matches: ''"],
)
def test_expectation_that_checks_nothing_is_an_error(tmp_path: Path, expect: str) -> None:
    text = MINIMAL.replace("exit_code: 0", expect)
    found = problems(tmp_path, text)
    assert any("checks nothing" in message for _, _, message in found)


def test_matcher_with_two_kinds_is_an_error(tmp_path: Path) -> None:
    found = problems(
        tmp_path, MINIMAL.replace("exit_code: 0", "output:\n            - {contains: a, matches: b}")
    )
    assert "exactly one of" in found[0][2]


def test_needs_must_point_to_an_earlier_step(tmp_path: Path) -> None:
    found = problems(
        tmp_path, MINIMAL.replace("        run: echo hola", "        run: echo hola\n        needs: [later]")
    )
    assert found[0][0] == 10 and "'later' is not a step that comes before" in found[0][2]


def test_placeholder_must_be_captured_first(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("run: echo hola", "run: docker start ${{ box }}"))
    assert found[0][0] == 9 and "box" in found[0][2]


def test_stderr_rules_are_refused_under_a_terminal(tmp_path: Path) -> None:
    text = MINIMAL.replace("run: echo hola", "run: sh\n        input: [exit]").replace(
        "exit_code: 0", "stderr:\n            - contains: x"
    )
    found = problems(tmp_path, text)
    assert "use 'output'" in found[0][2]


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("title: Saludo", "title: [Saludo"))
    assert found[0][1] == "(yaml)" and found[0][0] is not None


def test_invalid_regex_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("exit_code: 0", "output:\n            - matches: '(unclosed'"))
    assert "not a valid regular expression" in found[0][2]


def test_missing_lab_file_is_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("sections:", "files:\n  - path: index.js\nsections:"))
    assert "index.js" in found[0][2]


@pytest.mark.parametrize(("text", "seconds"), [("500ms", 0.5), ("30s", 30), ("2m", 120), ("1.5h", 5400)])
def test_durations_have_units(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_a_rule_says_what_it_checks_in_the_authors_words(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "exit_code: 0",
        "output:\n            - {matches: '(?m)^d[rwx-]{9} .* etc$',\n"
        "               says: la lista muestra el directorio etc}\n"
        "          state:\n            - {image: {ref: alpine, exists: true},\n"
        "               says: alpine está en el equipo}",
    )
    step = load_lab(write(tmp_path, text)).steps[0]
    assert step.matchers[0].says == "la lista muestra el directorio etc"
    assert step.state_checks[0].says == "alpine está en el equipo"
    # `says` is words about the rule, not a rule kind of its own.
    assert step.matchers[0].kind == "matches"


def test_says_must_be_text(tmp_path: Path) -> None:
    rule = "output:\n            - {contains: a, says: [x]}"
    found = problems(tmp_path, MINIMAL.replace("exit_code: 0", rule))
    assert found and "says" in " ".join(f"{key} {message}" for _, key, message in found)
