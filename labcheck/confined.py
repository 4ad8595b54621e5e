"""Reading files that others control (a student's workspace, a student's Markdown folder, a
folder of submissions, a spec's folder) without being led out of their folder.

A file is read only if it is a regular file (no FIFO, device, socket or folder), inside the
folder it belongs to once every symlink is resolved, no bigger than a limit, and read within a
time bound. The check and the read are one: the file is opened component by component from
the folder with O_NOFOLLOW, so a symlink swapped in after the check is refused rather than
followed; it is opened with O_NONBLOCK, so a FIFO put in its place cannot block, and its type
and size are taken with fstat on the very descriptor that is read.

A refusal (FileRefused) says why with a Reason and its values, not with a sentence: the one place
that words it, in the command line's language or a report's, is labcheck.refusal_words;
str(refusal) is its English, for logs.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from labcheck.errors import LabcheckError
from labcheck.i18n import N_
from labcheck.safe_text import visible

_CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
DEFAULT_READ_TIMEOUT_S = 30.0
ITS_FOLDER = N_("its folder")


class Reason(Enum):
    """Why a file is refused. Each value is the English sentence, with its values in braces: a
    msgid of the catalogs, said in a reader's language by labcheck.refusal_words (the one place
    that words a refusal), in English by str(FileRefused) for logs."""

    NO_SUCH_FILE = N_("no such file")
    FOLDER_UNOPENED = N_("cannot open this folder: {error}")
    UNREADABLE = N_("cannot be read: {error}")
    LINK_TO_NOTHING = N_("is a symlink to {target}, which does not exist")
    LINK_LOOP = N_("is a symlink loop")
    LINK_NOWHERE = N_("is a symlink that leads nowhere (broken, or a loop)")
    LINK_OUTSIDE = N_("is a symlink to {target}, outside {where}")
    OUTSIDE = N_("is outside {where}")
    LEADS_OUTSIDE = N_("leads to {target} (through a symlink), outside {where}")
    THE_FOLDER_ITSELF = N_("is the folder itself, not a file")
    CHANGED = N_("changed while being read (a symlink put on its path)")
    FOLDER = N_("is a folder, not a regular file")
    FIFO = N_("is a FIFO (named pipe), not a regular file")
    CHARACTER_DEVICE = N_("is a character device, not a regular file")
    BLOCK_DEVICE = N_("is a block device, not a regular file")
    SOCKET = N_("is a socket, not a regular file")
    SYMLINK = N_("is a symlink, not a regular file")
    OTHER_KIND = N_("is not a regular file")
    HARD_LINK = N_("is a hard link (another name for a file elsewhere)")
    TOO_BIG = N_("is too big ({size} MB; the limit is {limit} MB)")
    GREW_TOO_BIG = N_("is too big (over the limit of {limit} MB)")
    WOULD_WAIT = N_("cannot be read without waiting")
    TOO_SLOW = N_("took more than {seconds} s to read")
    # A path written by someone (a spec's `files:`): relative_path_problem.
    EMPTY = N_("is empty")
    NUL = N_("contains a NUL character")
    ABSOLUTE = N_("is an absolute path; name it relative to the spec's folder")
    GOES_UP = N_("goes up with '..'; it must be inside the spec's folder")
    NAMES_THE_FOLDER = N_("names the folder itself, not a file")


NOT_READ = N_("{reason}: not read")  # what a refusal adds when a read was asked for and not done


@dataclass(frozen=True)
class Words:
    """A value of a refusal that is words of labcheck's (a msgid: "the spec's folder"), said in
    the reader's language; any other text value (a name, a link's target) is said as it is."""

    msgid: str


@dataclass(frozen=True)
class Megabytes:
    size: int  # bytes, said in MB with one decimal


@dataclass(frozen=True)
class Seconds:
    seconds: float


# An OSError is said with labcheck.os_error_words (strerror in English).
Value = str | Words | Megabytes | Seconds | OSError


class FileRefused(LabcheckError):
    """A file that labcheck will not read: names the file and says why (a Reason and its values;
    text already worded, from a caller's own check, is said as it is)."""

    def __init__(
        self,
        path: str,
        why: Reason | str,
        values: Mapping[str, Value] | None = None,
        *,
        not_read: bool = False,
    ) -> None:
        # Names and link targets are the student's: printed anywhere, they must not run as escapes.
        self.path = visible(path)
        self.why = why if isinstance(why, Reason) else visible(why)
        self.values = {
            key: visible(value) if isinstance(value, str) else value for key, value in (values or {}).items()
        }
        self.not_read = not_read
        super().__init__(f"{self.path}: {self.reason}")

    @property
    def reason(self) -> str:
        """The reason in English, for logs and for callers that speak English only."""
        if isinstance(self.why, str):
            return self.why
        said = self.why.value.format(**{key: _english(value) for key, value in self.values.items()})
        return NOT_READ.format(reason=said) if self.not_read else said


def _english(value: Value) -> str:
    if isinstance(value, Words):
        return value.msgid
    if isinstance(value, Megabytes):
        return f"{value.size / (1024 * 1024):.1f}"
    if isinstance(value, Seconds):
        return f"{value.seconds:g}"
    if isinstance(value, OSError):
        return value.strerror or str(value)
    return value


class FileMissing(FileRefused):
    """Nothing at all at that path (a caller may have a fallback for it)."""

    def __init__(self, path: str) -> None:
        super().__init__(path, Reason.NO_SUCH_FILE)


class FileTooBig(FileRefused):
    """Bigger than the limit (size None: it grew, or lied about its size, while being read)."""

    def __init__(self, path: str, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        if size is None:
            super().__init__(path, Reason.GREW_TOO_BIG, {"limit": Megabytes(limit)})
        else:
            super().__init__(path, Reason.TOO_BIG, {"size": Megabytes(size), "limit": Megabytes(limit)})


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout_s: float = DEFAULT_READ_TIMEOUT_S
    # A hard link in a student's folder is a second name for a file elsewhere on this machine.
    refuse_hard_links: bool = False


_KINDS = (
    (stat.S_ISDIR, Reason.FOLDER),
    (stat.S_ISFIFO, Reason.FIFO),
    (stat.S_ISCHR, Reason.CHARACTER_DEVICE),
    (stat.S_ISBLK, Reason.BLOCK_DEVICE),
    (stat.S_ISSOCK, Reason.SOCKET),
    (stat.S_ISLNK, Reason.SYMLINK),
)


def not_regular(mode: int) -> Reason:
    """What a file that is not a regular one is (a folder, a FIFO...), as a refusal's reason."""
    return next((reason for is_kind, reason in _KINDS if is_kind(mode)), Reason.OTHER_KIND)


def relative_path_problem(relative: str) -> Reason | None:
    """Why a path written by someone (a spec's `files:`) cannot name a file inside its folder."""
    if not relative.strip():
        return Reason.EMPTY
    if "\0" in relative:
        return Reason.NUL
    if relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return Reason.ABSOLUTE
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        return Reason.GOES_UP
    if all(part == "." for part in parts):
        return Reason.NAMES_THE_FOLDER
    return None


def _inside(folder: Path, relative: str | Path, display: str, where: str) -> tuple[Path, PurePosixPath]:
    """The folder, resolved, and the file's path inside it with every symlink resolved."""
    try:
        base = folder.resolve(strict=True)
    except OSError as error:
        raise FileRefused(str(folder), Reason.FOLDER_UNOPENED, {"error": error}) from None
    candidate = base / relative
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        if candidate.is_symlink():
            raise FileRefused(display, Reason.LINK_TO_NOTHING, {"target": os.readlink(candidate)}) from None
        raise FileMissing(display) from None
    except RuntimeError:
        raise FileRefused(display, Reason.LINK_LOOP) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused(display, Reason.LINK_LOOP) from None
        raise FileRefused(display, Reason.UNREADABLE, {"error": error}) from None
    if not resolved.is_relative_to(base):
        outside = Words(where)
        if candidate.is_symlink():
            target = os.readlink(candidate)
            raise FileRefused(
                display, Reason.LINK_OUTSIDE, {"target": target, "where": outside}, not_read=True
            )
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise FileRefused(display, Reason.OUTSIDE, {"where": outside}, not_read=True)
        values: dict[str, Value] = {"target": str(resolved), "where": outside}
        raise FileRefused(display, Reason.LEADS_OUTSIDE, values, not_read=True)
    inner = PurePosixPath(resolved.relative_to(base).as_posix())
    if not inner.parts:
        raise FileRefused(display, Reason.THE_FOLDER_ITSELF)
    return base, inner


def _open_below(base: Path, inner: PurePosixPath, display: str) -> int:
    """Open base/inner walking down from base, refusing any symlink met on the way."""
    dir_fd = os.open(base, _DIR_FLAGS & ~os.O_NOFOLLOW)
    try:
        for part in inner.parts[:-1]:
            try:
                next_fd = os.open(part, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as error:
                raise _refusal(display, error) from None
            os.close(dir_fd)
            dir_fd = next_fd
        try:
            return os.open(inner.parts[-1], _OPEN_FLAGS, dir_fd=dir_fd)
        except OSError as error:
            raise _refusal(display, error) from None
    finally:
        os.close(dir_fd)


def _refusal(display: str, error: OSError) -> FileRefused:
    if error.errno in (errno.ELOOP, errno.ENOTDIR):  # O_NOFOLLOW met a symlink (ENOTDIR for a folder)
        return FileRefused(display, Reason.CHANGED, not_read=True)
    if error.errno == errno.ENOENT:
        return FileMissing(display)
    return FileRefused(display, Reason.UNREADABLE, {"error": error})


def _read_fd(fd: int, display: str, limits: Limits) -> bytes:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(display, not_regular(info.st_mode), not_read=True)
    if limits.refuse_hard_links and info.st_nlink > 1:
        raise FileRefused(display, Reason.HARD_LINK, not_read=True)
    if info.st_size > limits.max_bytes:
        raise FileTooBig(display, info.st_size, limits.max_bytes)
    deadline = time.monotonic() + limits.timeout_s
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:
            # A regular file never makes a reader wait; one that does is not read at all.
            raise FileRefused(display, Reason.WOULD_WAIT, not_read=True) from None
        except OSError as error:
            raise FileRefused(display, Reason.UNREADABLE, {"error": error}) from None
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_bytes:
            # It grew after fstat, or its size lies (as /proc files do).
            raise FileTooBig(display, None, limits.max_bytes)
        chunks.append(chunk)
        if time.monotonic() >= deadline:
            raise FileRefused(display, Reason.TOO_SLOW, {"seconds": Seconds(limits.timeout_s)}, not_read=True)
    return b"".join(chunks)


def read_within(
    folder: Path,
    relative: str | Path,
    limits: Limits,
    *,
    where: str = ITS_FOLDER,
    display: str | None = None,
) -> bytes:
    """The bytes of folder/relative, or FileRefused (FileMissing when nothing is there). where
    names the folder in a refusal: a msgid (marked with N_), said in the reader's language."""
    base, inner, shown = _regular_inside(folder, relative, where, display, reading=True)
    fd = _open_below(base, inner, shown)
    try:
        return _read_fd(fd, shown, limits)
    finally:
        os.close(fd)


def check_within(folder: Path, relative: str | Path, *, where: str, display: str | None = None) -> None:
    """The same checks as read_within, without reading: a regular file inside the folder."""
    _regular_inside(folder, relative, where, display, reading=False)


def _regular_inside(
    folder: Path, relative: str | Path, where: str, display: str | None, *, reading: bool
) -> tuple[Path, PurePosixPath, str]:
    """Where folder/relative is, once it is known to be a regular file inside the folder."""
    shown = display or str(folder / relative)
    base, inner = _inside(folder, relative, shown, where)
    try:
        info = os.lstat(base / inner)
    except OSError as error:
        raise _refusal(shown, error) from None
    if not stat.S_ISREG(info.st_mode):
        # Refused before opening: opening a device can itself do something.
        raise FileRefused(shown, not_regular(info.st_mode), not_read=reading)
    return base, inner, shown


def read_regular(path: Path, limits: Limits) -> bytes:
    """A file named by the user (not found inside a folder): any path, but a regular file,
    bounded in size and time, never a FIFO or a device."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileMissing(shown) from None
    except OSError as error:
        raise FileRefused(shown, Reason.UNREADABLE, {"error": error}) from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(shown, not_regular(info.st_mode), not_read=True)
    try:
        fd = os.open(path, _OPEN_FLAGS & ~os.O_NOFOLLOW)
    except OSError as error:
        raise _refusal(shown, error) from None
    try:
        return _read_fd(fd, shown, limits)
    finally:
        os.close(fd)
