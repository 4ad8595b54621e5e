"""`labcheck import`: a lab's Markdown file in, a lab pack that validates out, and the list of
what the author is to decide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from labcheck import i18n
from labcheck.authoring import environment as lab_environment
from labcheck.authoring.draft import Draft, DraftSection, DraftStep, ImportSummary
from labcheck.authoring.markdown_blocks import read_markdown
from labcheck.authoring.pack_writer import write_pack
from labcheck.authoring.reading import read_lab
from labcheck.checks.output import judge_output_rule
from labcheck.confined import FileMissing, FileRefused, Limits, read_regular
from labcheck.errors import LabcheckError, SpecInvalid
from labcheck.refusal_words import refusal_said
from labcheck.spec.loader import load_lab

MAX_MARKDOWN_BYTES = 4 * 1024 * 1024


class ImportRefused(LabcheckError):
    """A lab file that cannot be imported, or a folder that would lose what it holds."""


@dataclass(frozen=True)
class ImportResult:
    spec: Path
    summary: ImportSummary
    left: tuple[str, ...]


def lab_id_for(path: Path) -> str:
    """play-with-docker's `..._posts__2017-09-19-ops-s1-hello.markdown` is `ops-s1-hello`."""
    stem = path.name.rsplit("__", 1)[-1]
    stem = re.sub(r"\.(?:markdown|md|mdown|txt)$", "", stem, flags=re.I)
    stem = re.sub(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-", "", stem)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    return slug or "imported-lab"


def _echo(step: DraftStep) -> str:
    return "\n".join([step.command, *step.typed])


def _drop_echoed_rules(draft: Draft) -> None:
    """Under a terminal what the student types is echoed: a rule that the echo alone passes
    checks nothing, so it is not proposed."""
    for step in draft.steps:
        if not step.typed:
            continue
        echo = {"output": _echo(step)}
        kept = [
            rule
            for rule in step.rules
            if not judge_output_rule({"stream": "output", rule.kind: rule.value}, echo, {}).passed
        ]
        if len(kept) < len(step.rules):
            step.notes.append("a rule from the sample output matched the typed input's echo and was left out")
        step.rules = kept


def _read_text(path: Path) -> str:
    try:
        raw = read_regular(path, Limits(max_bytes=MAX_MARKDOWN_BYTES))
    except FileMissing as missing:  # a mistyped name: the likeliest mistake, said in the user's words
        said = i18n.cli().format("{path}: no such Markdown file", path=missing.path)
        raise ImportRefused(said) from None
    except FileRefused as refused:  # a FIFO, a folder, too big: in the user's words too
        raise ImportRefused(refusal_said(refused)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        said = i18n.cli().format("{path}: is not UTF-8 text (byte {byte})", path=path, byte=error.start)
        raise ImportRefused(said) from None


def import_lab(markdown: Path, folder: Path | None = None) -> ImportResult:
    t = i18n.cli()
    text = _read_text(markdown)
    lab_id = lab_id_for(markdown)
    target = folder if folder is not None else Path(lab_id)
    if (target / "lab.yaml").exists() or (target / "lab.yaml").is_symlink():
        raise ImportRefused(
            t.format(
                "{path} already exists: give another folder with -o (nothing written)",
                path=target / "lab.yaml",
            )
        )
    if target.exists() and not target.is_dir():
        raise ImportRefused(t.format("{path}: is not a folder (nothing written)", path=target))
    draft = read_lab(read_markdown(text), lab_id, markdown.name)
    if not draft.steps:
        draft.sections = [DraftSection("1", draft.title, 1)]
        draft.left.append(
            t.gettext("no command found (no terminal block, no shell block, no `$ ` prompt): no step")
        )
    for lab_file in draft.files:
        if (target / lab_file.path).exists():
            raise ImportRefused(
                t.format("{path} already exists: give another folder with -o", path=target / lab_file.path)
            )
    _drop_echoed_rules(draft)
    environment = lab_environment.gather(draft)
    draft.left += lab_environment.missing(environment)
    spec = write_pack(draft, environment, target)
    try:
        load_lab(spec)
    except SpecInvalid as error:  # a bug of the importer: said, with the file kept to look at
        raise ImportRefused(
            t.format("the pack written to {path} does not validate:\n{error}", path=spec, error=error)
        ) from None
    return ImportResult(spec, ImportSummary.of(draft), tuple(draft.left))
