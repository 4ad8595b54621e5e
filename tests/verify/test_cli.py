"""`labcheck verify` end to end: one bundle, a folder of students, outputs, exit codes, usage errors."""

from __future__ import annotations

import copy
import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from labcheck.cli import main
from labcheck.spec.model import Lab
from tests.local_bundle import run_on_this_machine
from tests.verify.conftest import EVIDENCE
from tests.verify.forge import forge_chain, index_of, step, write

SMALL_SPEC = Path(__file__).parent / "data" / "per-student"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["verify", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def submissions(tmp_path: Path, real_document: dict[str, Any]) -> Path:
    """A class: an honest student, one who handed in a copy of her bundle, one who edited a transcript,
    one who flipped a verdict, broken files."""
    folder = tmp_path / "submissions"
    honest = real_document["student"]["id"]

    def as_student(student: str) -> dict[str, Any]:
        document = copy.deepcopy(real_document)
        document["student"]["id"] = student
        return forge_chain(document)

    write(as_student(honest), folder / f"{honest}.json")
    write(as_student("bea"), folder / "bea" / "evidence.json")  # a copy: her per-student values differ
    edited = as_student("carla")
    step(edited, "run-echo")["transcript"]["text"] = "hello from alpine, edited"
    write(edited, folder / "carla.json")
    flipped = as_student("dani")
    failed = flipped["steps"][index_of(flipped, "run-echo")]
    failed["exit_code"] = 1
    failed["outcome"] = "failed"
    forge_chain(flipped)
    failed["outcome"] = "passed"
    write(flipped, folder / "dani.json")
    (folder / "eva.json").write_text('{"format": "labcheck-evidence", "steps": [', encoding="utf-8")
    (folder / "fede.json").write_text("no es json", encoding="utf-8")
    (folder / "gema").mkdir()
    (folder / "notas.txt").write_text("not a bundle, not looked at", encoding="utf-8")
    return folder


def test_one_real_bundle(capsys: pytest.CaptureFixture[str], lab: Lab, real_document: dict[str, Any]) -> None:
    code, out, _ = run(capsys, EVIDENCE, "--spec", lab.path)
    assert code == 1  # unsigned: consistent at best, never passed
    student = real_document["student"]["id"] or EVIDENCE.name
    row = next(line for line in out.splitlines() if line.startswith(student))
    assert row.endswith("consistent (unsigned)") and row.split()[5] == "0"  # no step tampered
    assert "steps have state checks that only a signed bundle proves: hello-world, pull-alpine," in out
    code, by_path, _ = run(capsys, EVIDENCE, "--spec", lab.path, "--accept-unsigned")
    assert code == 0
    # The course may name the spec as every other command lets it: by the bundled lab's id.
    code, by_id, _ = run(capsys, EVIDENCE, "--spec", lab.id, "--accept-unsigned")
    assert code == 0 and by_id == by_path


def test_the_table_speaks_the_locale_and_the_machine_fields_stay(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lab: Lab,
    submissions: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    csv_path = tmp_path / "out.csv"
    code, out, err = run(capsys, submissions, "--spec", lab.path, "--ids-from-names", "--csv", csv_path)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("labcheck verify: ") and lines[0].endswith(", 7 entregas")
    assert lines[1].split() == [
        "estudiante",
        "firmados",
        "coherentes",
        "fallidos",
        "omitidos",
        "alterados",
        "veredicto",
    ]
    assert any(line.endswith("coherente (sin firmar)") for line in lines)
    assert "resumen: 1 coherente, 3 alterados, 3 errores (de 7)" in out
    assert "sin firmar: su cadena y cada regla juzgada de nuevo se sostienen" in out
    assert f"escrito: {csv_path}" in err
    # The CSV is for machines: its headings and verdicts are the codes, in any locale.
    with csv_path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {"student", "signed", "consistent", "failed", "skipped", "tampered", "verdict"} <= set(rows[0])
    assert {row["verdict"] for row in rows} == {"consistent", "tampered", "error"}


def test_a_class(
    capsys: pytest.CaptureFixture[str],
    lab: Lab,
    submissions: Path,
    tmp_path: Path,
    real_document: dict[str, Any],
) -> None:
    honest = real_document["student"]["id"]
    outputs = {name: tmp_path / f"out.{name}" for name in ("csv", "json", "xml")}
    code, out, _ = run(
        capsys,
        submissions,
        "--spec",
        lab.path,
        "--ids-from-names",
        "--csv",
        outputs["csv"],
        "--json",
        outputs["json"],
        "--junitxml",
        outputs["xml"],
    )
    assert code == 1
    rows = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith(" ")}
    assert rows[honest].endswith("consistent (unsigned)") and rows["bea"].endswith("tampered")
    assert rows["carla"].endswith("tampered") and rows["dani"].endswith("tampered")
    for broken in ("eva", "fede", "gema"):
        assert rows[broken].endswith("error")
    assert "carla.json: truncated JSON" not in out
    assert "eva.json: truncated JSON" in out
    assert "fede.json: not JSON" in out
    assert "gema: no evidence.json in this folder" in out
    assert "run-echo (tampered): its record does not match the hash chain" in out
    assert "recorded as passed, but judged again: output equals «hello from alpine»" in out
    assert "summary: 1 consistent, 3 tampered, 3 errors (of 7)" in out

    with outputs["csv"].open(encoding="utf-8") as stream:
        table = {row["student"]: row for row in csv.DictReader(stream)}
    assert table["carla"]["verdict"] == "tampered" and "run-echo" in table["carla"]["problems"]
    assert table["eva"]["verdict"] == "error" and table["eva"]["consistent"] == ""
    assert int(table[honest]["consistent"]) > 0 and table[honest]["tampered"] == "0"
    assert "run-v02" in table["bea"]["problems"]  # the copied bundle fails on her own values

    report = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert report["lab"]["spec_sha256"] == lab.sha256
    dani = next(s for s in report["students"] if s["label"] == "dani")
    assert next(s for s in dani["steps"] if s["id"] == "run-echo")["status"] == "tampered"

    suite = ET.parse(outputs["xml"]).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "4", "3")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    carla = cases["carla"].find("failure")
    assert carla is not None and "tampered: run-echo" in (carla.get("message") or "")
    assert cases["fede"].find("error") is not None


