"""What the evidence copies from the spec (the report prints it): one copy, written by the runner
and compared by `verify` with the course's spec."""

from __future__ import annotations

from labcheck.evidence import model
from labcheck.spec.model import Lab


def lab_header(lab: Lab) -> model.LabHeader:
    """The spec's header as the evidence keeps it: the one copy, for writer and verifier alike."""
    return model.LabHeader(
        id=lab.id,
        title=lab.title,
        version=lab.version,
        language=lab.language,
        source=lab.source_url,
        description=lab.description,
    )


def spec_sections(lab: Lab) -> list[model.Section]:
    return [
        model.Section(number=s.number, title=s.title, explanation=s.explanation, level=s.level)
        for s in lab.sections
    ]
