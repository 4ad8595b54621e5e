"""Importing WeasyPrint without running a C compiler sixty times.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying each library under
several names (Windows', macOS', Linux's). cffi hands every name it cannot open directly to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc, collect2 and ld to look
for it (WeasyPrint issue #1125): 87 programs started for one `import weasyprint`, which took
0.53-0.64 s here against 0.27-0.41 s without them (4 runs each, load 3), paid by every
`labcheck report` and every run's report.

On Linux the last names WeasyPrint tries are the libraries' sonames (`libpango-1.0.so.0`), which
the dynamic loader opens by itself, so the search is skipped while WeasyPrint imports; should
that not be enough on some machine, the import runs again the usual way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
import threading

_lock = threading.Lock()


def _not_searched(name: str) -> None:
    return None


def import_weasyprint() -> None:
    """Import weasyprint once, the fast way; `from weasyprint import ...` after it finds it loaded."""
    if "weasyprint" in sys.modules:
        return
    with _lock:
        if sys.platform == "linux":
            searched = ctypes.util.find_library
            ctypes.util.find_library = _not_searched
            try:
                # WeasyPrint prints its installation help when a library fails to open: not yet.
                with contextlib.redirect_stdout(io.StringIO()):
                    import weasyprint
                return
            except OSError:
                for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
                    del sys.modules[name]
            finally:
                ctypes.util.find_library = searched
        import weasyprint  # noqa: F401
