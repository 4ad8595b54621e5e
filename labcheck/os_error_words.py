"""Why the system would not open, read or write a file, in the command line's language.

The system says it in English (`strerror`). The common causes are said in the user's words; any
other is named by its errno code (EIO) in other languages, which reads the same everywhere, so a
Spanish sentence never ends in English. English keeps the system's own words for those.
"""

from __future__ import annotations

import errno
import os

from labcheck import i18n
from labcheck.i18n import N_

_CAUSES = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of its path is not a folder"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EFBIG: N_("the file is larger than allowed"),
    errno.EROFS: N_("the folder is read-only"),
}


def errno_words(number: int | None, t: i18n.Translator | None = None) -> str:
    """The cause an errno number stands for, in t's language (the command line's by default)."""
    t = t or i18n.cli()
    cause = _CAUSES.get(number or 0)
    if cause is not None:
        return t.gettext(cause)
    code = errno.errorcode.get(number or 0)
    if code is None or number is None:
        return t.gettext("an error of the system")
    if t.language == "en":
        return os.strerror(number)  # Python never sets LC_MESSAGES: libc's English
    return t.format("a system error ({code})", code=code)


def os_error_words(error: OSError, t: i18n.Translator | None = None) -> str:
    """The cause of an OSError, in t's language (the command line's by default)."""
    if error.errno is None:  # raised by Python code with a message of its own, not by the system
        return str(error)
    return errno_words(error.errno, t)
