"""The report of the real run says its checks in words: the author's `says:` first, labcheck's own
phrase otherwise, regular expressions only in the «Detalles» appendix, no phrase said twice."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from tests.report.conftest import Rendered, render


def visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def body_and_details(page: str) -> tuple[str, str]:
    """The steps (up to the summary) and the «Detalles» appendix, as text."""
    steps, _, rest = page.partition('<section class="summary"')
    _, _, details = rest.partition('<section class="details"')
    return visible(steps), visible(details)


def test_steps_show_no_regular_expression(rendered: Rendered, evidence: dict[str, Any]) -> None:
    steps, details = body_and_details(rendered.html)
    patterns = [
        check["rule"]["matches"]
        for step in evidence["steps"]
        for check in step["checks"]
        if "matches" in check.get("rule", {})
    ]
    assert patterns, "the bundled lab checks its outputs with regular expressions"
    assert "/(?m)" not in steps and "[0-9a-f]{12}" not in steps
    # Each is still there, in the appendix, for who wants it.
    shown = {check for check in patterns if "${{" not in check}
    assert all(pattern in details for pattern in shown)


def test_no_phrase_is_said_twice(rendered: Rendered) -> None:
    steps, _ = body_and_details(rendered.html)
    assert "(código de salida)" not in steps
    assert steps.count("código de salida 0") == steps.count("termina bien (código de salida 0)")


def test_counted_nouns_agree_in_the_real_report(rendered: Rendered) -> None:
    text = visible(rendered.html)
    for wrong in ("1 capas", "1 administradores", "1 trabajadores", "1 omitidos", "1 fallidos", "1 pasos"):
        assert not re.search(rf"(?<![0-9]){wrong}\b", text), wrong
    assert "1 capa" in text and "1 omitido" in text


def test_the_authors_words_come_first(evidence_copy: dict[str, Any], tmp_path: Path) -> None:
    step = next(s for s in evidence_copy["steps"] if s["id"] == "run-ls")
    check = next(c for c in step["checks"] if "etc$" in str(c["rule"].get("matches")))
    check["says"] = "la lista muestra el directorio etc"
    result = render(evidence_copy, tmp_path, pdf=False)
    steps, details = body_and_details(result.html)
    assert "la lista muestra el directorio etc" in steps
    assert check["rule"]["matches"] in details
