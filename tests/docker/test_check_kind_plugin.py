"""A state check kind from another installed package runs on a real engine and reads in the
report, with no change to labcheck: its module is all there is to it."""

from __future__ import annotations

import json
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests.check_kind_plugin import install_kind_plugin, spec_using_it
from tests.docker.labrun import ROOT, labcheck_command, wait_for_kit_nodes

pytestmark = [pytest.mark.docker, pytest.mark.kit]


def test_a_kind_from_another_package_runs_and_renders(tmp_path: Path) -> None:
    env = install_kind_plugin(tmp_path / "site")
    for wanted, outcome in (("Debian", "passed"), ("Windows", "failed")):
        out = tmp_path / wanted
        spec = spec_using_it(tmp_path / f"lab-{wanted}", os_contains=wanted)
        done = subprocess.run(
            labcheck_command(out, str(spec)), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        wait_for_kit_nodes()
        assert done.returncode == (0 if outcome == "passed" else 1), done.stdout[-3000:] + done.stderr[-2000:]
        [step] = json.loads((out / "evidence.json").read_text(encoding="utf-8"))["steps"]
        [check] = [c for c in step["checks"] if c["code"] == "state.engine_os"]
        assert check["verdict"] == outcome and "Debian" in check["observed"]["os"]
        html = (out / "informe.html").read_text(encoding="utf-8")
        assert f"el sistema del motor: contiene «{wanted}»" in html
        # The same evidence in English: the kind's English words.
        report = [sys.executable, "-m", "labcheck", "report", str(out / "evidence.json")]
        english = subprocess.run(
            [*report, "--lang", "en", "-o", str(out / "en")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert english.returncode == 0, english.stderr
        html = unescape((out / "en" / "informe.html").read_text(encoding="utf-8"))
        assert f"the engine's system: contains '{wanted}'" in html
