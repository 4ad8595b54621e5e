"""Fixtures for `labcheck verify`: a real evidence file of the bundled lab, and the spec it was made with."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from labcheck.evidence import chain
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab

ROOT = Path(__file__).resolve().parents[2]
# Another real evidence file can stand in while developing: LABCHECK_TEST_EVIDENCE=path.
EVIDENCE = Path(
    os.environ.get("LABCHECK_TEST_EVIDENCE") or ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
)
# The bundled spec, else the copy kept beside these tests: whichever the evidence was made with.
SPEC_CANDIDATES = (ROOT / "specs" / "ops-stage1", Path(__file__).parent / "data" / "ops-stage1")


@pytest.fixture(scope="session")
def real_document() -> dict[str, Any]:
    if not EVIDENCE.is_file():
        pytest.skip(f"no real evidence at {EVIDENCE}")
    document: dict[str, Any] = json.loads(EVIDENCE.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def doc(real_document: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the real evidence, to tamper with."""
    return copy.deepcopy(real_document)


@pytest.fixture(scope="session")
def lab(real_document: dict[str, Any]) -> Lab:
    for candidate in SPEC_CANDIDATES:
        if candidate.exists():
            spec = load_lab(candidate)
            if spec.sha256 == real_document["spec"]["sha256"]:
                return spec
    pytest.fail(
        f"{EVIDENCE} was made with a spec (sha256 {real_document['spec']['sha256'][:12]}…) that is neither "
        f"specs/ops-stage1 nor the copy in tests/verify/data: refresh one of them"
    )


@pytest.fixture(autouse=True)
def _no_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(chain.SIGNING_KEY_ENV, raising=False)