def test_a_class_that_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from labcheck.spec.loader import load_lab

    small = load_lab(SMALL_SPEC)
    folder = tmp_path / "entregas"
    for student in ("ana", "bea", "carla"):
        run_on_this_machine(small, student, folder / student)
    code, out, _ = run(
        capsys,
        folder,
        "--spec",
        SMALL_SPEC,
        "--ids-from-names",
        "--accept-unsigned",
        "--junitxml",
        tmp_path / "j.xml",
    )
    assert code == 0, out
    assert "summary: 3 consistent (of 3)" in out
    (folder / "bea").rename(folder / "beatriz")  # bea's bundle handed in as beatriz's
    code, out, _ = run(capsys, folder, "--spec", SMALL_SPEC, "--ids-from-names")
    assert code == 1
    assert "the bundle is of student «bea», expected «beatriz»" in out


def test_many_bundles_use_the_pool(
    capsys: pytest.CaptureFixture[str], lab: Lab, real_document: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    for number in range(24):
        document = copy.deepcopy(real_document)
        if number == 7:
            step(document, "hello-world")["exit_code"] = 3
        write(document, folder / f"s{number:02d}.json")
    (folder / "s99.json").write_bytes(b"\x00\x01")
    code, out, _ = run(capsys, folder, "--spec", lab.path, "--jobs", "2", "-q")
    assert code == 1
    assert "summary: 24 consistent, 1 tampered, 1 error (of 26)" not in out  # s07 is tampered
    assert "summary: 23 consistent, 1 tampered, 1 error (of 25)" in out


def test_student_id_for_one_bundle(capsys: pytest.CaptureFixture[str], lab: Lab) -> None:
    code, out, _ = run(capsys, EVIDENCE, "--spec", lab.path, "--student-id", "u123")
    assert code == 1 and "expected «u123»" in out


def test_huge_bundle_in_a_batch(
    capsys: pytest.CaptureFixture[str], lab: Lab, real_document: dict[str, Any], tmp_path: Path
) -> None:
    write(real_document, tmp_path / "b" / "ok.json")
    write({"format": "labcheck-evidence", "padding": "x" * 3_000_000}, tmp_path / "b" / "big.json")
    code, out, _ = run(capsys, tmp_path / "b", "--spec", lab.path, "--max-size", "2")
    assert code == 1
    assert "big.json: too big (2.9 MB; the limit is 2.0 MB, see --max-size)" in out
    assert "summary: 1 consistent, 1 error (of 2)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--spec", "specs/ops-stage1"], "nowhere: no such file or folder"),
        (["{empty}", "--spec", "specs/ops-stage1"], "no bundles found"),
        (["{evidence}", "--spec", "{empty}"], "no lab.yaml or lab.yml in this folder"),
        (["{empty}", "--spec", "specs/ops-stage1", "--max-size", "0"], "--max-size must be a positive"),
        (["{evidence}", "--spec", "specs/ops-stage1", "--pubkey", "nowhere.pub"], "nowhere.pub: cannot read"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    empty = tmp_path / "empty"
    empty.mkdir()
    filled = [a.format(empty=empty, evidence=EVIDENCE) for a in args]
    code, _, err = run(capsys, *filled)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_student_id_with_a_folder_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], submissions: Path, lab: Lab
) -> None:
    code, _, err = run(capsys, submissions, "--spec", lab.path, "--student-id", "ana")
    assert code == 2 and "--ids-from-names" in err


def test_missing_spec_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(EVIDENCE)])
    assert exited.value.code == 2
    assert "--spec" in capsys.readouterr().err
