"""Per-student values: one student's bundle does not verify as another's, even re-chained."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab
from labcheck.verify.result import CONSISTENT, TAMPERED
from tests.local_bundle import run_on_this_machine
from tests.verify.forge import forge_chain, reasons, verdict_of, verify

SPEC = Path(__file__).parent / "data" / "per-student"


@pytest.fixture(scope="module")
def small_lab() -> Lab:
    return load_lab(SPEC)


@pytest.fixture(scope="module")
def alice(small_lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_on_this_machine(small_lab, "alice", tmp_path_factory.mktemp("alice"))


def test_own_bundle_is_consistent(small_lab: Lab, alice: dict[str, Any]) -> None:
    result = verify(small_lab, copy.deepcopy(alice), expected_student="alice")
    assert result.verdict == CONSISTENT, result.named_failures()
    assert small_lab.values_for_student("alice")["lab_dir"] in alice["steps"][0]["transcript"]["text"]


def test_the_derived_value_differs_per_student(small_lab: Lab) -> None:
    assert small_lab.values_for_student("alice") != small_lab.values_for_student("bob")


def test_copied_bundle_is_another_students(small_lab: Lab, alice: dict[str, Any]) -> None:
    result = verify(small_lab, copy.deepcopy(alice), expected_student="bob")
    assert result.verdict == TAMPERED
    assert any(p.code == "other-student" and "«alice», expected «bob»" in p.message for p in result.problems)


def test_copied_bundle_with_the_id_changed_and_rechained(small_lab: Lab, alice: dict[str, Any]) -> None:
    copied = copy.deepcopy(alice)
    copied["student"]["id"] = "bob"
    forge_chain(copied)
    result = verify(small_lab, copied, expected_student="bob")
    assert not result.problems
    bob_dir = small_lab.values_for_student("bob")["lab_dir"]
    # The transcripts show alice's value; the spec, judged for bob, wants bob's.
    assert verdict_of(result, "create").status == TAMPERED
    assert f"created {bob_dir}" in reasons(result, "create")
    assert f"mkdir -p {bob_dir}" in reasons(result, "create")
    assert result.verdict == TAMPERED


def test_copied_bundle_with_the_values_rewritten_too(small_lab: Lab, alice: dict[str, Any]) -> None:
    """Replacing alice's value by bob's in every text is caught by rendering the raw bytes again.

    (A forger who rewrites the raw bytes too is stopped only by a signature: see test_signatures.)"""
    copied = copy.deepcopy(alice)
    alice_dir = small_lab.values_for_student("alice")["lab_dir"]
    bob_dir = small_lab.values_for_student("bob")["lab_dir"]
    for record in copied["steps"]:
        record["command"] = record["command"].replace(alice_dir, bob_dir)
        for key in ("text", "stdout"):
            record["transcript"][key] = record["transcript"][key].replace(alice_dir, bob_dir)
    copied["student"]["id"] = "bob"
    forge_chain(copied)
    result = verify(small_lab, copied, expected_student="bob", rerender=True)
    assert result.verdict == TAMPERED
    assert "not what its raw bytes show" in reasons(result, "create")
