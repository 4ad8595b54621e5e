"""What a reason recorded in an evidence file says to the student, for tests that read the file.

The evidence keeps codes and their facts; these are the words the report and the terminal show."""

from __future__ import annotations

from typing import Any

import msgspec

from labcheck.checks.reason_words import not_run_words, reason_words
from labcheck.evidence.model import Reason


def said(reason: Any) -> str:
    """A step's or check's `reason` (a code and its facts) in the report's Spanish; "" for none."""
    return "" if reason is None else reason_words(msgspec.convert(reason, Reason), "es")


def said_not_run(entry: dict[str, Any]) -> str:
    """Why a step in `run.selection.not_run` did not run, in the report's Spanish."""
    return not_run_words(entry["reason"], entry.get("facts") or {}, "es")
