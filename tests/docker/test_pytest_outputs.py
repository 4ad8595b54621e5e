"""pytest's own outputs on lab steps: JUnit XML names the steps, pytest-html carries the evidence."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.docker.labrun import run_labcheck
from tests.locale_env import SPANISH, locale_env

pytestmark = [pytest.mark.docker]


SPEC = """\
labcheck: 1
lab: {id: outputs, title: Salidas de pytest, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: engine-version
        title: Versión del motor
        run: docker version --format '{{.Server.Version}}'
        expect:
          exit_code: 0
          output:
            - matches: "^[0-9]+\\\\.[0-9]+"
      - id: wrong-greeting
        title: Un saludo que no llega
        run: echo "hola <b>mundo</b>"
        hint: Revisa el texto del saludo.
        expect:
          output:
            - contains: adiós
      - id: after-greeting
        title: Lo que depende del saludo
        run: echo después
        needs: [wrong-greeting]
        expect:
          output:
            - contains: después
"""


def test_junit_and_html_reports_carry_the_steps(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(SPEC)
    junit, html = tmp_path / "junit.xml", tmp_path / "report.html"
    done = run_labcheck(
        tmp_path / "out",
        "--labcheck-no-report",
        "--labcheck-target",
        "host=unix:///var/run/docker.sock",
        f"--junitxml={junit}",
        f"--html={html}",
        "--self-contained-html",
        str(spec),
        timeout=300,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    cases = {case.get("name"): case for case in ET.parse(junit).getroot().iter("testcase")}
    assert set(cases) == {"engine-version", "wrong-greeting", "after-greeting"}
    line = SPEC.splitlines().index("      - id: after-greeting") + 1
    skipped = f"lab.yaml:{line}: omitido: depende del paso «wrong-greeting», que falló"
    assert skipped in done.stdout, done.stdout
    failure = cases["wrong-greeting"].find("failure")
    assert failure is not None
    message = (failure.text or "") + failure.get("message", "")
    assert "adiós" in message and "hola <b>mundo</b>" in message and "Pista: Revisa el texto" in message
    page = html.read_text()
    assert "docker version --format" in page
    assert "data:image/png;base64," in page
    assert "<b>mundo</b>" not in page  # the transcript is escaped, never markup


def test_labcheck_run_puts_the_evidence_in_junit_and_html(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(SPEC)
    junit, html = tmp_path / "junit.xml", tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "labcheck",
            "run",
            "lab.yaml",
            "--target",
            "host=unix:///var/run/docker.sock",
            "--out",
            "out",
            "--",
            f"--junitxml={junit}",
            f"--html={html}",
            "--self-contained-html",
        ],
        cwd=tmp_path,
        env=locale_env(SPANISH),  # a Spanish-speaking student: pytest's outputs say the reasons in Spanish
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-2000:]  # a step failed
    cases = {case.get("name"): case for case in ET.parse(junit).getroot().iter("testcase")}
    # Each step that ran: its transcript in system-out, its duration; the skip: its reason.
    assert "hola <b>mundo</b>" in (cases["wrong-greeting"].findtext("system-out") or "")
    assert re.search(r"^[0-9]+\.[0-9]+", cases["engine-version"].findtext("system-out") or "", re.M)
    for name in ("engine-version", "wrong-greeting"):
        properties = {p.get("name"): p.get("value") for p in cases[name].iter("property")}
        assert float(properties["duration_s"]) >= 0 and float(cases[name].get("time", "-1")) >= 0
    skipped = cases["after-greeting"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "omitido: depende del paso «wrong-greeting», que falló"
    page = html.read_text()
    # pytest-html keeps each row's log in a JSON blob, with non-ASCII letters escaped.
    assert re.search(r"lab\.yaml:[0-9]+: omitido: depende del paso \\u00abwrong-greeting\\u00bb", page)
    assert "Skipped: omitido" not in page and ", &#x27;Skipped" not in page  # not a Python tuple
    assert page.count("data:image/png;base64,") >= 2  # every step that ran shows its terminal
