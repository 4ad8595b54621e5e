"""A step's outcome, as the runner hands it to the plugin and to the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labcheck.checks.check_words import check_words
from labcheck.checks.reason_words import reason_es
from labcheck.checks.record import CheckRecord
from labcheck.evidence.model import Reason
from labcheck.evidence.model import Step as StepRecord

TAIL_LINES = 15


@dataclass
class StepResult:
    step_id: str
    outcome: str  # passed, failed, skipped, error
    reason: Reason | None
    record: StepRecord
    checks: list[CheckRecord] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[CheckRecord]:
        return [check for check in self.checks if check.verdict == "failed"]

    def transcript_tail(self, lines: int = TAIL_LINES) -> str:
        text = self.record.transcript.text
        return "\n".join(text.split("\n")[-lines:])

    def failure_report(self) -> str:
        record = self.record
        out = [
            f"Paso {record.number} «{record.title}» ({record.spec_location})",
            f"$ {record.command}",
        ]
        if self.reason:
            out.append(f"Motivo: {reason_es(self.reason)}")
        for check in self.failed_checks:
            out.append(f"✗ {check_words(check)}")
            if check.reason is not None:
                out.append(f"    {reason_es(check.reason)}")
            out.append(f"    esperado: {check.expected!r}")
            out.append(f"    obtenido: {_short(check.observed)}")
        if record.hint:
            out.append(f"Pista: {record.hint.strip()}")
        tail = self.transcript_tail()
        if tail:
            out.append(f"Últimas líneas de la salida:\n{tail}")
        return "\n".join(out)


def _short(value: Any, limit: int = 500) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"
