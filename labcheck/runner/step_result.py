"""A step's outcome, as the runner hands it to the plugin and to the evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from labcheck import i18n
from labcheck.checks.check_words import check_words
from labcheck.checks.reason_words import reason_words
from labcheck.checks.record import CheckRecord
from labcheck.evidence.model import Reason
from labcheck.evidence.model import Step as StepRecord
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
        for check in self.failed_checks:
            out.append(f"✗ {check_words(check, t)}")
            if check.reason is not None:
                out.append(f"    {reason_words(check.reason, t.language)}")
            out.append("    " + t.format("expected: {value}", value=_shown(check.expected, t)))
            out.append("    " + t.format("got: {value}", value=_shown(check.observed, t)))
        hint = in_language(self.spec_hint, t.language) or record.hint
        if hint:
            out.append(t.format("Hint: {hint}", hint=hint.strip()))
        tail = self.transcript_tail()
        if tail:
            out.append(t.gettext("Last lines of the output:") + f"\n{tail}")
        return "\n".join(out)


def _shown(value: object, t: i18n.Translator, limit: int = 500) -> str:
    """A recorded value as a person reads it: text as is, lists joined, mappings as key: value."""
    if value is None:
        text = t.gettext("nothing")
    elif isinstance(value, bool):
        text = t.gettext("yes") if value else t.gettext("no")
    elif isinstance(value, list):
        text = ", ".join(_shown(item, t, limit) for item in value) or t.gettext("none")
    elif isinstance(value, Mapping):
        text = "; ".join(f"{key}: {_shown(item, t, limit)}" for key, item in value.items())
    else:
        text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
