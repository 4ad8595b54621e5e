"""Read a spec file's bytes: a regular file only, of a bounded size, without ever blocking.

A path named lab.yaml may be a FIFO (open() would wait for a writer forever), a device or a
link to one (`lab.yaml -> /dev/zero` reads until memory runs out): it is opened without
blocking, asked what it is, and only a regular file is read, up to the size limit.

A refusal is a spec error, and a spec error is the command line's: it follows the locale.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from labcheck import i18n
from labcheck.errors import SpecError, SpecInvalid
from labcheck.i18n import N_
from labcheck.os_error_words import os_error_words

# The bundled lab is 32 KB; 1 MiB is thirty times that, and keeps the (pure Python) YAML
# reading of the worst such file to a few seconds.
MAX_SPEC_BYTES = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def _refused(display: str, message: str) -> SpecInvalid:
    # "(file)" stands where a key would: the whole file is at fault, not one of its keys.
    return SpecInvalid([SpecError(display, None, i18n.cli().gettext("(file)"), message)])


def _kind(mode: int, t: i18n.Translator) -> str:
    return t.gettext(next((name for test, name in _KINDS if test(mode)), N_("another kind of file")))


def read_spec_bytes(path: Path, display: str) -> bytes:
    t = i18n.cli()
    target = os.readlink(path) if path.is_symlink() else None

    def unreadable(error: OSError) -> SpecInvalid:
        reason = os_error_words(error, t)
        if target is None:
            return _refused(display, t.format("cannot read it: {reason}", reason=reason))
        return _refused(
            display, t.format("cannot read it (a link to {target}): {reason}", target=target, reason=reason)
        )

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise unreadable(error) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(display, _not_regular(_kind(info.st_mode, t), target, t))
        if info.st_size > MAX_SPEC_BYTES:
            raise _refused(display, _too_large(info.st_size, t))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_SPEC_BYTES:  # the file may grow while it is read
            chunk = os.read(descriptor, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_SPEC_BYTES:
            raise _refused(display, _too_large(size, t))
        return b"".join(chunks)
    except OSError as error:
        raise unreadable(error) from None
    finally:
        os.close(descriptor)


def _not_regular(kind: str, target: str | None, t: i18n.Translator) -> str:
    if target is None:
        return t.format("is {kind}, not a regular file: a spec is a YAML file", kind=kind)
    return t.format(
        "is {kind} (a link to {target}), not a regular file: a spec is a YAML file", kind=kind, target=target
    )


def _too_large(size: int, t: i18n.Translator) -> str:
    return t.format(
        "is {size} bytes; a spec may have at most {limit} MiB",
        size=t.number(size),
        limit=MAX_SPEC_BYTES // (1024 * 1024),
    )
