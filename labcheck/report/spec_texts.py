"""The lab's own texts (titles, explanations, hints, a rule's `says`) in the report's language, when
the spec gives them; and what each node of the lab is for (its `description`), which only the spec has.

The evidence records each text in the lab's language. A bundled lab's spec may give them in other
languages too (`title: {es: ..., en: ...}`); a report in one of those takes them from the spec, but
only where the evidence's text is the spec's text (so evidence of another version of the lab keeps
its own words). The spec is the one the caller has (a run renders its report with the lab it ran),
else the bundled lab of the evidence's id; without either the report has no node descriptions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from msgspec import structs

from labcheck.bundled import bundled_spec_files
from labcheck.errors import LabcheckError
from labcheck.evidence import model
from labcheck.spec.glance import Glance, glance
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab, Matcher, StateCheck, Step
from labcheck.spec.texts import in_language


def _bundled_path(lab_id: str) -> Path | None:
    """The bundled spec of that id: each lives in a folder named after its id (specs/<id>/lab.yaml),
    so none is read to find it."""
    return next((path for path in bundled_spec_files() if path.parent.name == lab_id), None)


def _stamp(path: Path) -> tuple[int, int]:
    facts = path.stat()
    return facts.st_mtime_ns, facts.st_size


@lru_cache(maxsize=8)
def _loaded(path: Path, stamp: tuple[int, int]) -> Lab | None:
    """A bundled spec read in full once per process while its file stays the same (`stamp`)."""
    try:
        return load_lab(path)
    except LabcheckError:
        return None


@lru_cache(maxsize=8)
def _glanced(path: Path, stamp: tuple[int, int]) -> Glance | None:
    return glance(path)


def _bundled(lab_id: str) -> Lab | None:
    path = _bundled_path(lab_id)
    lab = _loaded(path, _stamp(path)) if path is not None else None
    return lab if lab is not None and lab.id == lab_id else None


def lab_spec(evidence: model.Evidence, spec: Lab | None = None) -> Lab | None:
    """The spec of the evidence's lab: `spec` when it is that lab, else the bundled one, else None."""
    if spec is not None and spec.id == evidence.lab.id:
        return spec
    return _bundled(evidence.lab.id)


def node_descriptions(evidence: model.Evidence, language: str, spec: Lab | None = None) -> dict[str, str]:
    """What each node the run used is for, in `language` where the spec gives it, by node name.

    Only from a spec of the evidence's lab and version (another version's nodes may have other
    roles); empty when there is none, and the report shows the engines without descriptions. A
    bundled spec is only glanced at (its header and nodes): a report in the lab's own language needs
    nothing else from it."""
    if spec is not None and spec.id == evidence.lab.id:
        version, nodes = spec.version, spec.node_specs
    else:
        path = _bundled_path(evidence.lab.id)
        seen = _glanced(path, _stamp(path)) if path is not None else None
        if seen is None or seen.id != evidence.lab.id:
            return {}
        version, nodes = seen.version, seen.nodes
    if version != evidence.lab.version:
        return {}
    return {
        node.name: said
        for node in nodes
        if node.name in evidence.targets and (said := in_language(node.description, language))
    }


def _said(recorded: str | None, spec_text: str | None, language: str) -> str | None:
    """The spec's text in `language` when the evidence recorded the spec's own; else the recorded."""
    if recorded is not None and spec_text is not None and recorded == spec_text:
        return in_language(spec_text, language)
    return recorded


def _checks_said(checks: list[model.Check], step: Step, language: str) -> list[model.Check]:
    """The step's checks with the author's words (`says:`) in `language` where the spec gives them:
    a recorded `says` is looked up among the spec step's own rules, state checks and `until`."""
    rules: list[Matcher | StateCheck] = [*step.matchers, *step.state_checks]
    if step.until is not None:
        rules.append(step.until)
    authored = {str(said): said for rule in rules if (said := rule.says or rule.description)}
    return [
        structs.replace(check, says=_said(check.says, authored.get(check.says), language))
        if check.says is not None and check.says in authored
        else check
        for check in checks
    ]


def localized(evidence: model.Evidence, language: str, spec: Lab | None = None) -> model.Evidence:
    """The evidence with the lab's texts in `language` where known (from `spec` when it is the
    evidence's lab, else the bundled one); the evidence itself otherwise (the lab's own language
    needs no copy)."""
    if language == evidence.lab.language:
        return evidence
    lab = lab_spec(evidence, spec)
    if lab is None:
        return evidence
    header = structs.replace(
        evidence.lab,
        title=_said(evidence.lab.title, lab.title, language) or evidence.lab.title,
        description=_said(evidence.lab.description, lab.description, language),
    )
    by_number = {section.number: section for section in lab.sections}
    sections = []
    for section in evidence.spec.sections:
        known = by_number.get(section.number)
        if known is not None:
            section = structs.replace(
                section,
                title=_said(section.title, known.title, language) or section.title,
                explanation=_said(section.explanation, known.explanation, language),
            )
        sections.append(section)
    by_id = {step.id: step for step in lab.steps}
    steps = []
    for step in evidence.steps:
        spec_step = by_id.get(step.id)
        if spec_step is not None:
            step = structs.replace(
                step,
                title=_said(step.title, spec_step.title, language) or step.title,
                explanation=_said(step.explanation, spec_step.explanation, language),
                hint=_said(step.hint, spec_step.hint, language),
                checks=_checks_said(step.checks, spec_step, language),
            )
        steps.append(step)
    spec_ref = structs.replace(evidence.spec, sections=sections)
    return structs.replace(evidence, lab=header, spec=spec_ref, steps=steps)
