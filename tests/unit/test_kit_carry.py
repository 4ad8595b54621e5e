"""A kit you can carry, without an engine: the export's manifest, and `kit import` refusing hostile tars.

The kit's data dir here is a small one made by the test (registry data, a node image file, a root
filesystem with a link, a git mirror); the real kit's export and import run in
tests/docker/kit/test_kit_8_carry.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from labcheck.errors import KitError
from labcheck.kit import export, export_reader, package_cache, state
from labcheck.kit.api import bundled_lab_specs


def _make_kit(home: Path) -> None:
    (home / "registry/data/docker/registry/v2/blobs").mkdir(parents=True)
    (home / "registry/data/docker/registry/v2/blobs/data").write_bytes(b"layer bytes " * 1000)
    (home / "registry/standins.json").write_text('{"alpine": {"digest": "sha256:1", "recipe": "r"}}\n')
    (home / "registry/run").mkdir()
    (home / "registry/run/loopback.pid").write_text("123\n")  # this machine's: not exported
    (home / "cache").mkdir()
    (home / "cache/node-image.tar").write_bytes(os.urandom(4096))
    (home / "cache/node-image.recipe").write_text("abc\n")
    root = home / "rootfs/bookworm"
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/su").write_bytes(b"#!/bin/sh\n")
    (root / "usr/bin/su").chmod(0o4755)
    (root / "bin").symlink_to("usr/bin")
    (root / "etc").mkdir()
    (root / "etc/alternatives").mkdir()
    (root / "etc/alternatives/awk").symlink_to("/usr/bin/mawk")
    (root / "tmp").mkdir()
    (root / "tmp").chmod(0o1777)
    os.mkfifo(root / "etc/initctl")  # not data: left out of the export
    (home / "git/github.com/docker/example-voting-app.git").mkdir(parents=True)
    (home / "git/github.com/docker/example-voting-app.git/HEAD").write_text("ref: refs/heads/master\n")
    (home / "packages/debian/dists/bookworm").mkdir(parents=True)
    (home / "packages/debian/dists/bookworm/Release").write_text("Origin: labcheck\n")
    (home / "packages/packages.json").write_text('{"wanted": ["figlet"]}\n')
    state.save(
        state.KitState(
            mode="offline",
            nodes=("node1", "node2"),
            labs=(state.LabRecord("ops-stage1", "/somewhere/else/specs/ops-stage1"),),
        )
    )


@pytest.fixture
def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = tmp_path / "source-kit"
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(source))
    _make_kit(source)
    written = export.export_kit(tmp_path / "kit.tar", lambda message: None)
    assert written.labs == ("ops-stage1",)
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "other-machine"))
    return tmp_path / "kit.tar"


def _members(tar_path: Path) -> list[str]:
    with tarfile.open(tar_path) as tar:
        return tar.getnames()


def test_an_export_holds_the_manifest_first_then_what_the_kit_built(exported: Path) -> None:
    names = _members(exported)
    assert names[0] == "labcheck-kit/manifest.json"
    data = [name.removeprefix("labcheck-kit/data/") for name in names[1:]]
    assert "registry/data/docker/registry/v2/blobs/data" in data
    assert {"registry/standins.json", "cache/node-image.tar", "packages/packages.json"} <= set(data)
    assert "rootfs/bookworm/etc/alternatives/awk" in data
    assert "rootfs/bookworm/etc/initctl" not in data  # a FIFO is not data
    assert not [name for name in data if "/run/" in name or name.startswith(("state", "nodes", "locks"))]
    with tarfile.open(exported) as tar:
        reader = tar.extractfile("labcheck-kit/manifest.json")
        assert reader is not None
        manifest = json.loads(reader.read())
    assert manifest["format"] == "labcheck-kit-export" and manifest["nodes"] == ["node1", "node2"]
    blob = next(e for e in manifest["entries"] if e["path"].endswith("blobs/data"))
    assert blob["size"] == 12000 and len(blob["sha256"]) == 64


def test_import_puts_every_entry_in_place_with_its_links_and_modes(exported: Path, tmp_path: Path) -> None:
    manifest = export_reader.import_kit(exported, lambda message: None)
    home = tmp_path / "other-machine"
    source = tmp_path / "source-kit"
    for relative in (
        "registry/data/docker/registry/v2/blobs/data",
        "cache/node-image.tar",
        "git/github.com/docker/example-voting-app.git/HEAD",
    ):
        assert (home / relative).read_bytes() == (source / relative).read_bytes()
    assert os.readlink(home / "rootfs/bookworm/etc/alternatives/awk") == "/usr/bin/mawk"
    assert os.readlink(home / "rootfs/bookworm/bin") == "usr/bin"
    assert (home / "rootfs/bookworm/tmp").stat().st_mode & 0o7777 == 0o1777
    # No set-user-ID bit comes from an import, whoever wrote the file.
    assert (home / "rootfs/bookworm/usr/bin/su").stat().st_mode & 0o7777 == 0o755
    assert not (home / "import-staging").exists() and not (home / "state.json").exists()
    assert manifest.labs == ("ops-stage1",) and manifest.nodes == ("node1", "node2")
    served, elsewhere = export_reader.served_labs(manifest)
    assert [lab.id for lab in served] == ["ops-stage1"] and elsewhere == []


def _rewrite(
    source: Path,
    target: Path,
    edit: dict[str, bytes | None],
    extra: tuple[tuple[tarfile.TarInfo, bytes], ...] = (),
) -> None:
    """A copy of an export with some members' data replaced (None: dropped) and members added."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isreg() else b""  # type: ignore[union-attr]
            if member.name in edit:
                replaced = edit[member.name]
                if replaced is None:
                    continue
                data = replaced
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if member.isreg() else None)
        for info, data in extra:
            new.addfile(info, io.BytesIO(data) if info.isreg() else None)


