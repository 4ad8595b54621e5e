"""`kit import`: a kit export read as hostile input, checked entry by entry, then brought up.

The file must be a plain (uncompressed) tar whose first member is the manifest and whose other
members are exactly the manifest's entries, in its order: folders, regular files whose size and
SHA-256 match, and symbolic links only inside the root filesystem. Anything else (a path with
`..` or a leading `/`, a device, a FIFO, a hard link, a member the manifest does not list, one it
lists that is missing, a digest that differs) is refused, naming the entry, before anything of the
kit is replaced. Entries are written into a fresh staging folder that only this code fills: every
parent is a folder it made itself, files are created with O_EXCL|O_NOFOLLOW, and a link is never
followed, so nothing is written outside it. Set-user-ID and set-group-ID bits are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tarfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from labcheck.errors import KitError
from labcheck.i18n import N_, cli
from labcheck.kit import paths, state
from labcheck.kit.api import bundled_lab_specs
from labcheck.kit.export import (
    DATA_PREFIX,
    EXPORTED,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SYMLINKS_ALLOWED_UNDER,
    Entry,
)
from labcheck.os_error_words import os_error_words
from labcheck.spec.model import Lab

Progress = Callable[[str], None]

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 200_000
MAX_TOTAL_BYTES = 32 * 1024**3  # the bundled labs' kit is about 1.1 GB
MAX_PATH_CHARS = 1024
_SPARE_BYTES = 256 * 1024 * 1024  # room left on the disk once everything is written
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ExportManifest:
    labcheck: str
    machine: str
    nodes: tuple[str, ...]
    labs: tuple[str, ...]
    entries: tuple[Entry, ...]
    total_size: int


def _refuse(file: Path, reason: str) -> KitError:
    return KitError(cli().format("{file} is refused as a kit export: {reason}", file=file, reason=reason))


# ---------------------------------------------------------------- the manifest


def _allowed_path(path: str) -> bool:
    if not path or len(path) > MAX_PATH_CHARS or "\\" in path or "\0" in path or path.startswith("/"):
        return False
    if any(part in ("", ".", "..") for part in path.split("/")):
        return False
    for root in EXPORTED:
        if path == root or path.startswith(root + "/") or root.startswith(path + "/"):
            return True
    return False


def _entry(item: object, file: Path, index: int) -> Entry:
    def bad(what: str) -> KitError:
        return _refuse(file, cli().format("manifest entry {index}: {what}", index=index, what=what))

    if not isinstance(item, dict):
        raise bad(cli().gettext("not an object"))
    path, kind = item.get("path"), item.get("type")
    if not isinstance(path, str) or not _allowed_path(path):
        raise bad(cli().format("path {path!r} is not inside what a kit exports", path=path))
    if kind not in ("dir", "file", "symlink"):
        raise bad(
            cli().format(
                "{path}: type {kind!r} (a kit export holds folders, files and links)", path=path, kind=kind
            )
        )
    written: dict[str, object] = {key: item.get(key) for key in ("mode", "uid", "gid")}
    if kind == "file":
        written["size"] = item.get("size")
    numbers: dict[str, int] = {}
    for key, value in written.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
            raise bad(cli().format("{path}: {key} is not a number", path=path, key=key))
        numbers[key] = value
    if numbers["uid"] >= 2**31 or numbers["gid"] >= 2**31 or numbers["mode"] > 0o7777:
        raise bad(cli().format("{path}: owner or mode out of range", path=path))
    digest = item.get("sha256", "")
    if kind == "file" and (
        not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= set("0123456789abcdef")
    ):
        raise bad(cli().format("{path}: no SHA-256 digest", path=path))
    target = item.get("target", "")
    if kind == "symlink":
        if not path.startswith(SYMLINKS_ALLOWED_UNDER):
            raise bad(cli().format("{path}: a symbolic link outside the root filesystem", path=path))
        if not isinstance(target, str) or not target or "\0" in target or len(target) > MAX_PATH_CHARS:
            raise bad(cli().format("{path}: a symbolic link with no valid target", path=path))
    return Entry(
        path,
        str(kind),
        int(numbers["mode"]),
        int(numbers["uid"]),
        int(numbers["gid"]),
        int(numbers.get("size") or 0),
        str(digest) if kind == "file" else "",
        str(target) if kind == "symlink" else "",
    )


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_manifest(data: bytes, file: Path) -> ExportManifest:
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(file, cli().format("its manifest is not valid JSON ({error})", error=exc)) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _refuse(file, cli().gettext("its manifest is not a labcheck kit manifest"))
    if raw.get("format_version") != FORMAT_VERSION:
        raise _refuse(
            file,
            cli().format(
                "its format version is {found}; this labcheck reads version {wanted}",
                found=raw.get("format_version"),
                wanted=FORMAT_VERSION,
            ),
        )
    items = raw.get("entries")
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        raise _refuse(
            file, cli().format("its manifest lists no entries or more than {limit}", limit=MAX_ENTRIES)
        )
    entries = tuple(_entry(item, file, index) for index, item in enumerate(items))
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.path in seen:
            raise _refuse(file, cli().format("its manifest lists {path} twice", path=entry.path))
        parent = entry.path.rpartition("/")[0]
        if parent and seen.get(parent) != "dir":
            raise _refuse(file, cli().format("its manifest lists {path} before its folder", path=entry.path))
        seen[entry.path] = entry.kind
    total = sum(entry.size for entry in entries)
    if total > MAX_TOTAL_BYTES:
        raise _refuse(file, cli().format("it would unpack {size} bytes, more than a kit needs", size=total))
    machine = raw.get("machine")
    strings = {key: raw.get(key) for key in ("nodes", "labs")}
    for key, value in strings.items():
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _refuse(file, cli().format("its manifest's {key} is not a list of names", key=key))
    return ExportManifest(
        str(raw.get("labcheck", "?")),
        str(machine),
        tuple(strings["nodes"]),  # type: ignore[arg-type]
        tuple(strings["labs"]),  # type: ignore[arg-type]
        entries,
        total,
    )


# ---------------------------------------------------------------- reading the tar


def _open(file: Path) -> IO[bytes]:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused right after.
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise _refuse(file, cli().format("it cannot be read ({error})", error=os_error_words(exc))) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _refuse(file, cli().gettext("it is not a regular file"))
    return os.fdopen(descriptor, "rb")


def stage(file: Path, staging: Path, progress: Progress) -> ExportManifest:
    """Check the export and write its entries under staging (a fresh folder). Raises KitError."""
    with _open(file) as handle:
        try:
            tar = tarfile.open(fileobj=handle, mode="r:")
        except tarfile.TarError:
            raise _refuse(
                file, cli().gettext("it is not a tar archive (a kit export is an uncompressed tar)")
            ) from None
        with tar:
            first = tar.next()
            if first is None or first.name != MANIFEST_NAME or not first.isreg():
                name = first.name if first is not None else ""
                raise _refuse(
                    file,
                    cli().format(
                        "its first member is {name!r}, not {manifest}", name=name, manifest=MANIFEST_NAME
                    ),
                )
            if first.size > MAX_MANIFEST_BYTES:
                raise _refuse(file, cli().gettext("its manifest is too large"))
            manifest = parse_manifest(_read_all(tar, first, file), file)
            staging.mkdir(parents=True)
            free = shutil.disk_usage(staging).free
            if manifest.total_size + _SPARE_BYTES > free:
                raise _refuse(
                    file,
                    cli().format(
                        "it needs {needed} MB and {folder} has {free} MB free",
                        needed=(manifest.total_size + _SPARE_BYTES) // 10**6,
                        folder=staging.parent,
                        free=free // 10**6,
                    ),
                )
            t = cli()
            progress(
                t.ngettext(
                    "checking and unpacking {count} entry ({size} MB)",
                    "checking and unpacking {count} entries ({size} MB)",
                    len(manifest.entries),
                ).format(count=t.number(len(manifest.entries)), size=t.number(manifest.total_size // 10**6))
            )
            _unpack(tar, manifest.entries, staging, file)
    return manifest


def _read_all(tar: tarfile.TarFile, member: tarfile.TarInfo, file: Path) -> bytes:
    reader = tar.extractfile(member)
    if reader is None:
        raise _refuse(file, cli().gettext("its manifest cannot be read"))
    try:
        return reader.read(MAX_MANIFEST_BYTES + 1)
    except (tarfile.TarError, OSError):
        raise _refuse(file, cli().gettext("it is cut short inside its manifest")) from None


# A member's kind, as the refusals name it.
_KIND_WORDS = {
    "dir": N_("a folder"),
    "file": N_("a file"),
    "symlink": N_("a symbolic link"),
    "hard link": N_("a hard link"),
    "device": N_("a device"),
    "FIFO": N_("a FIFO"),
    "special file": N_("a special file"),
}


def _member_kind(member: tarfile.TarInfo) -> str:
    if member.isdir():
        return "dir"
    if member.isreg():
        return "file"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hard link"
    if member.ischr() or member.isblk():
        return "device"
    if member.isfifo():
        return "FIFO"
    return "special file"


def _unpack(tar: tarfile.TarFile, entries: Sequence[Entry], staging: Path, file: Path) -> None:
    made_dirs: set[str] = {""}
    dir_modes: list[tuple[Path, Entry]] = []
    as_root = os.geteuid() == 0
    for entry in entries:
        try:
            member = tar.next()
        except tarfile.TarError:
            member = None
        if member is None:
            raise _refuse(
                file, cli().format("it lacks {path}, which its manifest lists (cut short?)", path=entry.path)
            )
        if member.name != DATA_PREFIX + entry.path:
            raise _refuse(
                file,
                cli().format(
                    "it holds {name} where its manifest lists {path}", name=member.name, path=entry.path
                ),
            )
        kind = _member_kind(member)
        if kind != entry.kind:
            raise _refuse(
                file,
                cli().format(
                    "{path} is {found} in the tar and {wanted} in its manifest",
                    path=entry.path,
                    found=cli().gettext(_KIND_WORDS[kind]),
                    wanted=cli().gettext(_KIND_WORDS[entry.kind]),
                ),
            )
        parent = entry.path.rpartition("/")[0]
        if parent not in made_dirs:  # parse_manifest checked the order; a link is never a parent
            raise _refuse(file, cli().format("{path} is not inside a folder of the export", path=entry.path))
        target = staging / entry.path
        if entry.kind == "dir":
            target.mkdir(mode=0o700)
            made_dirs.add(entry.path)
            dir_modes.append((target, entry))
        elif entry.kind == "symlink":
            if member.linkname != entry.target:
                raise _refuse(
                    file, cli().format("{path} links elsewhere than its manifest says", path=entry.path)
                )
            os.symlink(entry.target, target)
            if as_root:
                os.lchown(target, entry.uid, entry.gid)
        else:
            _write_file(tar, member, entry, target, file, as_root)
    try:
        extra = tar.next()
    except tarfile.TarError:
        extra = None
    if extra is not None:
        raise _refuse(
            file, cli().format("it holds {name}, which its manifest does not list", name=extra.name)
        )
    for directory, entry in reversed(dir_modes):  # children first, so a read-only folder is filled
        if as_root:
            os.chown(directory, entry.uid, entry.gid)
        os.chmod(directory, entry.mode & 0o1777)


def _write_file(
    tar: tarfile.TarFile, member: tarfile.TarInfo, entry: Entry, target: Path, file: Path, as_root: bool
) -> None:
    if member.size != entry.size:
        raise _refuse(
            file,
            cli().format(
                "{path} has {found} bytes; its manifest says {wanted}",
                path=entry.path,
                found=member.size,
                wanted=entry.size,
            ),
        )
    reader = tar.extractfile(member)
    if reader is None:
        raise _refuse(file, cli().format("{path} cannot be read", path=entry.path))
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        try:
            for chunk in iter(lambda: reader.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        except tarfile.TarError:  # a full disk is an OSError, said as such by the CLI
            raise _refuse(file, cli().format("it is cut short inside {path}", path=entry.path)) from None
        if as_root:
            os.fchown(out.fileno(), entry.uid, entry.gid)
        os.fchmod(out.fileno(), entry.mode & 0o777)  # no set-user-ID or set-group-ID from an import
    if digest.hexdigest() != entry.sha256:
        raise _refuse(
            file,
            cli().format(
                "{path} does not match its SHA-256 digest in the manifest (corrupt or altered)",
                path=entry.path,
            ),
        )


# ---------------------------------------------------------------- putting it in place


def install(staging: Path, home: Path) -> None:
    """Replace the kit's exported paths by the staged ones (same file system: renames)."""
    for relative in EXPORTED:
        staged = staging / relative
        if not staged.exists() and not staged.is_symlink():
            continue
        current = home / relative
        if current.is_dir() and not current.is_symlink():
            shutil.rmtree(current)
        elif current.exists() or current.is_symlink():
            current.unlink()
        current.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(current)


def staging_dir(home: Path) -> Path:
    return home / "import-staging"


def served_labs(manifest: ExportManifest) -> tuple[list[Lab], list[str]]:
    """The bundled labs the export serves, and the labs it names that are not bundled here."""
    bundled = {lab.id: lab for lab in bundled_lab_specs()}
    return [bundled[i] for i in manifest.labs if i in bundled], [i for i in manifest.labs if i not in bundled]


def import_kit(file: Path, progress: Progress) -> ExportManifest:
    """Check the export and put its data in place in the kit's data dir (the kit must be down)."""
    home = paths.kit_home()
    home.mkdir(parents=True, exist_ok=True)
    with state.locked():
        if state.load() is not None:
            raise KitError(
                cli().gettext("the kit is up: run `labcheck kit down` before `labcheck kit import`")
            )
        staging = staging_dir(home)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            manifest = stage(file, staging, progress)
            install(staging, home)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest
