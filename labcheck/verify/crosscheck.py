"""Cross-checks between steps, derived from the spec's capture declarations and placeholders.

A value one step captured must be what that step printed (output captures are found again in
its transcript), and must be exactly what later steps used wherever the spec writes
`${{ name }}` (their commands, typed input and working folders). Image facts recorded at the
end of the run must hold the images and layers that captures name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from labcheck import i18n, patterns
from labcheck.checks.layers import shared_base_layers, starts_with_layers
from labcheck.checks.reason_words import reason_text
from labcheck.evidence import model, reasons
from labcheck.spec.model import Capture, Step
from labcheck.spec.placeholders import MissingValue, placeholders_in, substitute, substitute_known

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def missing_values(step: Step, values: Mapping[str, str]) -> list[str]:
    texts = [step.run, step.workdir, *(line.send for line in step.input)]
    return [name for text in texts for name in placeholders_in(text) if name not in values]


def used_values_problems(step: Step, record: model.Step, values: Mapping[str, str]) -> list[str]:
    """What the step ran must be the spec's command with the values captured before it."""
    try:
        command = substitute(step.run, values)
        typed = [substitute(line.send, values) for line in step.input]
        workdir = substitute(step.workdir, values)
    except MissingValue as missing:
        return [
            i18n.cli().format(
                "ran without the value «{name}» that an earlier step should have captured",
                name=missing.args[0],
            )
        ]
    problems = []
    if record.command != command:
        problems.append(
            i18n.cli().format(
                "ran «{found}», but the spec with the captured values gives «{wanted}»",
                found=record.command,
                wanted=command,
            )
        )
    if record.input != typed:
        problems.append(
            i18n.cli().gettext("its typed input is not the spec's input with the captured values")
        )
    if record.workdir != workdir:
        problems.append(
            i18n.cli().format(
                "ran in «{found}», the spec says «{wanted}»", found=record.workdir, wanted=workdir
            )
        )
    return problems


def captured_values(step: Step, record: model.Step, text: str) -> tuple[dict[str, str], list[str], list[str]]:
    """The step's captures, checked: (values, tampering, failures)."""
    recorded = record.captures
    declared = {capture.name for capture in step.captures}
    tampering = [
        i18n.cli().format("captures «{name}», which the spec does not declare", name=name)
        for name in recorded
        if name not in declared
    ]
    failures = []
    values: dict[str, str] = {}
    for capture in step.captures:
        value = recorded.get(capture.name)
        if value is None:
            failures.append(i18n.cli().format("nothing was captured as «{name}»", name=capture.name))
            continue
        values[capture.name] = value
        if capture.source == "output":
            try:
                found = _from_output(capture, text)
            except patterns.PatternTimeout as timeout:
                t = i18n.cli()
                gave_up = reasons.pattern_timeout(timeout.pattern, timeout.timeout_s, len(text))
                failures.append(
                    t.format(
                        "capturing «{name}»: {reason}", name=capture.name, reason=reason_text(gave_up, t)
                    )
                )
                continue
            if found != value:
                said = (
                    i18n.cli().format(
                        "captured «{name}» = «{value}», but its transcript shows «{found}»",
                        found=found,
                        name=capture.name,
                        value=value,
                    )
                    if found is not None
                    else i18n.cli().format(
                        "captured «{name}» = «{value}», but its transcript does not show it",
                        name=capture.name,
                        value=value,
                    )
                )
                tampering.append(said)
    return values, tampering, failures


def _from_output(capture: Capture, text: str) -> str | None:
    assert capture.pattern is not None
    match = patterns.search(capture.pattern, text)
    if match is None:
        return None
    value = match.group(capture.group)
    return value[:12] if capture.short else value


def _normal_ref(name: str) -> str:
    name = name.removeprefix("docker.io/").removeprefix("library/")
    return name if ":" in name.rsplit("/", 1)[-1] or "@" in name else f"{name}:latest"