def _manifest_of(path: Path) -> dict[str, object]:
    with tarfile.open(path) as tar:
        reader = tar.extractfile("labcheck-kit/manifest.json")
        assert reader is not None
        return json.loads(reader.read())  # type: ignore[no-any-return]


def _refused(path: Path) -> str:
    with pytest.raises(KitError) as refused:
        export_reader.import_kit(path, lambda message: None)
    return str(refused.value)


def _nothing_replaced(home: Path) -> None:
    assert not (home / "registry").exists() and not (home / "rootfs").exists()
    assert not (home / "import-staging").exists()


BLOB = "labcheck-kit/data/registry/data/docker/registry/v2/blobs/data"


def test_a_corrupt_entry_is_refused_naming_it_and_nothing_is_replaced(exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    original = bytearray(exported.read_bytes())
    with tarfile.open(exported) as tar:
        offset = tar.getmember(BLOB).offset_data
    original[offset + 100] ^= 0x01  # one bit flipped inside a registry blob
    bad.write_bytes(bytes(original))
    message = _refused(bad)
    assert "registry/data/docker/registry/v2/blobs/data does not match its SHA-256 digest" in message
    assert str(bad) in message
    _nothing_replaced(tmp_path / "other-machine")


def test_a_cut_short_export_is_refused(exported: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tar"
    cut.write_bytes(exported.read_bytes()[: exported.stat().st_size // 2])
    message = _refused(cut)
    assert "cut short" in message or "lacks" in message
    _nothing_replaced(tmp_path / "other-machine")


def test_foreign_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path / "home"))
    not_tar = tmp_path / "photo.tar"
    not_tar.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    assert "is not a tar archive" in _refused(not_tar)
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        info = tarfile.TarInfo("etc/passwd")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"root\n"))
    assert "its first member is 'etc/passwd', not labcheck-kit/manifest.json" in _refused(other)
    fifo = tmp_path / "fifo.tar"
    os.mkfifo(fifo)
    assert "is not a regular file" in _refused(fifo)
    assert "cannot be read" in _refused(tmp_path / "missing.tar")


def _with_manifest(
    exported: Path,
    target: Path,
    change: dict[str, object],
    extra: tuple[tuple[tarfile.TarInfo, bytes], ...] = (),
) -> None:
    manifest = {**_manifest_of(exported), **change}
    _rewrite(exported, target, {"labcheck-kit/manifest.json": json.dumps(manifest).encode()}, extra)


def _entries(exported: Path) -> list[dict[str, object]]:
    return list(_manifest_of(exported)["entries"])  # type: ignore[call-overload]


def test_path_traversal_in_the_manifest_is_refused(exported: Path, tmp_path: Path) -> None:
    entries = _entries(exported)
    for bad_path in ("../../etc/cron.d/x", "/etc/cron.d/x", "registry/../../x", "elsewhere/x"):
        evil = tmp_path / "evil.tar"
        _with_manifest(
            exported,
            evil,
            {
                "entries": [
                    *entries,
                    {
                        "path": bad_path,
                        "type": "file",
                        "mode": 420,
                        "uid": 0,
                        "gid": 0,
                        "size": 1,
                        "sha256": "0" * 64,
                    },
                ]
            },
        )
        assert "is not inside what a kit exports" in _refused(evil)
    assert not (tmp_path.parent / "etc").exists()
    _nothing_replaced(tmp_path / "other-machine")


