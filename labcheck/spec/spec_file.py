"""Read a spec file's bytes: a regular file only, of a bounded size, without ever blocking.

A path named lab.yaml may be a FIFO (open() would wait for a writer forever), a device or a
link to one (`lab.yaml -> /dev/zero` reads until memory runs out): it is opened without
blocking, asked what it is, and only a regular file is read, up to the size limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from labcheck.errors import SpecError, SpecInvalid

# The bundled lab is 32 KB; 1 MiB is thirty times that, and keeps the (pure Python) YAML
# reading of the worst such file to a few seconds.
MAX_SPEC_BYTES = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refused(display: str, message: str) -> SpecInvalid:
    return SpecInvalid([SpecError(display, None, "(file)", message)])


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_spec_bytes(path: Path, display: str) -> bytes:
    link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise _refused(display, f"cannot read it{link}: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(
                display, f"is {_kind(info.st_mode)}{link}, not a regular file: a spec is a YAML file"
            )
        if info.st_size > MAX_SPEC_BYTES:
            raise _refused(display, _too_large(info.st_size))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_SPEC_BYTES:  # the file may grow while it is read
            chunk = os.read(descriptor, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_SPEC_BYTES:
            raise _refused(display, _too_large(size))
        return b"".join(chunks)
    except OSError as error:
        raise _refused(display, f"cannot read it{link}: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _too_large(size: int) -> str:
    return f"is {size:,} bytes; a spec may have at most {MAX_SPEC_BYTES // (1024 * 1024)} MiB"
