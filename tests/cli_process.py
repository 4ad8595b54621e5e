"""The labcheck command line run as a user runs it: `python -m labcheck` in a child process of its
own, with this checkout's interpreter, its output captured as text and a time bound.

    done = run_labcheck("validate", "my-lab")                       # this process's environment
    done = run_labcheck("labs", locale=SPANISH, columns=100)        # in one language, one width
    spanish, english = run_labcheck_in_both("lint", "trap", cwd=tmp_path)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.locale_env import SPANISH, locale_env

ROOT = Path(__file__).resolve().parents[1]
# English as LANG=C gives it: no locale at all, the catalogs' English.
PLAIN_C = "C"


def labcheck_argv(*args: str, python: str | Path = sys.executable) -> list[str]:
    """The command line of `labcheck ARGS...` (another interpreter for another user's virtualenv)."""
    return [str(python), "-m", "labcheck", *args]


def labcheck_env(
    *, locale: str | None = None, env: Mapping[str, str] | None = None, columns: int | None = None
) -> dict[str, str]:
    """The child's environment: env (this process's by default), in locale's language if one is
    given (tests/locale_env.py), and with the terminal width the output wraps at, if given."""
    base = os.environ if env is None else env
    made = locale_env(locale, base) if locale is not None else dict(base)
    if columns is not None:  # pytest and argparse wrap their lines to the terminal's width
        made["COLUMNS"] = str(columns)
    return made


def run_labcheck(
    *args: str,
    cwd: Path = ROOT,
    locale: str | None = None,
    env: Mapping[str, str] | None = None,
    columns: int | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`labcheck ARGS...` run to its end; its exit status is the caller's to check."""
    return subprocess.run(
        labcheck_argv(*args),
        cwd=cwd,
        env=labcheck_env(locale=locale, env=env, columns=columns),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_labcheck_in_both(
    *args: str, cwd: Path = ROOT, columns: int | None = None, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The same command under LANG=es_ES.UTF-8 and under LANG=C, side by side: (Spanish, English)."""

    def run_in(locale: str) -> subprocess.CompletedProcess[str]:
        return run_labcheck(*args, cwd=cwd, locale=locale, columns=columns, timeout=timeout)

    with ThreadPoolExecutor(2) as pool:
        spanish, english = pool.map(run_in, (SPANISH, PLAIN_C))
    return spanish, english
