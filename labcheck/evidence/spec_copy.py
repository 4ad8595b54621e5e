"""What the evidence copies from the spec (the report prints it): one copy, written by the runner
and compared by `verify` with the course's spec."""

from __future__ import annotations

from labcheck.evidence import model
from labcheck.spec.model import Lab
from labcheck.spec.texts import plain


def lab_header(lab: Lab) -> model.LabHeader:
    """The spec's header as the evidence keeps it: the one copy, for writer and verifier alike."""
    return model.LabHeader(
        id=lab.id,
        title=str(lab.title),
        version=lab.version,
        language=lab.language,
        source=lab.source_url,
        description=plain(lab.description),
    )


def spec_sections(lab: Lab) -> list[model.Section]:
    return [
        model.Section(number=s.number, title=str(s.title), explanation=plain(s.explanation), level=s.level)
        for s in lab.sections
    ]
