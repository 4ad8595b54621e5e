"""labcheck imports WeasyPrint without running a compiler: with shims of gcc, cc and ld on PATH
that log each call, a plain `import weasyprint` runs them, labcheck's import runs none and
renders all the same."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the library search is skipped on Linux only")

PLAIN = "import weasyprint; weasyprint.HTML(string='<p>hola</p>').write_pdf()"
LABCHECK = (
    "from labcheck.report.weasy import import_weasyprint; import_weasyprint(); "
    "from weasyprint import HTML; assert HTML(string='<p>hola</p>').write_pdf().startswith(b'%PDF-')"
)


def programs_run(tmp_path: Path, code: str) -> list[str]:
    shims, log = tmp_path / "shims", tmp_path / "calls.log"
    shims.mkdir(exist_ok=True)
    log.write_text("")
    for name in ("gcc", "cc", "ld"):
        real = shutil.which(name)
        if real is None:
            continue
        shim = shims / name
        shim.write_text(f'#!/bin/sh\necho "{name} $*" >> {log}\nexec {real} "$@"\n')
        shim.chmod(0o755)
    if not any(shims.iterdir()):
        pytest.skip("no gcc, cc or ld on this machine: ctypes has no compiler to run")
    environment = {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True)
    return log.read_text().splitlines()


def test_labcheck_imports_weasyprint_without_running_a_compiler(tmp_path: Path) -> None:
    assert programs_run(tmp_path, PLAIN), "a plain import no longer searches: this test proves nothing"
    assert programs_run(tmp_path, LABCHECK) == []
