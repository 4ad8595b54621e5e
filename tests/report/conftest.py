from __future__ import annotations

import copy
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from labcheck.report.api import ReportOptions, ReportPaths, render_report
from tests.real_evidence import EVIDENCE, as_evidence, load_real_evidence


@dataclass(frozen=True)
class Rendered:
    paths: ReportPaths
    html: str
    text: str  # pdftotext -layout


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def render(data: dict[str, Any] | Path, out: Path, **options: Any) -> Rendered:
    options.setdefault("generated_at", "2026-01-15T10:00:00+00:00")
    paths = render_report(
        data if isinstance(data, Path) else as_evidence(data), out, options=ReportOptions(**options)
    )
    text = pdf_text(paths.pdf) if paths.pdf else ""
    return Rendered(paths, paths.html.read_text(encoding="utf-8"), text)


@pytest.fixture(scope="session")
def evidence() -> dict[str, Any]:
    """The evidence of a real run of the bundled lab on the offline kit."""
    return load_real_evidence()


@pytest.fixture()
def evidence_copy(evidence: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(evidence)


@pytest.fixture(scope="session")
def rendered(evidence: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(EVIDENCE, tmp_path_factory.mktemp("informe"))
