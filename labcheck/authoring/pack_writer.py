"""The draft written as a lab pack: `lab.yaml` with a comment on everything the author is to
confirm or write (the lab's own paragraphs kept as comments), and the lab's files beside it."""

from __future__ import annotations

from pathlib import Path

from labcheck.authoring.draft import Draft, DraftCapture, DraftStep
from labcheck.authoring.environment import Environment, copy_provided, environment_lines
from labcheck.authoring.yaml_text import comment_lines, comment_text, flow_list, scalar

TODO = "TODO"
_TITLE_CHARS = 70


def _title(command: str) -> str:
    flat = " ".join(command.split())
    return flat if len(flat) <= _TITLE_CHARS else flat[: _TITLE_CHARS - 1] + "…"


def _capture_lines(capture: DraftCapture, indent: str) -> list[str]:
    fields = [f"name: {capture.name}", f"from: {capture.source}"]
    if capture.pattern is not None:
        fields.append(f"pattern: {scalar(capture.pattern)}")
    if capture.ref is not None:
        fields.append(f"ref: {scalar(capture.ref)}")
    if capture.role is not None:
        fields.append(f"role: {capture.role}")
    if capture.short:
        fields.append("short: true")
    fields.append(f"placeholder: {scalar(capture.placeholder)}")
    lines = [f"{indent}# {comment_text(capture.note)}"] if capture.note else []
    return [*lines, f"{indent}- {{{', '.join(fields)}}}"]


def _step_lines(step: DraftStep, default_node: str) -> list[str]:
    pad = "      "
    lines = [f"{pad}- id: {step.id}"]
    inner = pad + "  "
    lines += [f"{inner}# {comment_text(note)}" for note in step.notes]
    lines.append(f"{inner}title: {scalar(_title(step.command))}  # TODO: a title in the lab's language")
    if step.prose:
        lines.append(f"{inner}# TODO: explain the step; the lab says (line {step.line}):")
        for paragraph in step.prose:
            lines += comment_lines(paragraph, inner)
    lines.append(f"{inner}explanation: {TODO}")
    lines.append(f"{inner}run: {scalar(step.command)}")
    if step.node != default_node:
        lines.append(f"{inner}node: {step.node}")
    if step.workdir:
        lines.append(f"{inner}workdir: {scalar(step.workdir)}")
    if step.typed:
        lines.append(f"{inner}input: {flow_list(step.typed)}")
    if step.timeout:
        lines.append(f"{inner}timeout: {step.timeout}")
    if step.captures:
        lines.append(f"{inner}capture:")
        for capture in step.captures:
            lines += _capture_lines(capture, inner + "  ")
    lines.append(f"{inner}expect:")
    lines.append(f"{inner}  exit_code: 0")
    if step.rules:
        lines.append(f"{inner}  output:")
        for rule in step.rules:
            lines.append(
                f"{inner}    # candidate from the lab's sample output (line {rule.line_number}): "
                f"{comment_text(rule.line)[:120]}"
            )
            lines.append(f"{inner}    - {rule.kind}: {scalar(rule.value)}")
    return lines


def lab_yaml(draft: Draft, environment: Environment) -> str:
    lines = [
        f"# Imported by `labcheck import` from {comment_text(draft.source)}.",
        "# Everything marked TODO is for the author: titles, explanations, the captures and the",
        "# candidate output rules (from the lab's sample output, which is illustrative).",
        "labcheck: 1",
        "",
        "lab:",
        f"  id: {draft.lab_id}",
        f"  title: {scalar(draft.title)}  # TODO: the title in the lab's language",
        "  language: es",
        '  version: "0.1.0"',
        f"  source: {scalar(draft.source)}",
    ]
    if draft.description:
        lines.append("  # TODO: describe the lab; it opens with:")
        for paragraph in draft.description:
            lines += comment_lines(paragraph, "  ")
        lines.append(f"  description: {TODO}")
    lines += ["", "nodes:", *[f"  - name: {node}" for node in draft.nodes]]
    lines += environment_lines(environment)
    lines += ["", "defaults:", f"  node: {draft.nodes[0]}", '  workdir: "~"', "  timeout: 60s"]
    if draft.files:
        lines += ["", "files:"]
        for lab_file in draft.files:
            lines.append(f"  - path: {scalar(lab_file.path)}  # from the lab, line {lab_file.line}")
    lines += ["", "sections:"]
    for section in draft.sections:
        lines += [
            f"  - number: {scalar(section.number)}",
            f"    title: {scalar(section.title)}  # TODO: in the lab's language",
        ]
        if not section.steps:
            lines.append(f"    explanation: {TODO}")
            continue
        lines.append("    steps:")
        for step in section.steps:
            lines += _step_lines(step, draft.nodes[0])
    return "\n".join(lines) + "\n"


def write_pack(draft: Draft, environment: Environment, folder: Path) -> Path:
    """Writes lab.yaml and the lab's files; the folder must not hold a lab.yaml already."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "lab.yaml"
    for lab_file in draft.files:
        (folder / lab_file.path).write_text(lab_file.content, encoding="utf-8")
    copy_provided(environment, folder)
    spec.write_text(lab_yaml(draft, environment), encoding="utf-8")
    return spec
