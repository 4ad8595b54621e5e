"""What a run checks before touching a node, on real files: the images a lab pulls, the output
folder, and an evidence write that meets a full file system (a real RLIMIT_FSIZE)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from labcheck.runner.lab_images import images_pulled
from labcheck.runner.preflight import PreflightFailed, check_named_engines, check_output_folder, room_needed
from labcheck.spec.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]

SPEC = """\
labcheck: 1
lab: {id: images, title: Imágenes, language: es, version: "1"}
files: [{path: Dockerfile}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: a
        title: a
        run: docker container run -d --name web -p 80:80 -e A=1 nginx:1.25 && docker pull redis:7
        expect: {exit_code: 0}
      - id: b
        title: b
        run: docker image build -t mine:v1 . && docker run --rm mine:v1
        capture: [{name: x, from: image_id, ref: "mine:v1"}]
        expect: {exit_code: 0}
      - id: c
        title: c
        run: docker image tag ${{ x }} copied && docker run copied && docker run ${{ x }}
        expect: {exit_code: 0}
      - id: d
        title: d
        run: docker service create --name s --replicas 2 busybox:1.36 sleep 1000
        expect: {exit_code: 0}
"""


def test_images_pulled_are_read_from_commands_and_dockerfiles_not_those_the_lab_makes(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12 AS base\nFROM base\nRUN true\n")
    (tmp_path / "lab.yaml").write_text(SPEC)
    lab = load_lab(tmp_path / "lab.yaml")
    assert images_pulled(lab) == ["nginx:1.25", "redis:7", "busybox:1.36", "python:3.12"]


def test_the_bundled_lab_pulls_hello_world_alpine_and_ubuntu() -> None:
    assert images_pulled(load_lab(ROOT / "specs/ops-stage1/lab.yaml")) == ["hello-world", "alpine", "ubuntu"]


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC)
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    lab = load_lab(tmp_path / "lab.yaml")
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    with pytest.raises(PreflightFailed, match=f"the output folder {blocker / 'x'} cannot be written"):
        check_output_folder(blocker / "x", lab)
    check_output_folder(tmp_path / "fine", lab)
    assert list((tmp_path / "fine").iterdir()) == []  # the probe is gone
    assert room_needed(lab) > 1 << 20


WRITE_UNTIL_FULL = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from labcheck.evidence import model
    from labcheck.evidence.writer import EvidenceWriter, EvidenceWriteFailed
    from labcheck.i18n import translator
    from labcheck.spec.loader import load_lab
    lab = load_lab(Path(sys.argv[1]))
    out = Path(sys.argv[2])
    writer = EvidenceWriter(out, lab, student={}, targets={}, sandbox="kit-nodes", workspace=None,
                            capabilities={})
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))  # Python ignores SIGXFSZ: EFBIG
    for index in range(100):
        try:
            writer.add_step(model.Step(
                id=f"s{index}", number=str(index), title="t", node="host", command="x" * 2000,
                command_template="x", workdir="~", pty=False, input=[], started_at=None,
                duration_s=None, exit_code=0, timed_out=False, attempts=1, outcome="passed",
                reason=None, transcript=model.Transcript(raw_b64="", text=""), checks=[],
                captures={}, chain="0" * 64,
            ))
        except EvidenceWriteFailed as error:
            said = [error.summary(translator(language)) for language in ("es", "en")]
            print(error.kept_steps, *said, sep="|")
            print(error)
            break
    """
)


def test_an_evidence_write_that_meets_a_full_disk_keeps_the_last_whole_file(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(SPEC)
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    out = tmp_path / "out" / "evidence.json"
    done = subprocess.run(
        [sys.executable, "-c", WRITE_UNTIL_FULL, str(tmp_path / "lab.yaml"), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    kept, spanish, english = done.stdout.splitlines()[0].split("|")
    # The suite's locale is C (conftest.py): the error itself says the cause in labcheck's English.
    assert "(the file is larger than allowed): the last complete one is kept" in done.stdout.splitlines()[1]
    cause = "el archivo supera el tamaño permitido"
    kept_text = f"se conserva la última completa, con {kept} pasos"
    assert spanish == f"no se pudo escribir entera ({cause}): {kept_text}"
    kept_text = f"the last complete one is kept, with {kept} steps"
    assert english == f"could not be written whole (the file is larger than allowed): {kept_text}"
    assert len(json.loads(out.read_text())["steps"]) == int(kept) > 0
    assert not list(out.parent.glob("*.partial"))


def test_a_node_without_a_target_is_refused_before_any_engine_is_asked(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(
        SPEC.replace("files: [{path: Dockerfile}]\n", "nodes: [{name: a}, {name: b}]\n")
    )
    lab = load_lab(tmp_path / "lab.yaml")
    expected = r"the lab needs the nodes a, b; no target given for b \(give --target NAME"
    with pytest.raises(PreflightFailed, match=expected):
        check_named_engines(lab, {"a": f"unix://{tmp_path}/no-engine.sock"})
