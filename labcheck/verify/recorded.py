"""What `verify` reads off a recorded check or reason, in the words of its English findings."""

from __future__ import annotations

from labcheck.checks.reason_words import reason_en
from labcheck.evidence.model import Check, Reason


def family(check: Check) -> str:
    """exit_code, output, state or capture: the part of a check's code before its dot."""
    return check.code.partition(".")[0]


def reason_text_en(reason: Reason | None) -> str | None:
    """A recorded reason in words; None when there is none."""
    return None if reason is None else reason_en(reason)
