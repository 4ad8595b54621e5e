"""What `verify` reads off a recorded check or reason (already checked against the model by the
reader), in the words of its English findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from labcheck.checks.check_words import check_words_en
from labcheck.checks.reason_words import reason_en
from labcheck.evidence.model import Check, Reason


def family(check: Mapping[str, Any]) -> str:
    """exit_code, output, state or capture: the part of a check's code before its dot."""
    return str(check.get("code", "")).partition(".")[0]


def recorded_words_en(check: Mapping[str, Any]) -> str:
    return check_words_en(msgspec.convert(check, Check))


def reason_text_en(reason: Any) -> str | None:
    """A recorded reason in words; None when there is none."""
    if not isinstance(reason, Mapping):
        return None
    return reason_en(msgspec.convert(reason, Reason))
