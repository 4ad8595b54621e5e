"""A step's outcome, as the runner hands it to the plugin and to the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from labcheck import i18n
from labcheck.checks.check_words import check_words
from labcheck.checks.reason_words import reason_words
from labcheck.checks.record import CheckRecord
from labcheck.evidence.model import Reason
from labcheck.evidence.model import Step as StepRecord
from labcheck.report.check_text import Excerpt, mismatch
from labcheck.report.model import check_view, step_view
from labcheck.spec.texts import in_language

TAIL_LINES = 15


@dataclass
class StepResult:
    step_id: str
    outcome: str  # passed, failed, skipped, error
    reason: Reason | None
    record: StepRecord
    checks: list[CheckRecord] = field(default_factory=list)
    # The spec's own title and hint (in every language the spec gives): the record keeps only
    # the lab's language, and the terminal speaks the locale's.
    spec_title: str | None = None
    spec_hint: str | None = None

    @property
    def failed_checks(self) -> list[CheckRecord]:
        return [check for check in self.checks if check.verdict == "failed"]

    def transcript_tail(self, lines: int = TAIL_LINES) -> str:
        text = self.record.transcript.text
        return "\n".join(text.split("\n")[-lines:])

    def failure_report(self, t: i18n.Translator | None = None) -> str:
        """What the student's terminal shows of a step that did not pass, in t's language (the
        command line's by default): the step, its command, each failed check and the last lines."""
        t = t or i18n.cli()
        record = self.record
        out = [
            t.format(
                "Step {number} «{title}» ({location})",
                number=record.number,
                title=in_language(self.spec_title, t.language) or record.title,
                location=record.spec_location,
            ),
            f"$ {record.command}",
        ]
        if self.reason:
            out.append(t.format("Reason: {reason}", reason=reason_words(self.reason, t.language)))
        # Each failed check says how it failed with the report's own words (what was missing and
        # the output lines around where it should have been), so the terminal and the PDF agree.
        view = step_view(record, t)
        shown: set[int] = set()  # output line numbers already shown under a check
        for check in self.failed_checks:
            out.append(f"✗ {check_words(check, t)}")
            how = mismatch(check_view(check.to_check(), t), view, t)
            reason = reason_words(check.reason, t.language) if check.reason is not None else None
            if reason is not None and reason not in how.said:
                out.append(f"    {reason}")
            if not (check.family == "exit_code" and view.timed_out and self.reason is not None):
                out.append(f"    {how.said}")  # (a timeout is the step's reason, said just above)
            if how.excerpt is not None:
                out.extend(excerpt_lines(how.excerpt))
                shown.update(range(how.excerpt.first, how.excerpt.first + len(how.excerpt.lines)))
        hint = in_language(self.spec_hint, t.language) or record.hint
        if hint:
            out.append(t.format("Hint: {hint}", hint=hint.strip()))
        tail = self.transcript_tail()
        total = len(record.transcript.text.split("\n"))
        tail_numbers = range(max(1, total - TAIL_LINES + 1), total + 1)
        if tail.strip() and not set(tail_numbers) <= shown:  # not again what a check just showed
            out.append(t.gettext("Last lines of the output:") + f"\n{tail}")
        return "\n".join(out)


def excerpt_lines(excerpt: Excerpt) -> list[str]:
    """Numbered output lines under a failed check; the line that matters marked with an arrow."""
    last = excerpt.first + len(excerpt.lines) - 1
    width = len(str(last))
    return [
        f"    {'→' if number == excerpt.marked else ' '} {number:>{width}} │ {line}"
        for number, line in enumerate(excerpt.lines, start=excerpt.first)
    ]
