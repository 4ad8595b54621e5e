"""A run's files: lab files only from the spec's folder, replacements only from the workspace,
written only inside a host node's home, and a refusal before any node is touched."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from labcheck.confined import FileRefused, Limits, _open_below, read_within
from labcheck.errors import LabcheckError, SpecInvalid
from labcheck.runner.lab_files import LabFilesRefused, gather_lab_files, write_within_home
from labcheck.runner.session import LabRun, RunOptions
from labcheck.signing.keys import SIGNING_KEY_ENV
from labcheck.spec.loader import load_lab
from tests.hostile.files_inputs import SECRET_KEY, WORKSPACE_ATTACKS, hard_link_to

SPEC = """\
labcheck: 1
lab: {id: files, title: Ficheros, language: es, version: "1"}
files: [{path: index.js}, {path: app/Dockerfile}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: show
        title: Mostrar el fichero
        run: cat index.js
        expect: {exit_code: 0}
"""


def make_spec(folder: Path, text: str = SPEC) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.yaml").write_text(text, encoding="utf-8")
    (folder / "index.js").write_text("console.log('del curso')\n")
    (folder / "app").mkdir(exist_ok=True)
    (folder / "app" / "Dockerfile").write_text("FROM alpine\n")
    return folder


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return make_spec(tmp_path / "course" / "spec")


@pytest.mark.parametrize("attack", sorted(WORKSPACE_ATTACKS))
def test_every_workspace_attack_is_refused_naming_the_file(attack: str, spec: Path, tmp_path: Path) -> None:
    make, expected = WORKSPACE_ATTACKS[attack]
    workspace = tmp_path / "student"
    workspace.mkdir()
    make(workspace / "index.js")
    with pytest.raises(LabFilesRefused) as refused:
        gather_lab_files(load_lab(spec), workspace, host_targets=False)
    message = str(refused.value)
    assert "the run was not started" in message
    assert f"{workspace / 'index.js'}: " in message
    assert expected in message


def test_a_folder_symlinked_out_of_the_workspace_is_refused(spec: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Dockerfile").write_text("FROM secret\n")
    workspace = tmp_path / "student"
    workspace.mkdir()
    (workspace / "app").symlink_to(elsewhere)
    with pytest.raises(
        LabFilesRefused, match=r"app/Dockerfile: leads to .*elsewhere/Dockerfile \(through a symlink\)"
    ):
        gather_lab_files(load_lab(spec), workspace, host_targets=False)


def test_a_hard_link_in_the_workspace_is_refused(spec: Path, tmp_path: Path) -> None:
    secret = tmp_path / "runner-secret"
    secret.write_text(SECRET_KEY)
    workspace = tmp_path / "student"
    workspace.mkdir()
    hard_link_to(secret)(workspace / "index.js")
    with pytest.raises(LabFilesRefused, match="is a hard link"):
        gather_lab_files(load_lab(spec), workspace, host_targets=False)


def test_genuine_replacements_and_links_inside_are_used(spec: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "student"
    (workspace / "src").mkdir(parents=True)
    (workspace / "src" / "main.js").write_text("console.log('mine')\n")
    (workspace / "index.js").symlink_to("src/main.js")  # inside the workspace: fine
    files = gather_lab_files(load_lab(spec), workspace, host_targets=False)
    assert files["host"]["index.js"] == b"console.log('mine')\n"
    assert files["host"]["app/Dockerfile"] == b"FROM alpine\n"  # none in the workspace: the spec's


def test_every_refused_file_is_named_at_once(spec: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "student"
    (workspace / "app").mkdir(parents=True)
    (workspace / "index.js").symlink_to("/proc/self/environ")
    os.mkfifo(workspace / "app" / "Dockerfile")
    with pytest.raises(LabFilesRefused) as refused:
        gather_lab_files(load_lab(spec), workspace, host_targets=False)
    assert len(refused.value.problems) == 2


def test_a_workspace_that_is_not_a_folder(spec: Path, tmp_path: Path) -> None:
    with pytest.raises(LabFilesRefused, match="the workspace is not a folder"):
        gather_lab_files(load_lab(spec), tmp_path / "no-such-folder", host_targets=False)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("../../etc/passwd", "goes up with '..'"),
        ("/etc/passwd", "is an absolute path"),
        ("sub/../../x", "goes up with '..'"),
        (".", "names the folder itself"),
    ],
)
def test_spec_files_outside_the_spec_folder_are_spec_errors(tmp_path: Path, path: str, expected: str) -> None:
    folder = make_spec(tmp_path / "spec", SPEC.replace("{path: index.js}", "{path: " + repr(path) + "}"))
    with pytest.raises(SpecInvalid) as invalid:
        load_lab(folder)
    message = str(invalid.value)
    assert f"{folder / 'lab.yaml'}:3: files[0].path: the lab file '{path}' {expected}" in message


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.symlink_to("/etc/passwd"), "is a symlink to /etc/passwd, outside the spec's folder"),
        (os.mkfifo, "is a FIFO (named pipe), not a regular file"),
    ],
)
def test_spec_files_that_are_symlinks_out_or_fifos_are_spec_errors(
    tmp_path: Path, make: Callable[[Path], None], expected: str
) -> None:
    folder = make_spec(tmp_path / "spec")
    (folder / "index.js").unlink()
    make(folder / "index.js")
    pattern = re.escape(f"lab.yaml:3: files[0].path: the lab file 'index.js' {expected}")
    with pytest.raises(SpecInvalid, match=pattern):
        load_lab(folder)


def test_validate_names_the_file_and_line_without_a_traceback(tmp_path: Path) -> None:
    folder = make_spec(tmp_path / "spec")
    (folder / "index.js").unlink()
    (folder / "index.js").symlink_to("/proc/self/environ")
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2  # validate: an invalid spec is a spec error
    assert (
        "lab.yaml:3: files[0].path: the lab file 'index.js' is a symlink to /proc/self/environ" in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_a_refused_file_stops_the_run_before_any_node_is_touched(spec: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "student"
    workspace.mkdir()
    (workspace / "index.js").symlink_to("/proc/self/environ")
    out = tmp_path / "out"
    # Nothing answers at this address: reaching the engine would be EngineUnreachable, not a refusal.
    options = RunOptions(out_dir=out, targets={"host": "tcp://127.0.0.1:9"}, workspace=workspace)
    with pytest.raises(LabFilesRefused):
        LabRun(load_lab(spec), options).start()
    assert not (out / "homes").exists()  # no node's home was even made
    assert not (out / "evidence.json").exists()


def test_a_host_workdir_outside_the_home_is_refused_before_the_run(tmp_path: Path) -> None:
    text = SPEC.replace("files:", 'defaults: {workdir: "/etc"}\nfiles:')
    folder = make_spec(tmp_path / "spec", text)
    with pytest.raises(LabFilesRefused, match="workdir '/etc' is outside the node's home folder"):
        gather_lab_files(load_lab(folder), None, host_targets=True)
    gather_lab_files(load_lab(folder), None, host_targets=False)  # a kit node's /etc is the node's own


def test_host_copy_is_never_written_outside_the_home(tmp_path: Path) -> None:
    home = tmp_path / "homes" / "node1"
    home.mkdir(parents=True)
    with pytest.raises(LabcheckError, match="outside the node's home folder"):
        write_within_home(home, str(tmp_path), {"index.js": b"x"})
    with pytest.raises(LabcheckError, match=r"goes up with '\.\.'"):
        write_within_home(home, str(home), {"../../escaped.js": b"x"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (home / "app").symlink_to(outside)  # what a step left behind, say
    with pytest.raises(LabcheckError, match="a symlink is in the way"):
        write_within_home(home, str(home), {"app/Dockerfile": b"x"})
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escaped.js").exists()
    write_within_home(home, str(home / "sub"), {"app2/Dockerfile": b"FROM x\n"})
    assert (home / "sub" / "app2" / "Dockerfile").read_bytes() == b"FROM x\n"


def test_a_symlink_swapped_in_after_the_check_is_not_followed(tmp_path: Path) -> None:
    """The file is opened component by component with O_NOFOLLOW: a link put in after the
    containment check (a race) makes the open fail instead of leading out."""
    folder = tmp_path / "student"
    (folder / "app").mkdir(parents=True)
    (folder / "app" / "x").write_text("mine")
    shutil.rmtree(folder / "app")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "x").write_text(SECRET_KEY)
    (folder / "app").symlink_to(tmp_path / "secret")
    from pathlib import PurePosixPath

    with pytest.raises(FileRefused, match="changed while being read"):
        _open_below(folder.resolve(), PurePosixPath("app/x"), "app/x")
    (folder / "index.js").symlink_to(tmp_path / "secret" / "x")  # the file itself, swapped
    with pytest.raises(FileRefused, match="changed while being read"):
        _open_below(folder.resolve(), PurePosixPath("index.js"), "index.js")


def test_proc_files_that_lie_about_their_size_are_still_bounded(tmp_path: Path) -> None:
    """/proc files say they are empty and are not: the read itself stops at the limit."""
    with pytest.raises(FileRefused, match="is too big"):
        read_within(Path("/proc/self"), "environ", Limits(max_bytes=8))


FIFO_RUN = """\
import sys
from pathlib import Path
from labcheck.runner.lab_files import gather_lab_files
from labcheck.spec.loader import load_lab
try:
    gather_lab_files(load_lab(Path(sys.argv[1])), Path(sys.argv[2]), host_targets=False)
except Exception as error:
    print(type(error).__name__, error)
"""


def test_a_fifo_in_the_workspace_does_not_block(spec: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "student"
    workspace.mkdir()
    os.mkfifo(workspace / "index.js")
    # In a child, so that a blocking open would be a failed test (TimeoutExpired), not a hung suite.
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FIFO_RUN), str(spec), str(workspace)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "LabFilesRefused" in done.stdout and "is a FIFO (named pipe)" in done.stdout


def test_the_signing_key_is_not_in_a_refusal(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, SECRET_KEY)
    workspace = tmp_path / "student"
    workspace.mkdir()
    (workspace / "index.js").symlink_to("/proc/self/environ")
    with pytest.raises(LabFilesRefused) as refused:
        gather_lab_files(load_lab(spec), workspace, host_targets=False)
    assert SECRET_KEY not in str(refused.value)


def test_a_link_target_chosen_by_the_student_cannot_drive_the_terminal(spec: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "student"
    workspace.mkdir()
    (workspace / "index.js").symlink_to("/tmp/\x1b[2J\x1b]52;c;aGk=\x07")
    with pytest.raises(LabFilesRefused) as refused:
        gather_lab_files(load_lab(spec), workspace, host_targets=False)
    assert "\x1b" not in str(refused.value) and "\x07" not in str(refused.value)
    assert "/tmp/\\x1b[2J\\x1b]52;c;aGk=\\x07" in str(refused.value)
