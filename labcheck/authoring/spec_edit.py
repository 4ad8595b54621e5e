"""Proposed expectations written into the author's lab.yaml: lines inserted under each step's
`expect`, each rule with a comment saying where it comes from; nothing the author wrote is
changed or removed. The result must validate, or the file is left as it was."""

from __future__ import annotations

import os
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.proposals import StepProposal
from labcheck.authoring.yaml_text import comment_text, scalar
from labcheck.errors import LabcheckError
from labcheck.spec.documents import as_spec_document
from labcheck.spec.loader import load_lab
from labcheck.spec.yaml_lines import load_with_lines


class SpecNotWritten(LabcheckError):
    """The proposals could not be written into the spec (it is left as it was)."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _flow(value: object) -> str:
    """A value as YAML flow text: mappings and lists inline, text always quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return scalar(str(value))


def _state_lines(proposal: StepProposal, said: str) -> list[str]:
    lines = []
    for image in proposal.images:
        lines += [f"  # {said}", f"  - image: {_flow(image)}"]
    for state in proposal.state:
        # One entry per line; its kind first, so the line reads as what it checks.
        entry = {state.kind: state.entry[state.kind], **state.entry}
        lines += [f"  # {said}: {comment_text(state.why)}", f"  - {_flow(entry)}"]
    return lines


def _insertions(
    text: str, proposals: list[StepProposal], runs: int, notes: list[str]
) -> list[tuple[int, list[str]]]:
    raw, lines = load_with_lines(text)
    data = as_spec_document(raw)  # the spec loaded (and validated) before it was recorded
    source = text.split("\n")
    by_id = {proposal.step.id: proposal for proposal in proposals}
    inserts: list[tuple[int, list[str]]] = []
    said = f"recorded: the same in all {runs} reference runs" if runs > 1 else "recorded: the reference run"
    for s_index, section in enumerate(data["sections"]):
        for t_index, step in enumerate(section.get("steps", [])):
            proposal = by_id.get(step["id"])
            if proposal is None or (
                proposal.exit_code is None
                and not proposal.rules
                and not proposal.images
                and not proposal.state
            ):
                continue
            expect_path = ("sections", s_index, "steps", t_index, "expect")
            expect_line = lines.keys.get(expect_path)
            children = [lines.keys.get((*expect_path, key)) for key in step["expect"]]
            if (
                expect_line is None
                or not children
                or None in children
                or min(c or 0 for c in children) <= expect_line
            ):
                notes.append(
                    i18n.cli().format(
                        "step '{step}': its expect is written on one line: proposals not written",
                        step=step["id"],
                    )
                )
                continue
            child = _indent(source[min(c or 0 for c in children) - 1])
            added: list[str] = []
            if proposal.exit_code is not None:
                added.append(f"{child}exit_code: {proposal.exit_code}  # {said}")
            rule_lines: list[str] = []
            for rule in proposal.rules:
                rule_lines.append(f"  # {said}, from: {comment_text(rule.line)[:100]}")
                rule_lines.append(f"  - {rule.kind}: {scalar(rule.value)}")
            for key, items in (("output", rule_lines), ("state", _state_lines(proposal, said))):
                if not items:
                    continue
                if key not in step["expect"]:
                    added += [f"{child}{key}:", *(child + item for item in items)]
                    continue
                key_line = lines.keys[(*expect_path, key)]
                first_item = lines.values.get((*expect_path, key, 0))
                if first_item is None or first_item <= key_line:
                    notes.append(
                        i18n.cli().format(
                            "step '{step}': its {key} list is written on one line: not added to",
                            step=step["id"],
                            key=key,
                        )
                    )
                    continue
                item_indent = _indent(source[first_item - 1])
                inserts.append((key_line, [item_indent + item[2:] for item in items]))
            if added:
                inserts.append((expect_line, added))
    return inserts


def write_proposals(spec: Path, proposals: list[StepProposal], runs: int) -> list[str]:
    """Writes the proposals into the spec file; returns what could not be written."""
    text = spec.read_text(encoding="utf-8")
    notes: list[str] = []
    source = text.split("\n")
    for after_line, added in sorted(_insertions(text, proposals, runs, notes), key=lambda item: -item[0]):
        source[after_line:after_line] = added
    new_text = "\n".join(source)
    if new_text == text:
        return notes
    draft = spec.with_name(f".{spec.name}.record")
    draft.write_text(new_text, encoding="utf-8")
    try:
        load_lab(draft)
    except LabcheckError as error:
        draft.unlink()
        raise SpecNotWritten(
            i18n.cli().format(
                "{path}: the proposals would not validate, nothing written:\n{error}", path=spec, error=error
            )
        ) from None
    os.replace(draft, spec)
    return notes
