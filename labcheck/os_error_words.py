"""Why the system would not open or read a file, in the command line's language.

The system says it in English (`strerror`): the common causes are said in the user's words, so a
Spanish sentence does not end in English; any other cause keeps the system's own words.
"""

from __future__ import annotations

import errno

from labcheck import i18n
from labcheck.i18n import N_

_CAUSES = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of its path is not a folder"),
    errno.ELOOP: N_("too many levels of symbolic links"),
}


def os_error_words(error: OSError, t: i18n.Translator | None = None) -> str:
    """The cause of an OSError: in t's language (the command line's by default) where labcheck
    knows it, else the system's strerror."""
    cause = _CAUSES.get(error.errno or 0)
    if cause is not None:
        return (t or i18n.cli()).gettext(cause)
    return error.strerror or str(error)
