"""Other pytest plugins (really installed) against the plugin's collection; nothing here needs Docker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from labcheck.plugin_selection import is_complete_evidence
from tests.bundled_lab import BUNDLED_SPEC
from tests.real_evidence import EVIDENCE, load_real_evidence

pytest_plugins = ["pytester"]

STEPS = [f"step-{n}" for n in range(1, 9)]
SPEC = "\n".join(
    [
        "labcheck: 1",
        'lab: {id: order, title: Orden, language: es, version: "1"}',
        "sections:",
        '  - number: "1"',
        "    title: Uno",
        "    steps:",
        *(
            f"      - {{id: {step}, title: Paso {step}, run: echo {step}, expect: {{exit_code: 0}}}}"
            for step in STEPS
        ),
        "",
    ]
)


def collected(result: pytest.RunResult) -> list[str]:
    return [line.rsplit("::", 1)[-1] for line in result.stdout.lines if "::" in line]


@pytest.mark.parametrize("seed", [1, 2, 3, 20261201])
def test_pytest_randomly_leaves_the_spec_order(pytester: pytest.Pytester, seed: int) -> None:
    spec = pytester.makefile(".yaml", lab=SPEC)
    result = pytester.runpytest_subprocess(
        "--labcheck", "--collect-only", "-q", "-p", "randomly", f"--randomly-seed={seed}", str(spec)
    )
    assert result.ret == 0, result.stderr.str()
    assert collected(result) == STEPS


def test_failed_first_leaves_the_spec_order(pytester: pytest.Pytester) -> None:
    spec = pytester.makefile(".yaml", lab=SPEC)
    cache = pytester.path / ".pytest_cache" / "v" / "cache"
    cache.mkdir(parents=True)
    (cache / "lastfailed").write_text(json.dumps({"lab.yaml::step-6": True, "lab.yaml::step-3": True}))
    result = pytester.runpytest_subprocess("--labcheck", "--collect-only", "-q", "--ff", "--nf", str(spec))
    assert result.ret == 0, result.stderr.str()
    assert collected(result) == STEPS


def test_xdist_is_refused_with_a_clear_message(pytester: pytest.Pytester) -> None:
    spec = pytester.makefile(".yaml", lab=SPEC)
    result = pytester.runpytest_subprocess("--labcheck", "-n", "2", str(spec))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    message = result.stderr.str()
    assert "pytest-xdist (-n/--dist) would split a lab's steps over several processes" in message
    assert "run without -n (or with -n 0)" in message and "Traceback" not in message


def test_xdist_installed_but_not_asked_for_changes_nothing(pytester: pytest.Pytester) -> None:
    spec = pytester.makefile(".yaml", lab=SPEC)
    result = pytester.runpytest_subprocess("--labcheck", "--collect-only", "-q", "-n", "0", str(spec))
    assert result.ret == 0, result.stderr.str()
    assert collected(result) == STEPS


@pytest.mark.parametrize("partial", [["-k", "hello"], ["-k", "not swarm"], ["-x"], ["--sw"]])
def test_partial_run_never_replaces_a_complete_evidence(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, partial: list[str]
) -> None:
    # Refused before any engine is touched; were it not, these would find neither engine nor kit.
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "no-kit"))
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(EVIDENCE, out / "evidence.json")
    before = (out / "evidence.json").read_bytes()
    result = pytester.runpytest_subprocess(
        "--labcheck", "--labcheck-out", str(out), *partial, str(BUNDLED_SPEC)
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    message = result.stderr.str()
    assert f"labcheck: {out / 'evidence.json'} holds a complete run of lab «ops-stage1»" in message
    assert "--labcheck-out DIR, or give --labcheck-force" in message and "Traceback" not in message
    assert (out / "evidence.json").read_bytes() == before
    assert sorted(path.name for path in out.iterdir()) == ["evidence.json"]
    assert not (tmp_path / "no-kit").exists()


def test_what_counts_as_a_complete_evidence(tmp_path: Path) -> None:
    document = load_real_evidence()
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(document))
    assert is_complete_evidence(path)
    document["run"]["selection"] = {
        "spec_steps": [],
        "selected": [],
        "not_run": [{"id": "x", "reason": "stopped", "facts": {"by": "-x"}}],
    }
    path.write_text(json.dumps(document))
    assert not is_complete_evidence(path)
    del document["run"]["selection"]
    document["run"]["status"] = "interrupted"
    path.write_text(json.dumps(document))
    assert not is_complete_evidence(path)
    path.write_text("{ roto")
    assert not is_complete_evidence(path)
    assert not is_complete_evidence(tmp_path / "nothing-here.json")
