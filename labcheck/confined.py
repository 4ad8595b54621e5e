"""Reading files that others control (a student's workspace, a student's Markdown folder, a
folder of submissions, a spec's folder) without being led out of their folder.

A file is read only if it is a regular file (no FIFO, device, socket or folder), inside the
folder it belongs to once every symlink is resolved, no bigger than a limit, and read within a
time bound. The check and the read are one: the file is opened component by component from
the folder with O_NOFOLLOW, so a symlink swapped in after the check is refused rather than
followed; it is opened with O_NONBLOCK, so a FIFO put in its place cannot block, and its type
and size are taken with fstat on the very descriptor that is read.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from labcheck.errors import LabcheckError
from labcheck.safe_text import visible

_CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
DEFAULT_READ_TIMEOUT_S = 30.0


class FileRefused(LabcheckError):
    """A file that labcheck will not read: names the file and says why."""

    def __init__(self, path: str, reason: str) -> None:
        # Names and link targets are the student's: printed anywhere, they must not run as escapes.
        self.path = visible(path)
        self.reason = visible(reason)
        super().__init__(f"{self.path}: {self.reason}")


class FileMissing(FileRefused):
    """Nothing at all at that path (a caller may have a fallback for it)."""


class FileTooBig(FileRefused):
    """Bigger than the limit (size None: it grew, or lied about its size, while being read)."""

    def __init__(self, path: str, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        if size is None:
            reason = f"is too big (over the limit of {megabytes(limit)})"
        else:
            reason = f"is too big ({megabytes(size)}; the limit is {megabytes(limit)})"
        super().__init__(path, reason)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout_s: float = DEFAULT_READ_TIMEOUT_S
    # A hard link in a student's folder is a second name for a file elsewhere on this machine.
    refuse_hard_links: bool = False


def kind_of(mode: int) -> str:
    """What a non-regular file is, in a user's words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "not a regular file"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def relative_path_problem(relative: str) -> str | None:
    """Why a path written by someone (a spec's `files:`) cannot name a file inside its folder."""
    if not relative.strip():
        return "is empty"
    if "\0" in relative:
        return "contains a NUL character"
    if relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return "is an absolute path; name it relative to the spec's folder"
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        return "goes up with '..'; it must be inside the spec's folder"
    if all(part == "." for part in parts):
        return "names the folder itself, not a file"
    return None


def _inside(folder: Path, relative: str | Path, display: str, where: str) -> tuple[Path, PurePosixPath]:
    """The folder, resolved, and the file's path inside it with every symlink resolved."""
    try:
        base = folder.resolve(strict=True)
    except OSError as error:
        raise FileRefused(str(folder), f"cannot open this folder: {error.strerror or error}") from None
    candidate = base / relative
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        if candidate.is_symlink():
            raise FileRefused(
                display, f"is a symlink to {os.readlink(candidate)}, which does not exist"
            ) from None
        raise FileMissing(display, "no such file") from None
    except RuntimeError:
        raise FileRefused(display, "is a symlink loop") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused(display, "is a symlink loop") from None
        raise FileRefused(display, f"cannot be read: {error.strerror or error}") from None
    if not resolved.is_relative_to(base):
        if candidate.is_symlink():
            raise FileRefused(display, f"is a symlink to {os.readlink(candidate)}, outside {where}: not read")
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise FileRefused(display, f"is outside {where}: not read")
        raise FileRefused(display, f"leads to {resolved} (through a symlink), outside {where}: not read")
    inner = PurePosixPath(resolved.relative_to(base).as_posix())
    if not inner.parts:
        raise FileRefused(display, "is the folder itself, not a file")
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
        return FileRefused(display, "changed while being read (a symlink put on its path): not read")
    if error.errno == errno.ENOENT:
        return FileMissing(display, "no such file")
    return FileRefused(display, f"cannot be read: {error.strerror or error}")


def _read_fd(fd: int, display: str, limits: Limits) -> bytes:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(display, f"is {kind_of(info.st_mode)}, not a regular file: not read")
    if limits.refuse_hard_links and info.st_nlink > 1:
        raise FileRefused(display, "is a hard link (another name for a file elsewhere): not read")
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
            raise FileRefused(display, "cannot be read without waiting: not read") from None
        except OSError as error:
            raise FileRefused(display, f"cannot be read: {error.strerror or error}") from None
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_bytes:
            # It grew after fstat, or its size lies (as /proc files do).
            raise FileTooBig(display, None, limits.max_bytes)
        chunks.append(chunk)
        if time.monotonic() >= deadline:
            raise FileRefused(display, f"took more than {limits.timeout_s:g} s to read: not read")
    return b"".join(chunks)


def read_within(
    folder: Path,
    relative: str | Path,
    limits: Limits,
    *,
    where: str = "its folder",
    display: str | None = None,
) -> bytes:
    """The bytes of folder/relative, or FileRefused (FileMissing when nothing is there)."""
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
        said = f"is {kind_of(info.st_mode)}, not a regular file"
        raise FileRefused(shown, f"{said}: not read" if reading else said)
    return base, inner, shown


def read_regular(path: Path, limits: Limits) -> bytes:
    """A file named by the user (not found inside a folder): any path, but a regular file,
    bounded in size and time, never a FIFO or a device."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileMissing(shown, "no such file") from None
    except OSError as error:
        raise FileRefused(shown, f"cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(shown, f"is {kind_of(info.st_mode)}, not a regular file: not read")
    try:
        fd = os.open(path, _OPEN_FLAGS & ~os.O_NOFOLLOW)
    except OSError as error:
        raise _refusal(shown, error) from None
    try:
        return _read_fd(fd, shown, limits)
    finally:
        os.close(fd)
