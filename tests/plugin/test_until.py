"""`until:` — a step whose command never ends by itself (`docker service logs -f`) is stopped once
its output shows what the step waits for, and that is how it passes, not a timeout. Real
processes on this machine (the local target), real evidence, report and verify."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from labcheck.errors import SpecInvalid
from labcheck.report.api import ReportOptions, render_report
from labcheck.runner.process import run_command
from labcheck.spec.loader import load_lab
from labcheck.verify.verifier import Verifier
from tests.local_bundle import run_on_this_machine
from tests.verify.forge import forge_chain

ENV = dict(os.environ)
FOREVER = 'i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.1; done'

SPEC = f"""\
labcheck: 1
lab: {{id: until-local, title: Hasta ver algo, language: es, version: "1"}}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: follow
        title: Seguir hasta ver tick 3
        run: '{FOREVER}'
        until: {{contains: tick 3}}
        timeout: 30s
        expect:
          output: [{{matches: "(?m)^tick 0$"}}]
      - id: never
        title: Lo esperado no llega
        run: echo nada; sleep 100
        until: {{matches: "^llegó"}}
        timeout: 1s
        expect:
          output: [{{contains: nada}}]
      - id: ends-alone
        title: La orden termina sola sin mostrarlo
        run: echo otra cosa
        until: {{contains: listo}}
        expect:
          output: [{{contains: otra cosa}}]
"""


def _lab(tmp_path: Path, text: str = SPEC) -> Path:
    spec = tmp_path / "lab" / "lab.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(text, encoding="utf-8")
    return spec


def _steps(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["id"]: step for step in document["steps"]}


def test_a_command_is_stopped_once_what_it_waits_for_shows(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = f"sleep 300 & echo $! > {pid_file}; {FOREVER}"
    seen: list[bytes] = []

    def until(combined: bytes, stdout: bytes, stderr: bytes) -> bool:
        seen.append(stdout)
        return b"tick 2\n" in stdout

    result = run_command(["bash", "-c", script], env=ENV, cwd=None, use_pty=False, timeout_s=30, until=until)
    assert result.stopped_when_seen and not result.timed_out and result.exit_code is None
    assert b"tick 2\n" in result.raw and seen and b"tick 2\n" in seen[-1]
    child = int(pid_file.read_text())
    assert (
        not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().rsplit(")")[1]
    )


def test_under_a_terminal_too(tmp_path: Path) -> None:
    result = run_command(
        ["bash", "-c", FOREVER],
        env=ENV,
        cwd=None,
        use_pty=True,
        timeout_s=30,
        until=lambda combined, out, err: b"tick 2" in combined,
    )
    assert result.stopped_when_seen and not result.timed_out and result.exit_code is None
    assert b"tick 2" in result.raw


def test_the_evidence_says_the_step_was_stopped_when_seen_and_verify_agrees(tmp_path: Path) -> None:
    lab = load_lab(_lab(tmp_path))
    document = run_on_this_machine(lab, "s1", tmp_path / "out")
    steps = _steps(document)
    follow = steps["follow"]
    assert follow["outcome"] == "passed" and follow["exit_code"] is None and not follow["timed_out"]
    (until,) = [c for c in follow["checks"] if c["code"].startswith("until.")]
    assert until["code"] == "until.contains" and until["verdict"] == "passed"
    assert until["reason"]["code"] == "stopped_when_seen" and until["reason"]["params"]["after_s"] > 0
    assert "tick 3" in follow["transcript"]["text"]  # the transcript up to the stop is kept
    # What it waited for never came: a timeout, and the until check says it failed.
    never = steps["never"]
    assert never["outcome"] == "failed" and never["timed_out"] and never["reason"]["code"] == "timed_out"
    assert [c["verdict"] for c in never["checks"] if c["code"] == "until.matches"] == ["failed"]
    # A command that ends by itself without showing it keeps its exit code, and fails the check.
    alone = steps["ends-alone"]
    assert alone["outcome"] == "failed" and alone["exit_code"] == 0 and not alone["timed_out"]
    (waited,) = [c for c in alone["checks"] if c["code"] == "until.contains"]
    assert waited["verdict"] == "failed" and waited.get("reason") is None

    bundle = tmp_path / "out" / "evidence.json"
    html = render_report(bundle, tmp_path / "report", options=ReportOptions(pdf=False)).html.read_text()
    assert "labcheck detuvo la orden al ver lo esperado" in html
    assert "la salida contiene «tick 3» (y entonces labcheck detiene la orden)" in html

    assert Verifier(lab).verify_path(bundle).verdict == "failed"  # `never` failed, nothing edited
    # An edited transcript without what the step waited for is caught.
    edited = json.loads(bundle.read_text(encoding="utf-8"))
    for step in edited["steps"]:
        if step["id"] == "follow":
            text = step["transcript"]["text"].replace("tick 3", "tack 3")
            step["transcript"]["text"] = text
            step["transcript"]["raw_b64"] = base64.b64encode(text.encode()).decode()
    forged = tmp_path / "forged" / "evidence.json"
    forged.parent.mkdir()
    forged.write_text(json.dumps(forge_chain(edited)), encoding="utf-8")
    result = Verifier(lab).verify_path(forged)
    assert result.verdict == "tampered"
    (follow_verdict,) = [step for step in result.steps if step.id == "follow"]
    assert follow_verdict.status == "tampered"
    assert any("until output contains «tick 3»" in said for said in follow_verdict.reasons)


def test_until_with_an_exit_code_is_refused_naming_the_line(tmp_path: Path) -> None:
    text = SPEC.replace(
        "        expect:\n          output: [{matches",
        "        expect:\n          exit_code: 0\n          output: [{matches",
    )
    try:
        load_lab(_lab(tmp_path, text))
    except SpecInvalid as error:
        said = str(error)
    else:
        raise AssertionError("a step with until and exit_code was accepted")
    line = text.splitlines().index("          exit_code: 0") + 1
    assert f"lab.yaml:{line}: sections[0].steps[0].expect.exit_code" in said and "until" in said
