"""One judged expectation, as it goes into the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass
class CheckRecord:
    kind: str  # exit_code, output, state
    description: str
    expected: Any
    actual: Any
    verdict: str
    stream: str | None = None
    reason: str | None = None
    attempts: int = 1
    rule: dict[str, Any] = field(default_factory=dict)
    says: str | None = None  # the spec author's words for the rule (`says:` or `description:`)

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stream": self.stream,
            "description": self.description,
            "expected": self.expected,
            "actual": self.actual,
            "verdict": self.verdict,
            "reason": self.reason,
            "attempts": self.attempts,
            "rule": self.rule,
            **({"says": self.says} if self.says else {}),
        }
