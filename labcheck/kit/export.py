"""`kit export`: everything the kit built, in one tar with a manifest of digests, for another machine.

The tar holds `labcheck-kit/manifest.json` first, then every exported entry of the kit's data dir
under `labcheck-kit/data/`, in the manifest's order: the registry's storage and the stand-in
records, the git mirrors, the saved node image, the Debian root filesystem (its device nodes are
left out: a container's /dev comes from the engine), the package repository. `kit import`
(labcheck/kit/export_reader.py) reads it back, checking every entry against the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import platform
import stat
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from labcheck import __version__
from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths, state
from labcheck.os_error_words import os_error_words

Progress = Callable[[str], None]

FORMAT = "labcheck-kit-export"
FORMAT_VERSION = 1
PREFIX = "labcheck-kit"
MANIFEST_NAME = f"{PREFIX}/manifest.json"
DATA_PREFIX = f"{PREFIX}/data/"
# What an export carries, relative to the kit's data dir. Run files (pids, logs, configs naming
# this machine's paths), locks and the nodes' sockets stay behind.
EXPORTED = (
    "registry/data",
    "registry/standins.json",
    "git",
    "cache/node-image.tar",
    "cache/node-image.recipe",
    "rootfs",
    "packages/debian",
    "packages/packages.json",
)
# Only a root filesystem holds symbolic links (its own, meant for inside a container).
SYMLINKS_ALLOWED_UNDER = ("rootfs/",)


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the kit's data dir, "/"-separated
    kind: str  # "dir", "file" or "symlink"
    mode: int
    uid: int
    gid: int
    size: int = 0
    sha256: str = ""
    target: str = ""

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "type": self.kind,
            "mode": self.mode,
            "uid": self.uid,
            "gid": self.gid,
        }
        if self.kind == "file":
            data.update(size=self.size, sha256=self.sha256)
        if self.kind == "symlink":
            data["target"] = self.target
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(home: Path, relative: str) -> Iterator[Entry]:
    """Entries of one exported path, parents before children, in a stable order."""
    path = home / relative
    info = path.lstat()
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        yield Entry(relative, "symlink", mode, info.st_uid, info.st_gid, target=os.readlink(path))
    elif stat.S_ISREG(info.st_mode):
        yield Entry(relative, "file", mode, info.st_uid, info.st_gid, info.st_size, _sha256(path))
    elif stat.S_ISDIR(info.st_mode):
        yield Entry(relative, "dir", mode, info.st_uid, info.st_gid)
        for child in sorted(os.listdir(path)):
            yield from _walk(home, f"{relative}/{child}")
    # Device nodes, FIFOs and sockets are not data: left out.


def _parents(relative: str) -> list[str]:
    parts = relative.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def collect(home: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for relative in EXPORTED:
        if not (home / relative).exists() and not (home / relative).is_symlink():
            continue
        for parent in _parents(relative):
            if parent not in seen:
                info = (home / parent).lstat()
                entries.append(Entry(parent, "dir", stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid))
                seen.add(parent)
        for entry in _walk(home, relative):
            if entry.kind == "symlink" and not entry.path.startswith(SYMLINKS_ALLOWED_UNDER):
                raise KitError(
                    cli().format(
                        "{path} is a symbolic link: the kit exports none there", path=home / entry.path
                    )
                )
            entries.append(entry)
            seen.add(entry.path)
    return entries


def manifest(entries: list[Entry], record: state.KitState) -> dict[str, object]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "labcheck": __version__,
        "machine": platform.machine(),
        "mode": record.mode,
        "nodes": list(record.nodes),
        "labs": [lab.id for lab in record.labs],
        "tools": list(record.tools),
        "total_size": sum(entry.size for entry in entries),
        "entries": [entry.to_json() for entry in entries],
    }


def _required(home: Path) -> None:
    missing = [
        name for name in ("registry/data", "cache/node-image.tar", "rootfs") if not (home / name).exists()
    ]
    if missing:
        raise KitError(
            cli().format(
                "the kit has not built {missing} yet: run `labcheck kit up` before `labcheck kit export`",
                missing=", ".join(missing),
            )
        )


@dataclass(frozen=True)
class Written:
    labs: tuple[str, ...]
    total_size: int
    entries: int


def export_kit(destination: Path, progress: Progress) -> Written:
    """Write the export to destination (through a .partial file). Says what it holds."""
    home = paths.kit_home()
    with state.locked():  # no `kit up` may change the registry or the mirrors while they are read
        record = state.load()
        if record is None:
            raise KitError(
                cli().gettext("the kit is not up: run `labcheck kit up` before `labcheck kit export`")
            )
        if record.mode != "offline":
            raise KitError(cli().gettext("only an offline kit can be exported (this one is up --online)"))
        _required(home)
        progress(cli().format("reading {folder}", folder=home))
        entries = collect(home)
        written = manifest(entries, record)
        partial = destination.with_name(destination.name + ".partial")
        progress(cli().format("writing {file}", file=destination))
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(written, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
                for entry in entries:
                    _add(tar, home, entry)
            partial.replace(destination)
        except OSError as error:  # the user's folder: full, read-only, not theirs
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise KitError(
                cli().format(
                    "{file} cannot be written ({error})", file=destination, error=os_error_words(error)
                )
            ) from None
    return Written(tuple(lab.id for lab in record.labs), sum(e.size for e in entries), len(entries))


def _add(tar: tarfile.TarFile, home: Path, entry: Entry) -> None:
    info = tarfile.TarInfo(DATA_PREFIX + entry.path)
    info.mode = entry.mode
    info.uid, info.gid = entry.uid, entry.gid
    if entry.kind == "dir":
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
    elif entry.kind == "symlink":
        info.type = tarfile.SYMTYPE
        info.linkname = entry.target
        tar.addfile(info)
    else:
        path = home / entry.path
        info.size = entry.size
        with path.open("rb") as handle:
            # A file that changed since it was hashed would make an export its own import refuses.
            if os.fstat(handle.fileno()).st_size != entry.size:
                raise KitError(cli().format("{path} changed while the kit was being exported", path=path))
            tar.addfile(info, handle)
