"""`labcheck record` on the kit: reference runs of an imported pack write expectations that pass
on the kit, keep what the author wrote, and fail once a step's command changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from labcheck.spec.loader import load_lab
from tests.authoring.labs import KIT_LAB
from tests.readme_commands import block_with

RECORD_LINE = "labcheck record specs/ops-s1-hello --runs 2"  # the README's, run as written

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

AUTHORS_RULE = '            - contains: "Hello from Docker!"  # the author\'s own\n'


def _labcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", *args]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900)


def test_recorded_expectations_pass_on_the_kit_and_fail_when_a_command_changes(tmp_path: Path) -> None:
    (tmp_path / "lab.md").write_text(KIT_LAB, encoding="utf-8")
    assert _labcheck("import", "lab.md", "-o", "specs/ops-s1-hello", cwd=tmp_path).returncode == 0
    spec = tmp_path / "specs" / "ops-s1-hello" / "lab.yaml"
    text = spec.read_text(encoding="utf-8")
    # The author already wrote one rule on the first step: record must keep it as it is.
    marker = "        expect:\n          exit_code: 0\n"
    assert text.count(marker) == 3
    text = text.replace(marker, marker + "          output:\n" + AUTHORS_RULE, 1)
    spec.write_text(text, encoding="utf-8")

    assert block_with(RECORD_LINE) == [RECORD_LINE]
    recorded = _labcheck(*RECORD_LINE.split()[1:], cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    after = spec.read_text(encoding="utf-8")
    assert AUTHORS_RULE in after and "# recorded: the same in all 2 reference runs" in after
    lab = load_lab(spec)
    echo_rules = [(m.kind, m.value) for m in lab.step("container-run-alpine-echo").matchers]
    assert ("contains", "hi from alpine") in echo_rules
    assert len(lab.step("container-run-hello-world").matchers) >= 2  # the author's and recorded ones
    (image_check,) = lab.step("image-tag-alpine-mine-1").state_checks  # the image the step made
    assert image_check.kind == "image" and image_check.params == {
        "ref": "mine:1",
        "exists": True,
        "layers": 1,
    }

    passed = _labcheck("run", "specs/ops-s1-hello", "--out", "run-1", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    data = yaml.safe_load(after)
    assert data["sections"][0]["steps"][1]["run"] == 'docker container run alpine echo "hi from alpine"'
    spec.write_text(
        after.replace('echo \\"hi from alpine\\""', 'echo \\"bye from alpine\\""'), encoding="utf-8"
    )
    assert (
        load_lab(spec).step("container-run-alpine-echo").run
        == 'docker container run alpine echo "bye from alpine"'
    )
    failed = _labcheck("run", "specs/ops-s1-hello", "--out", "run-2", cwd=tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "container-run-alpine-echo" in failed.stdout
