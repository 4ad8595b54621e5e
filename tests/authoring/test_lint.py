"""`labcheck lint`: a rule that cannot fail is found, statically and from a real reference run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.real_evidence import EVIDENCE

HEADER = """\
labcheck: 1
lab: {id: lint-trap, title: Trampas, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
"""

# An interactive step whose rules the echo of what it types satisfies, beside one that is sound.
ECHO_TRAP = (
    HEADER
    + """\
      - id: shout
        title: Gritar
        run: sh
        input: ['echo "hello docker" | tr a-z A-Z', exit]
        expect:
          output:
            - contains: hello docker
            - matches: "hello +docker"
            - contains: HELLO DOCKER
            - matches: "x*"
            - lines: {min: 0}
"""
)


def _lint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", "lint", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=cwd)


def _keys(stdout: str) -> list[str]:
    return re.findall(r"^\S+:[0-9]+: (\S+): ", stdout, re.M)


def test_the_echo_trap_is_found_with_its_file_line_and_key(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(ECHO_TRAP, encoding="utf-8")
    done = _lint(str(spec))
    assert done.returncode == 1, done.stderr
    rule = "sections[0].steps[0].expect.output"
    assert _keys(done.stdout) == [
        f"{rule}[0].contains",
        f"{rule}[1].matches",
        f"{rule}[3].matches",
        f"{rule}[4].lines",
    ]
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{spec}:13: ") and "which the step itself types (input line 1)" in lines[0]
    assert f"{spec}:14: " in lines[1] and "echo of the typed command" in lines[1]
    assert "matches the empty string" in lines[2] and "no bound" in lines[3]
    assert "HELLO DOCKER" not in done.stdout  # the rule on what the command printed is sound
    assert lines[-1] == f"lint: {spec}: 4 findings (1 step, 5 output rules)"


def _reference_run(tmp_path: Path, spec: Path) -> Path:
    """A real run on the local target (plain processes, no engine), as a reference run."""
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "--labcheck",
        str(spec),
        "--labcheck-target",
        "host=local",
        "--labcheck-out",
        str(tmp_path / "out"),
        "--labcheck-no-report",
        "-q",
        "--rootdir",
        str(tmp_path),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path / "out" / "evidence.json"


DYNAMIC = (
    HEADER
    + """\
      - id: count
        title: Contar
        run: printf 'one\\ntwo\\nthree\\n'
        expect:
          exit_code: 0
          output:
            - contains: two
            - lines: {min: 1}
      - id: greet
        title: Saludar
        run: echo hello
        expect:
          output:
            - contains: hello
            - contains: e
      - id: agree
        title: Asentir
        run: echo yes
        expect:
          output:
            - equals: "yes"
"""
)


def test_a_reference_run_shows_rules_that_pass_whatever_is_printed(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(DYNAMIC, encoding="utf-8")
    evidence = _reference_run(tmp_path, spec)
    static = _lint(str(spec))
    assert static.returncode == 0 and "clean" in static.stdout  # nothing is vacuous by construction
    done = _lint(str(spec), "--evidence", str(evidence))
    assert done.returncode == 1, done.stderr
    # `lines: {min: 1}` passes with a line less, a line more and any other step's output;
    # `contains: e` on the output of every other step.
    assert _keys(done.stdout) == [
        "sections[0].steps[0].expect.output[1].lines",
        "sections[0].steps[0].expect.output[1].lines",
        "sections[0].steps[1].expect.output[1].contains",
    ]
    assert "with a line less and with a line more" in done.stdout
    assert "passes on the output of every other step of the run (2)" in done.stdout
    assert "3 steps judged again" in done.stdout


def test_every_bundled_lab_passes_lint() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "labcheck", "labs", "--json"], capture_output=True, text=True, timeout=60
    )
    labs = [lab["id"] for lab in json.loads(listed.stdout)]
    assert "ops-stage1" in labs
    for lab in labs:
        done = _lint(lab)
        assert done.returncode == 0, done.stdout
    # And dynamically, from the committed evidence of a real run of the bundled lab.
    done = _lint("ops-stage1", "--evidence", str(EVIDENCE))
    assert done.returncode == 0, done.stdout
    assert "clean" in done.stdout and "steps judged again" in done.stdout


def test_bad_input_is_exit_2_in_plain_words(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(ECHO_TRAP, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    done = _lint(str(spec), "--evidence", str(broken))
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(broken) in done.stderr
    other = _lint(str(spec), "--evidence", str(EVIDENCE))
    assert other.returncode == 2 and "is the evidence of lab 'ops-stage1', not 'lint-trap'" in other.stderr
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "lab.yaml").write_text(ECHO_TRAP.replace("title: Gritar", "titel: Gritar"), "utf-8")
    invalid = _lint(str(tmp_path / "bad"))
    assert invalid.returncode == 2 and "lab.yaml:" in invalid.stderr and "Traceback" not in invalid.stderr
