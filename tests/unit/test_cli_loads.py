"""Each command loads what it uses: `labcheck verify` runs where WeasyPrint's system libraries, the
Docker SDK and pytest are absent (a course's verifying job), and starts without their cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.real_evidence import EVIDENCE

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("weasyprint", "docker", "pytest", "markdown_it")

# Runs the real command line in a fresh interpreter, then names the heavy packages it loaded.
PROBE = """\
import json, sys
from labcheck.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:  # --help
    code = stop.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(%r)))
print("LOADED " + json.dumps({"code": code, "loaded": loaded}))
"""


def loaded_by(*argv: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE % json.dumps(HEAVY), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(line.removeprefix("LOADED "))
    return result["code"], result["loaded"]


def test_verify_of_real_evidence_loads_no_report_engine_or_test_runner(tmp_path: Path) -> None:
    code, loaded = loaded_by(
        "verify", str(EVIDENCE), "--spec", "specs/ops-stage1", "--csv", str(tmp_path / "r.csv")
    )
    rows = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert code == 1 and rows[1].startswith("A00123456,") and ",consistent," in rows[1]  # unsigned
    assert loaded == []


@pytest.mark.parametrize(
    ("argv", "needs"),
    [
        (("labs", "--json"), []),
        (("kit", "--help"), []),
    ],
)
def test_light_commands_load_nothing_heavy(argv: tuple[str, ...], needs: list[str]) -> None:
    code, loaded = loaded_by(*argv)
    assert code == 0 and loaded == needs, argv
