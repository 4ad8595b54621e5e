"""Proposed expectations written into the author's lab.yaml: lines inserted under each step's
`expect`, each rule with a comment saying where it comes from; nothing the author wrote is
changed or removed. The result must validate, or the file is left as it was."""

from __future__ import annotations

import os
from pathlib import Path

from labcheck.authoring.proposals import StepProposal
from labcheck.authoring.yaml_text import comment_text, scalar
from labcheck.errors import LabcheckError
from labcheck.spec.loader import load_lab
from labcheck.spec.yaml_lines import load_with_lines


class SpecNotWritten(LabcheckError):
    """The proposals could not be written into the spec (it is left as it was)."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _insertions(
    text: str, proposals: list[StepProposal], runs: int, notes: list[str]
) -> list[tuple[int, list[str]]]:
    data, lines = load_with_lines(text)
    source = text.split("\n")
    by_id = {proposal.step.id: proposal for proposal in proposals}
    inserts: list[tuple[int, list[str]]] = []
    for s_index, section in enumerate(data["sections"]):
        for t_index, step in enumerate(section.get("steps", [])):
            proposal = by_id.get(step["id"])
            if proposal is None or (proposal.exit_code is None and not proposal.rules):
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
                notes.append(f"step '{step['id']}': its expect is written on one line: proposals not written")
                continue
            child = _indent(source[min(c or 0 for c in children) - 1])
            added: list[str] = []
            said = (
                f"recorded: the same in all {runs} reference runs"
                if runs > 1
                else "recorded: the reference run"
            )
            if proposal.exit_code is not None:
                added.append(f"{child}exit_code: {proposal.exit_code}  # {said}")
            rule_lines = []
            for rule in proposal.rules:
                rule_lines.append(f"{child}  # {said}, from: {comment_text(rule.line)[:100]}")
                rule_lines.append(f"{child}  - {rule.kind}: {scalar(rule.value)}")
            if rule_lines and "output" in step["expect"]:
                output_line = lines.keys[(*expect_path, "output")]
                first_item = lines.values.get((*expect_path, "output", 0))
                if first_item is None or first_item <= output_line:
                    notes.append(f"step '{step['id']}': its output rules are a flow list: rules not written")
                else:
                    item_indent = _indent(source[first_item - 1])
                    shifted = [item_indent + line[len(child) + 2 :] for line in rule_lines]
                    inserts.append((output_line, shifted))
                rule_lines = []
            if rule_lines:
                added += [f"{child}output:", *rule_lines]
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
        raise SpecNotWritten(f"{spec}: the proposals would not validate, nothing written:\n{error}") from None
    os.replace(draft, spec)
    return notes
