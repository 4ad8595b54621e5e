"""Patterns over a student's text never hang: a spec pattern that runs out of time is a named
failed check, and the report's command matching (patterns made from student text) is linear."""

from __future__ import annotations

import copy
import dataclasses
import os
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest

from labcheck import patterns
from labcheck.checks.output import judge_output_rule, ran_out_of_time
from labcheck.checks.reason_words import reason_words
from labcheck.evidence import model, reasons
from labcheck.runner.captures import CaptureFailed, capture_value
from labcheck.runner.process import run_command
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Capture, Matcher, TypedLine
from labcheck.verify.rejudge import rejudge_run_step
from labcheck.verify.result import StepFindings
from tests.hostile import spec_inputs
from tests.real_evidence import EVIDENCE, load_real_evidence

ROOT = Path(__file__).resolve().parents[2]
# Exponential in regex too: validate refuses it, so only code that skips validation meets it.
EXPONENTIAL = r"(a|aa)+$"
# The 41 bytes that hung `verify` before: 40 a's and a character that makes the match fail.
TRANSCRIPT = "a" * 40 + "!"


@pytest.mark.parametrize("kind", ["matches", "not_matches"])
def test_a_rule_that_runs_out_of_time_fails_and_says_why(kind: str) -> None:
    check = judge_output_rule({"stream": "output", kind: EXPONENTIAL}, {"output": TRANSCRIPT}, {})
    # Neither a match nor its absence: not_matches must not pass by timing out.
    assert check.verdict == "failed" and ran_out_of_time(check) and check.observed is None
    assert check.reason is not None and check.reason.params["pattern"] == EXPONENTIAL
    assert f"/{EXPONENTIAL}/" in reason_words(check.reason, "es")
    seconds = f"{patterns.MATCH_TIMEOUT_S:g}".replace(".", ",")  # Spanish writes 0,5
    assert f"tardó más de {seconds} s en una salida de" in reason_words(check.reason, "es")


def test_distinct_matches_runs_out_of_time_too() -> None:
    rule = {"stream": "output", "distinct_matches": {"pattern": EXPONENTIAL, "min": 1}}
    assert judge_output_rule(rule, {"output": TRANSCRIPT}, {}).verdict == "failed"


def test_a_capture_that_runs_out_of_time_is_a_failed_capture() -> None:
    capture = Capture(name="x", source="output", pattern=EXPONENTIAL, group=0)
    limit = f"{patterns.MATCH_TIMEOUT_S:g}"
    with pytest.raises(
        CaptureFailed, match=rf"took more than {limit} s on an output of 41 characters"
    ) as caught:
        capture_value(capture, client=None, output_text=TRANSCRIPT, containers_before=set(), values={})  # type: ignore[arg-type]
    # The evidence keeps the reason's code and facts, to be said in the reader's language.
    assert caught.value.reason == reasons.pattern_timeout(EXPONENTIAL, patterns.MATCH_TIMEOUT_S, 41)


def test_verify_counts_a_timed_out_rule_as_failed_not_tampered() -> None:
    """A slow match proves no edit (the run may have had more time): the student fails, named."""
    lab = load_lab(ROOT / "specs" / "ops-stage1")
    document = load_real_evidence()
    record: dict[str, Any] = copy.deepcopy(next(s for s in document["steps"] if s["outcome"] == "passed"))
    step = lab.step(record["id"])
    slow = Matcher("output", "matches", EXPONENTIAL, False, "la salida tiene muchas aes", step.location)
    step = dataclasses.replace(step, matchers=(*step.matchers, slow), exit_code=None)
    record["transcript"]["text"] = record["transcript"]["text"] + TRANSCRIPT
    findings = StepFindings(record["id"], record["number"])
    recorded = msgspec.convert(record, model.Step)
    rejudge_run_step(step, recorded, dict(recorded.captures), findings, signed=False, rerender=False)
    assert findings.tampering == []
    assert findings.failures == [
        f"output matches «{EXPONENTIAL}»: its pattern took more than {patterns.MATCH_TIMEOUT_S:g} s "
        "over this transcript and was abandoned"
    ]


def test_verify_with_a_slow_pattern_in_the_spec_refuses_the_spec(tmp_path: Path) -> None:
    """The issue's case: `(a+)+$` in the course's spec no longer reaches a student's transcript."""
    spec = tmp_path / "spec"
    shutil.copytree(ROOT / "specs" / "ops-stage1", spec)
    text = (spec / "lab.yaml").read_text(encoding="utf-8")
    marker = '            - matches: "hello\\\\.txt +home"\n'
    assert marker in text
    text = text.replace(marker, marker + '            - not_matches: "(a+)+$"\n', 1)
    (spec / "lab.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index('            - not_matches: "(a+)+$"') + 1
    result = spec_inputs.run_limited("verify", str(EVIDENCE), "--spec", str(spec))
    assert result.returncode == 2, result.stderr
    assert f"{spec / 'lab.yaml'}:{line}: sections[" in result.stderr
    assert "'(a+)+$' backtracks catastrophically" in result.stderr and "Traceback" not in result.stderr


def test_report_command_matching_is_linear_on_hostile_commands() -> None:
    """Placeholders abutting text (`<a>x<b>x...`) against a long word backtracked for minutes
    with `re`; under a 20 s CPU limit the child must answer."""
    code = (
        "from labcheck.report.matching import match_score\n"
        "written = 'docker ' + 'x<a>' * 40\n"
        "candidate = 'docker ' + 'x' * 20000 + ' y'\n"
        "print(match_score(written, candidate), match_score(candidate, written))\n"
    )
    result = spec_inputs.run_python_limited(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "0"]


def test_report_command_matching_still_matches_placeholders() -> None:
    from labcheck.report.matching import match_score

    assert match_score("docker container start <container ID>", "docker container start 1a2b3c4d5e6f") == 1
    assert match_score("docker container start 1a2b3c4d5e6f", "docker container start ${{ ash }}") == 2
    assert match_score("docker  image ls", "docker image ls") == 3


# A hang detector, not a speed goal: before prompts were bounded, this conversation stalled for
# hours inside one search; bounded, it ends at the step's own timeout.
@pytest.mark.timeout(120, method="signal")
def test_a_prompt_that_backtracks_never_stalls_an_interactive_step() -> None:
    printed = "a" * 50 + "!"
    result = run_command(
        ["bash", "-c", f"printf '{printed}'; sleep 60"],
        env=dict(os.environ),
        cwd=None,
        use_pty=True,
        typed=(TypedLine("echo hola", None),),
        prompt=EXPONENTIAL,
        timeout_s=3,
    )
    assert result.timed_out
    assert printed.encode() in result.raw
    assert b"echo hola" not in result.raw  # never typed: the prompt was never seen