class ImageFacts:
    """The images a run added, as recorded at its end (ids, tags, layers, digests)."""

    def __init__(self, images: Sequence[model.Image]) -> None:
        self.images = images
        self.known_digests: set[str] = set()
        for image in images:
            self.known_digests.add(image.id)
            self.known_digests.update(image.layers)
            self.known_digests.update(digest.rsplit("@", 1)[-1] for digest in image.repo_digests)

    def by_ref(self, ref: str) -> model.Image | None:
        wanted = _normal_ref(ref)
        for image in self.images:
            if any(_normal_ref(tag) == wanted for tag in image.tags):
                return image
            if image.id.removeprefix("sha256:").startswith(ref.removeprefix("sha256:")) and len(ref) >= 12:
                return image
        return None


def image_fact_problems(
    steps: Sequence[Step], values: Mapping[str, str], images: Sequence[model.Image]
) -> dict[str, list[str]]:
    """Captured image IDs and layers, and image structure checks, against the recorded image facts.

    Only run when the bundle has image facts; images that existed before the run are not among
    them, so a reference the facts do not know is not held against the bundle.
    """
    if not images:
        return {}
    facts = ImageFacts(images)
    problems: dict[str, list[str]] = {}
    for step in steps:
        found = _step_image_problems(step, values, facts)
        if found:
            problems[step.id] = found
    return problems


def _step_image_problems(step: Step, values: Mapping[str, str], facts: ImageFacts) -> list[str]:
    problems = []
    for capture in step.captures:
        value = values.get(capture.name)
        if value is None:
            continue
        if capture.source == "image_id" and capture.ref is not None:
            image = facts.by_ref(substitute_known(capture.ref, values))
            if image is not None and not image.id.removeprefix("sha256:").startswith(value):
                problems.append(
                    i18n.cli().format(
                        "captured «{name}» = «{value}», but the image facts give {image}",
                        name=capture.name,
                        value=value,
                        image=image.id,
                    )
                )
        if _DIGEST.match(value) and value not in facts.known_digests:
            problems.append(
                i18n.cli().format(
                    "captured «{name}» = «{value}», which no recorded image has",
                    name=capture.name,
                    value=value,
                )
            )
    for check in step.state_checks:
        if check.kind != "image":
            continue
        ref = check.params.get("ref")
        if isinstance(ref, str) and placeholders_in(ref):
            name = placeholders_in(ref)[0]
            value = values.get(name)
            if value is not None and facts.by_ref(value) is None and facts.images:
                problems.append(
                    i18n.cli().format(
                        "«{name}» = «{value}» names no image the run recorded", name=name, value=value
                    )
                )
        if isinstance(ref, str):
            problems += _structure_problems(substitute_known(ref, values), check.params, facts)
    return problems


def _structure_problems(ref: str, params: Mapping[str, object], facts: ImageFacts) -> list[str]:
    """Layer counts and shared base layers do not change after a run, so the facts must agree."""
    image = facts.by_ref(ref)
    if image is None:
        return []
    layers = image.layers
    problems = []
    if "layers" in params and len(layers) != params["layers"]:
        said = i18n.cli().ngettext(
            "the image facts give {ref} {count} layer, the spec wants {wanted}",
            "the image facts give {ref} {count} layers, the spec wants {wanted}",
            len(layers),
        )
        problems.append(said.format(ref=ref, count=len(layers), wanted=params["layers"]))
    base_ref = params.get("first_layers_of")
    base = facts.by_ref(str(base_ref)) if base_ref is not None else None
    if base is not None:
        if not starts_with_layers(layers, base.layers):
            problems.append(
                i18n.cli().format(
                    "the image facts show {ref} does not start with the layers of {base}",
                    ref=ref,
                    base=base_ref,
                )
            )
    shares = params.get("shares_layers_with")
    other = facts.by_ref(str(shares["ref"])) if isinstance(shares, dict) else None
    if isinstance(shares, dict) and other is not None:
        shared = shared_base_layers(layers, other.layers)
        if shared < int(shares["count"]):
            said = i18n.cli().ngettext(
                "the image facts show {ref} shares {count} layer with {other}",
                "the image facts show {ref} shares {count} layers with {other}",
                shared,
            )
            problems.append(said.format(ref=ref, count=shared, other=shares["ref"]))
    return problems
