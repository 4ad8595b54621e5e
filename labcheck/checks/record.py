"""One judged expectation, as the runner builds it and the evidence keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field

from labcheck.evidence.model import Check, Reason

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass
class CheckRecord:
    """Mutable while the runner judges (attempts, the author's words); frozen into a `Check`."""

    code: str  # exit_code, output.<kind>, state.<kind>, capture
    expected: object
    observed: object
    verdict: str
    stream: str | None = None
    reason: Reason | None = None
    attempts: int = 1
    rule: dict[str, object] = field(default_factory=dict)
    says: str | None = None  # the spec author's words for the rule (`says:` or `description:`)
    on: str | None = None  # the node a state check looked at, when not the step's own

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    @property
    def family(self) -> str:
        """exit_code, output, state or capture: the part of the code before its dot."""
        return self.code.partition(".")[0]

    def to_check(self) -> Check:
        return Check(
            code=self.code,
            stream=self.stream,
            rule=self.rule,
            expected=self.expected,
            observed=self.observed,
            verdict=self.verdict,  # type: ignore[arg-type]  # one of PASSED, FAILED, SKIPPED
            reason=self.reason,
            attempts=self.attempts,
            says=self.says,
            on=self.on,
        )
