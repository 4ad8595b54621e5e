"""The report's limits, on a real step whose output is made very wide and very long."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from labcheck.report.blocks import HEAD_LINES, TAIL_LINES, WRAP_MARK
from tests.report.conftest import render


def test_very_wide_and_very_long_output_loses_nothing_it_shows(
    evidence_copy: dict[str, Any], tmp_path: Path
) -> None:
    step = next(s for s in evidence_copy["steps"] if s["id"] == "run-ls")
    wide = "".join(f"{n:04d}" for n in range(80))  # 320 columns: past even a landscape page
    lines = [f"fila {n:04d} " + ("x" * 20) for n in range(HEAD_LINES + TAIL_LINES + 40)]
    raw = (wide + "\r\n" + "\r\n".join(lines) + "\r\n").encode()
    step["transcript"]["raw_b64"] = base64.b64encode(raw).decode()
    result = render(evidence_copy, tmp_path)
    text = result.text
    # The wide line is hard-wrapped with a visible mark, and every one of its characters is there.
    assert WRAP_MARK.strip() in text
    joined = re.sub(r"\s+|" + re.escape(WRAP_MARK.strip()), "", text)
    assert wide in joined
    # The long output is cut with a visible marker; its head and tail are printed whole.
    marker = r"(\d+) líneas omitidas en el informe; la evidencia conserva la salida completa"
    omitted = re.search(marker, text)
    assert omitted is not None and int(omitted.group(1)) == 1 + len(lines) - HEAD_LINES - TAIL_LINES
    assert "fila 0000" in text and f"fila {len(lines) - 1:04d}" in text
    assert f"fila {HEAD_LINES + 5:04d}" not in text
