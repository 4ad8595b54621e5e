"""What verifying one bundle found: a verdict per step and for the student, with named problems."""

from __future__ import annotations

from dataclasses import dataclass, field

# Step statuses, from best to worst. Nothing is ever just "passed": the status says what was proven.
SIGNED = "signed"  # passed, in a bundle signed by the course's key: everything recorded is the CI's
CONSISTENT = "consistent"  # unsigned: chain intact, every rule judged again holds; a forger can do that too
SKIPPED = "skipped"
FAILED = "failed"
TAMPERED = "tampered"
STEP_STATUSES = (SIGNED, CONSISTENT, SKIPPED, FAILED, TAMPERED)

# Student verdicts: signed, consistent, failed, tampered, or error (unreadable, or not signed by
# the key the course gave).
ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """One finding, named: the step it concerns (if any), a short code and a one-line message."""

    code: str
    message: str
    step: str | None = None
    tampering: bool = True

    def __str__(self) -> str:
        return f"{self.step}: {self.message}" if self.step else self.message

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "step": self.step, "message": self.message, "tampering": self.tampering}


@dataclass(frozen=True)
class StepVerdict:
    id: str
    number: str
    status: str
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "number": self.number, "status": self.status, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class BundleResult:
    path: str
    student: str | None  # the student id the bundle names
    expected_student: str | None  # the id the course expected, when it knows
    verdict: str
    steps: tuple[StepVerdict, ...] = ()
    problems: tuple[Problem, ...] = ()
    signed: bool = False
    signer: str | None = None  # the key id of a valid signature by the course's key
    error: str | None = None

    @property
    def label(self) -> str:
        return self.expected_student or self.student or self.path

    def count(self, status: str) -> int:
        return sum(1 for step in self.steps if step.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STEP_STATUSES}

    def ok(self, *, accept_unsigned: bool = False) -> bool:
        return self.verdict == SIGNED or (accept_unsigned and self.verdict == CONSISTENT)

    def named_failures(self) -> list[str]:
        """Every step that failed or was tampered with, and every finding not tied to a step."""
        lines = [
            f"{step.id} ({step.status}): {'; '.join(step.reasons) or step.status}"
            for step in self.steps
            if step.status in (FAILED, TAMPERED)
        ]
        lines += [str(problem) for problem in self.problems if problem.step is None]
        if self.error:
            lines.append(self.error)
        return lines

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "student": self.student,
            "expected_student": self.expected_student,
            "verdict": self.verdict,
            "signed": self.signed,
            "signer": self.signer,
            "counts": self.counts,
            "error": self.error,
            "problems": [problem.to_json() for problem in self.problems],
            "steps": [step.to_json() for step in self.steps],
        }


@dataclass
class StepFindings:
    """Mutable while one step is judged; frozen into a StepVerdict at the end."""

    id: str
    number: str
    failures: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)  # what only a signature could prove
    skipped: str | None = None

    def verdict(self, *, signed: bool) -> StepVerdict:
        if self.tampering:
            return StepVerdict(self.id, self.number, TAMPERED, tuple(self.tampering + self.failures))
        if self.failures:
            return StepVerdict(self.id, self.number, FAILED, tuple(self.failures))
        if self.skipped is not None:
            return StepVerdict(self.id, self.number, SKIPPED, (self.skipped,))
        if signed:
            return StepVerdict(self.id, self.number, SIGNED)
        return StepVerdict(self.id, self.number, CONSISTENT, tuple(self.unproven))