def test_a_member_the_manifest_does_not_list_is_refused(exported: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar"
    info = tarfile.TarInfo("labcheck-kit/data/../../../tmp/planted")
    info.size = 3
    _rewrite(exported, evil, {}, ((info, b"bad"),))
    assert "which its manifest does not list" in _refused(evil)
    assert not Path("/tmp/planted").exists()


def test_links_out_and_devices_are_refused(exported: Path, tmp_path: Path) -> None:
    entries = _entries(exported)
    link = {
        "path": "registry/data/escape",
        "type": "symlink",
        "mode": 511,
        "uid": 0,
        "gid": 0,
        "target": "/etc",
    }
    evil = tmp_path / "link.tar"
    _with_manifest(exported, evil, {"entries": [*entries, link]})
    assert "a symbolic link outside the root filesystem" in _refused(evil)
    # A link inside the root filesystem, then a file written "through" it: refused by order.
    through = [
        {
            "path": "rootfs/bookworm/out",
            "type": "symlink",
            "mode": 511,
            "uid": 0,
            "gid": 0,
            "target": str(tmp_path / "victim"),
        },
        {
            "path": "rootfs/bookworm/out/file",
            "type": "file",
            "mode": 420,
            "uid": 0,
            "gid": 0,
            "size": 1,
            "sha256": "0" * 64,
        },
    ]
    _with_manifest(exported, evil, {"entries": [*entries, *through]})
    assert "lists rootfs/bookworm/out/file before its folder" in _refused(evil)
    assert not (tmp_path / "victim").exists()
    # A device node where the manifest lists a file.
    device = tarfile.TarInfo("labcheck-kit/data/rootfs/bookworm/dev-null")
    device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 3
    listed = {
        "path": "rootfs/bookworm/dev-null",
        "type": "file",
        "mode": 420,
        "uid": 0,
        "gid": 0,
        "size": 0,
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }
    _with_manifest(exported, evil, {"entries": [*entries, listed]}, ((device, b""),))
    assert "rootfs/bookworm/dev-null is a device in the tar and a file in its manifest" in _refused(evil)
    _nothing_replaced(tmp_path / "other-machine")


def test_sizes_beyond_reason_are_refused_before_anything_is_written(exported: Path, tmp_path: Path) -> None:
    entries = _entries(exported)
    huge = {
        "path": "rootfs/bookworm/huge",
        "type": "file",
        "mode": 420,
        "uid": 0,
        "gid": 0,
        "size": 2**45,
        "sha256": "0" * 64,
    }
    evil = tmp_path / "huge.tar"
    _with_manifest(exported, evil, {"entries": [*entries, huge]})
    assert "more than a kit needs" in _refused(evil)
    _with_manifest(exported, evil, {"format_version": 99})
    assert "format version is 99" in _refused(evil)


def test_import_refuses_while_the_kit_is_up(exported: Path, tmp_path: Path) -> None:
    state.save(state.KitState(mode="offline"))
    assert "run `labcheck kit down` before `labcheck kit import`" in _refused(exported)


def test_the_command_line_refuses_a_corrupt_export_with_exit_2_and_no_traceback(
    exported: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.tar"
    data = bytearray(exported.read_bytes())
    with tarfile.open(exported) as tar:
        offset = tar.getmember("labcheck-kit/data/cache/node-image.tar").offset_data
    data[offset + 7] ^= 0xFF
    bad.write_bytes(bytes(data))
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "import", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "cache/node-image.tar does not match its SHA-256 digest in the manifest" in done.stderr
    assert "Traceback" not in done.stderr
    spanish = subprocess.run(
        [sys.executable, "-m", "labcheck", "kit", "import", str(bad)],
        capture_output=True,
        text=True,
        env={**env, "LC_ALL": "es_ES.UTF-8"},
        timeout=120,
    )
    assert spanish.returncode == 2
    assert "cache/node-image.tar no coincide con su resumen SHA-256 del manifiesto" in spanish.stderr


# -- what the labs install --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("apt-get update && apt-get install -y figlet", ["figlet"]),
        ("RUN apk update && apk add nodejs", ["nodejs"]),
        ("sudo apt-get -y --no-install-recommends install jq=1.6-2 curl", ["jq", "curl"]),
        ("apk --no-cache add git openssh; echo apk add not-this", ["git", "openssh"]),
        ("apt-get update", []),
        ("echo 'apt-get install figlet'", []),
    ],
)
def test_the_packages_a_command_installs(command: str, names: list[str]) -> None:
    assert package_cache.installed_in(command) == names


def test_the_bundled_labs_install_figlet_and_nodejs() -> None:
    wanted = package_cache.wanted_packages(bundled_lab_specs())
    assert {"figlet", "nodejs"} <= set(wanted)


INDEX = """\
Package: app
Version: 1
Depends: libc6 (>= 2.34), mail-transport-agent | exim4, libfoo
Filename: pool/main/a/app/app_1_amd64.deb
SHA256: aa

Package: libc6
Version: 2.36
Filename: pool/main/g/glibc/libc6_2.36_amd64.deb
SHA256: bb

Package: postfix
Version: 3
Provides: mail-transport-agent
Depends: libc6
Filename: pool/main/p/postfix/postfix_3_amd64.deb
SHA256: cc

Package: exim4
Version: 4
Filename: pool/main/e/exim4/exim4_4_all.deb
SHA256: dd

Package: libfoo
Version: 1
Pre-Depends: libc6
Filename: pool/main/f/foo/libfoo_1_amd64.deb
SHA256: ee
"""


def test_the_closure_takes_the_first_alternative_then_a_provider() -> None:
    packages, providers = package_cache.parse_index(INDEX)
    chosen, missing = package_cache.closure(["app", "nosuch"], packages, providers)
    assert [package.name for package in chosen] == ["app", "libc6", "libfoo", "postfix"]
    assert missing == ["nosuch"]
