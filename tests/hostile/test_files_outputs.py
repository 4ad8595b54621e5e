"""What `labcheck verify` writes for people and machines, from bundles and names students chose:
the terminal shows control characters instead of obeying them, a spreadsheet sees no formula,
and junit.xml stays well-formed XML 1.0."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from labcheck.safe_text import csv_cell, visible, xml_text
from labcheck.spec.loader import load_lab
from tests.hostile.files_inputs import CSV_ATTACKS, TERMINAL_ATTACKS, XML_FORBIDDEN
from tests.local_bundle import run_on_this_machine

ROOT = Path(__file__).resolve().parents[2]
PER_STUDENT = ROOT / "tests" / "verify" / "data" / "per-student"
# What must never reach a terminal raw: ESC, BEL, BS, CR, C1 CSI, the RTL override.
RAW_CONTROLS = re.compile("[\x1b\x07\x08\r\x9b\u202e]")
XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One `labcheck verify` of a class whose file names and student ids are attacks."""
    base = tmp_path_factory.mktemp("class")
    lab = load_lab(PER_STUDENT)
    document = run_on_this_machine(lab, "alice", base / "run")
    submissions = base / "submissions"
    submissions.mkdir()
    for attack in [*TERMINAL_ATTACKS.values(), *CSV_ATTACKS.values()]:
        (submissions / f"{attack}.json").write_text(json.dumps(document), encoding="utf-8")
    # Ids inside bundles: anything JSON can hold, a NUL and a lone surrogate included.
    for index, hostile in enumerate([XML_FORBIDDEN, "\ud800 lone", *TERMINAL_ATTACKS.values()]):
        edited = json.loads(json.dumps(document))
        edited["student"]["id"] = hostile
        (submissions / f"edited-{index}.json").write_text(json.dumps(edited), encoding="ascii")
    # A file name that is not UTF-8 reaches Python as lone surrogates (\udcff).
    (submissions / os.fsdecode(b"bad\xffname.json")).write_text(json.dumps(document), encoding="utf-8")
    (submissions / "broken.json").write_text('{"format": "labcheck-evidence", "x": "\x1b]52;c;aGk=\x07')
    out = base / "out"
    out.mkdir()
    command = [
        sys.executable,
        "-m",
        "labcheck",
        "verify",
        str(submissions),
        "--spec",
        str(PER_STUDENT),
        "--ids-from-names",
        "--csv",
        str(out / "results.csv"),
        "--json",
        str(out / "results.json"),
        "--junitxml",
        str(out / "junit.xml"),
    ]
    done = subprocess.run(command, capture_output=True, timeout=300)
    return {"done": done, "out": out}


def test_the_terminal_gets_no_control_character(verified: dict[str, Any]) -> None:
    done = verified["done"]
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    shown = done.stdout.decode("utf-8")
    assert not RAW_CONTROLS.search(shown)
    assert "ana\\x1b[2K\\x0d\\x1b[1Aalice    passed" in shown  # made visible, in full
    assert "bob\\x1b]52;c;Y3VybCBldmlsLnNofHNo\\x07" in shown
    assert "carol\\x9b2J" in shown
    assert "frank\\u202edeliaf" in shown
    # No bundle passed, and no line of the table claims one did.
    summary = shown.strip().splitlines()[-1]
    assert summary.startswith("summary: ") and "passed" not in summary


def test_no_csv_cell_is_a_formula(verified: dict[str, Any]) -> None:
    with (verified["out"] / "results.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    students = {row[0] for row in rows[1:]}
    for attack in CSV_ATTACKS.values():
        assert "'" + attack in students
    assert not RAW_CONTROLS.search("".join(cells))


def test_junit_xml_is_well_formed_and_names_every_student(verified: dict[str, Any]) -> None:
    path = verified["out"] / "junit.xml"
    text = path.read_text(encoding="utf-8")
    assert not XML_ILLEGAL.search(text)
    tree = ET.parse(path)  # expat: a real XML parser, strict about XML 1.0
    cases = tree.getroot().findall("./testsuite/testcase")
    assert len(cases) == len(TERMINAL_ATTACKS) + len(CSV_ATTACKS) + 2 + len(TERMINAL_ATTACKS) + 2
    messages = " ".join(str(element.get("message")) for element in tree.getroot().iter("failure"))
    assert "nul\\x00 vt\\x0b ff\\x0c esc\\x1b unit\\x1f fffe#xFFFE" in messages


def test_json_results_load_even_with_a_file_name_that_is_not_utf8(verified: dict[str, Any]) -> None:
    document = json.loads((verified["out"] / "results.json").read_bytes())
    labels = [student["label"] for student in document["students"]]
    assert os.fsdecode(b"bad\xffname") in labels


@pytest.mark.parametrize("text", [*TERMINAL_ATTACKS.values(), XML_FORBIDDEN, "\ud800", "\x85next line"])
def test_visible_and_xml_text_leave_no_control(text: str) -> None:
    assert not RAW_CONTROLS.search(visible(text))
    assert "\n" not in visible(text + "\n")
    assert not XML_ILLEGAL.search(xml_text(text))
    ET.fromstring(
        f"<a b={json.dumps(xml_text(text))}>{xml_text(text).replace('&', '&amp;').replace('<', '&lt;')}</a>"
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_like_a_formula_are_quoted(start: str) -> None:
    cell = csv_cell(f"{start}1+1")
    assert isinstance(cell, str) and cell.startswith("'")
    assert csv_cell(3) == 3
    assert csv_cell("alice") == "alice"
