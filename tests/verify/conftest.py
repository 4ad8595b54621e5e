"""Fixtures for `labcheck verify`: a real evidence file of the bundled lab, and the spec it was made with."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from labcheck.signing.keys import SIGNING_KEY_ENV
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from tests.real_evidence import EVIDENCE, load_real_evidence

ROOT = Path(__file__).resolve().parents[2]
# The evidence must have been made with the bundled spec as it is now: regenerate it when the spec moves.
SPEC = ROOT / "specs" / "ops-stage1"


@pytest.fixture(scope="session")
def real_document() -> dict[str, Any]:
    return load_real_evidence()


@pytest.fixture
def doc(real_document: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the real evidence, to tamper with."""
    return copy.deepcopy(real_document)


@pytest.fixture(scope="session")
def lab(real_document: dict[str, Any]) -> Lab:
    spec = load_lab(SPEC)
    if spec.sha256 != real_document["spec"]["sha256"]:
        pytest.fail(
            f"{EVIDENCE} was made with another version of specs/ops-stage1 (sha256 "
            f"{real_document['spec']['sha256'][:12]}…): regenerate it (tests/data/evidence/README.md)"
        )
    return spec


@pytest.fixture(autouse=True)
def _no_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
