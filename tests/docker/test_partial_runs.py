"""Partial runs say they are partial: `-k`, `-x` and `--lf` on the kit, evidence, report and verify."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from tests.docker.labrun import ROOT, verify
from tests.docker.plugin_lab import (
    STEP_IDS,
    evidence,
    pytest_labcheck,
    reasons,
    recorded_ids,
    statuses,
    write_spec,
)
from tests.evidence_words import said_not_run

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

SCHEMA = json.loads((ROOT / "labcheck" / "evidence" / "schema.json").read_text())


def not_run(document: dict[str, object]) -> dict[str, str]:
    selection = document["run"]["selection"]  # type: ignore[index]
    return {entry["id"]: entry["reason"] for entry in selection["not_run"]}


def test_keyword_selection_gives_an_honest_partial_evidence_and_report(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path), tmp_path / "out"
    done = pytest_labcheck(out, spec, "-k", "greet or engine")
    assert done.returncode == 0, done.stdout[-3000:]
    document = evidence(out)
    jsonschema.validate(document, SCHEMA)
    assert recorded_ids(document) == ["greet", "engine"]
    assert document["run"]["selection"]["selected"] == ["greet", "engine"]
    assert not_run(document) == dict.fromkeys(["count-once", "counted", "farewell", "last"], "deselected")
    assert document["summary"]["total"] == 6 and document["summary"]["not_run"] == 4
    html = (out / "informe.html").read_text(encoding="utf-8")
    assert "Ejecución parcial: 2 de 6 pasos. 4 pasos no se ejecutaron y no cuentan como superados" in html
    assert "Fuera de la selección de esta ejecución (-k «greet or engine»)" in html
    assert "completa" not in html
    # Each step not run keeps its place, saying so: no empty heading.
    assert html.count('class="step outcome-not-run"') == 4
    assert html.index("Contar las ejecuciones") < html.index("Versión del motor")
    student = verify(out, spec)
    assert student["verdict"] == "failed", student["stdout"]  # never passed: 4 steps did not run
    assert statuses(student) == {
        "greet": "consistent",  # unsigned: at best consistent, never passed
        "count-once": "failed",
        "counted": "failed",
        "engine": "consistent",
        "farewell": "failed",
        "last": "failed",
    }
    assert reasons(student, "farewell") == "not run: left out by the run's pytest selection"


def test_exitfirst_says_where_the_run_stopped(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path), tmp_path / "out"
    done = pytest_labcheck(out, spec, "-x")
    assert done.returncode == 1, done.stdout[-3000:]
    document = evidence(out)
    assert recorded_ids(document) == ["greet", "count-once"]
    assert not_run(document) == dict.fromkeys(["counted", "engine", "farewell", "last"], "stopped")
    details = {said_not_run(entry) for entry in document["run"]["selection"]["not_run"]}
    assert details == {"la ejecución se detuvo antes (-x: tras el primer fallo)"}
    html = (out / "informe.html").read_text(encoding="utf-8")
    assert "Ejecución parcial: 2 de 6 pasos" in html and "parcial (2 de 6 pasos)" in html
    student = verify(out, spec)
    assert student["verdict"] == "failed" and not any(p["tampering"] for p in student["problems"])
    assert reasons(student, "last") == "not run: the run stopped early before it"


def test_last_failed_never_replaces_a_complete_evidence_unless_forced(tmp_path: Path) -> None:
    spec, out, cache = write_spec(tmp_path), tmp_path / "out", tmp_path / "cache"
    first = pytest_labcheck(out, spec, "--labcheck-no-report", cache=cache)
    assert first.returncode == 1, first.stdout[-3000:]
    complete = (out / "evidence.json").read_bytes()
    assert recorded_ids(evidence(out)) == STEP_IDS

    refused = pytest_labcheck(out, spec, "--lf", "--labcheck-no-report", cache=cache)
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout[-2000:]
    assert f"labcheck: {out / 'evidence.json'} holds a complete run of lab «plugins»" in refused.stderr
    assert "--labcheck-force" in refused.stderr and "Traceback" not in refused.stderr
    assert (out / "evidence.json").read_bytes() == complete  # untouched

    forced = pytest_labcheck(out, spec, "--lf", "--labcheck-force", cache=cache)
    assert forced.returncode == 1, forced.stdout[-3000:]
    document = evidence(out)
    assert recorded_ids(document) == ["count-once"]
    assert not_run(document) == dict.fromkeys(
        ["greet", "counted", "engine", "farewell", "last"], "last-failed"
    )
    html = (out / "informe.html").read_text(encoding="utf-8")
    assert "Ejecución parcial: 1 de 6 pasos. 5 pasos no se ejecutaron" in html
    assert "Con --lf solo se repitieron los pasos que fallaron la vez anterior" in html
    student = verify(out, spec)
    assert student["verdict"] == "failed" and not any(p["tampering"] for p in student["problems"])
    assert reasons(student, "greet") == "not run: left out by --lf (only the last run's failures were run)"


def test_an_interrupted_run_lists_the_steps_it_never_reached(tmp_path: Path) -> None:
    hanging = "      - {id: hangs, title: Esperar, run: sleep 120, timeout: 5m, expect: {exit_code: 0}}\n"
    text = write_spec(tmp_path).read_text().replace("      - id: engine\n", hanging + "      - id: engine\n")
    spec, out = write_spec(tmp_path, text), tmp_path / "out"
    command = [sys.executable, "-m", "pytest", "--labcheck", "-p", "no:cacheprovider", "-q"]
    process = subprocess.Popen(
        [*command, "--labcheck-out", str(out), str(spec)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not _has_steps(out, 3):
        time.sleep(0.2)
    time.sleep(1)  # `hangs` has started its sleep
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=180)
    document = evidence(out)
    assert document["run"]["status"] == "interrupted"
    assert recorded_ids(document) == ["greet", "count-once", "counted", "hangs"]
    assert not_run(document) == dict.fromkeys(["engine", "farewell", "last"], "interrupted")
    html = (out / "informe.html").read_text(encoding="utf-8")
    assert "interrumpida (4 de 7 pasos)" in html and "Ejecución parcial: 4 de 7 pasos" in html
    assert "La ejecución se interrumpió antes: 2.b «Versión del motor»" in html
    student = verify(out, spec)
    assert student["verdict"] == "failed" and not any(p["tampering"] for p in student["problems"])
    assert reasons(student, "last") == "not run: the run was interrupted before it"


def _has_steps(out: Path, count: int) -> bool:
    try:
        return len(evidence(out)["steps"]) >= count
    except (OSError, ValueError, KeyError):
        return False
