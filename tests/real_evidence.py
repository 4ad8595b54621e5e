"""The committed evidence of a real run of the bundled lab, shared by the report and verify tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from labcheck.evidence.model import Evidence
from labcheck.evidence.reader import parse_evidence

ROOT = Path(__file__).resolve().parents[1]
# Another real evidence file can stand in while developing: LABCHECK_TEST_EVIDENCE=path.
EVIDENCE = Path(
    os.environ.get("LABCHECK_TEST_EVIDENCE") or ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
)


def load_real_evidence() -> dict[str, Any]:
    """Missing evidence is a failure, never a skip: the file is part of the repository."""
    document: dict[str, Any] = json.loads(EVIDENCE.read_text(encoding="utf-8"))
    return document


def as_evidence(document: dict[str, Any]) -> Evidence:
    """A document a test built or edited, read as the report reads a file (strictly)."""
    return parse_evidence(json.dumps(document).encode(), "test evidence")
