"""From a lab's Markdown to a draft lab pack: terminal blocks give steps and their nodes, lines
typed inside an interactive shell become its input, sample output becomes candidate rules,
placeholders become captures, and prose-only commands are proposed and listed for the author.

Two ways of writing a lab are read: play-with-docker's (`.term1` blocks run, plain blocks show
output or commands to edit) and a student's (` ```bash `/` ```powershell ` blocks, `$ ` prompts)."""

from __future__ import annotations

import posixpath
import re

from labcheck import i18n
from labcheck.authoring import capture_wiring, shell_lines
from labcheck.authoring.draft import Draft, DraftFile, DraftSection, DraftStep
from labcheck.authoring.liquid import render_liquid
from labcheck.authoring.markdown_blocks import Block, LabMarkdown
from labcheck.authoring.sample_output import candidate_rules
from labcheck.spec.placeholders import PLACEHOLDER

_TERM = re.compile(r"^\{?\.?term([1-9])\}?$")
_COMMAND_LANGUAGES = frozenset(
    "bash sh shell console terminal zsh powershell ps1 pwsh ps cmd shell-session".split()
)
_NUMBERED = re.compile(r"^([0-9]+(?:\.[0-9]+)*)\.?\s+(\S.*)$")
_FILE_NAMED = re.compile(
    r"\b(?:file|content)\s+(?:named|called)\s+[*_`\"']*([A-Za-z0-9_][A-Za-z0-9_.-]{0,60})[*_`\"']*", re.I
)
_CUE = re.compile(r"\b(?:type|typing|enter|run|use|using|paste|execute|try)\b(?:\s+[\w\"']+){0,3}\s*$", re.I)
_SUBORDINATE = re.compile(r"^\s*(?:when|if|as|since|because|after|before|once|while|although)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?:]\s")
_JOIN_PROSE = re.compile(r"\b(?:2nd|second|other|another)\s+(?:terminal|node|window)", re.I)
_SLOW = re.compile(r"\b(?:build|pull|apt-get|apk add|clone|deploy|scale|install)\b")


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-")


class _Reader:
    def __init__(self, lab: LabMarkdown, lab_id: str, source: str) -> None:
        front = lab.front_matter
        fences = [block for block in lab.blocks if block.kind == "fence"]
        terms = [int(m.group(1)) for b in fences if (m := _TERM.match(b.info))]
        declared = front.get("terms")
        count = declared if isinstance(declared, int) and 1 <= declared <= 9 else 1
        count = max([count, *terms])
        self.pwd_style = bool(terms)
        title = front.get("title")
        self.draft = Draft(
            lab_id=lab_id,
            title=str(title).strip() if title and str(title).strip() else lab_id,
            source=source,
            nodes=tuple(f"node{n}" for n in range(1, count + 1)),
        )
        self.levels = sorted({block.level for block in lab.blocks if block.kind == "heading"})
        self.counters: list[int] = []
        self.used_numbers: set[str] = set()
        self.ids: set[str] = set()
        self.section: DraftSection | None = None
        self.prose: list[str] = []
        self.session: DraftStep | None = None
        self.last_step: DraftStep | None = None
        self.expecting_sample = False
        self.pending_commands: list[tuple[str, int]] = []
        self.pending_file: str | None = None
        self.workdirs: dict[str, str | None] = {}
        self.blocks = lab.blocks

    # ---------------------------------------------------------------- the walk

    def read(self) -> Draft:
        for block in self.blocks:
            if block.kind == "heading":
                self._heading(block)
            elif block.kind == "paragraph":
                self._paragraph(block)
            elif block.kind == "item":
                self._keep_prose(block.text)
            elif block.kind == "fence":
                self._fence(block)
        self._close_session(self.blocks[-1].line if self.blocks else 0)
        self._flush_commands(None)
        self.draft.sections = [section for section in self.draft.sections if section.steps]
        if not self.draft.description:
            self.draft.description = ()
        return self.draft

    def _heading(self, block: Block) -> None:
        self._close_session(block.line)
        self._flush_commands(None)
        self.prose = []
        self.expecting_sample = False
        self.pending_file = None
        match = _NUMBERED.match(block.text)
        depth = self.levels.index(block.level) if block.level in self.levels else 0
        if match:
            number, title = match.group(1), match.group(2)
        else:
            self.counters = self.counters[: depth + 1]
            self.counters += [0] * (depth + 1 - len(self.counters))
            self.counters[depth] += 1
            number, title = ".".join(str(n) for n in self.counters), block.text
        while number in self.used_numbers:
            number += ".1"
        self.used_numbers.add(number)
        self.section = DraftSection(number, title.strip() or number, block.line)
        self.draft.sections.append(self.section)

    def _keep_prose(self, text: str) -> None:
        if not text.lstrip().startswith("{:"):
            self.prose.append(text)
            if not self.draft.sections and not self.draft.steps and len(self.draft.description) < 1:
                self.draft.description = (text,)

    def _paragraph(self, block: Block) -> None:
        text = block.text
        if text.lstrip().startswith("{:"):
            return  # kramdown attributes and quizzes
        self._keep_prose(text)
        if named := _FILE_NAMED.search(text):
            self.pending_file = named.group(1)
        lowered = text.lower()
        if (
            "paste" in lowered
            and "join" in lowered
            and _JOIN_PROSE.search(text)
            and len(self.draft.nodes) > 1
        ):
            command = capture_wiring.join_command(self.draft.steps)
            if command is not None:
                step = self._new_step(command, self.draft.nodes[1], block.line, wire=False)
                step.notes.append(
                    f"TODO confirm: the lab has the student paste the join command on this node "
                    f"(prose only, line {block.line})"
                )
                self.draft.left.append(
                    i18n.cli().format(
                        "line {line}: the swarm join is only in the prose; step '{step}' proposes it",
                        line=block.line,
                        step=step.id,
                    )
                )
        for match in re.finditer(r"`([^`\n]+)`", text):
            code = render_liquid(match.group(1)).strip()
            if not capture_wiring.mentions_command(code):
                continue
            before = text[: match.start()]
            ends = list(_SENTENCE_END.finditer(before))
            sentence = before[ends[-1].end() :] if ends else before
            after = text[match.end() :].lstrip()
            names_it = after.lower().startswith("command") and not after.lower().startswith("command again")
            if _CUE.search(sentence) and not _SUBORDINATE.match(sentence) and not names_it:
                self.pending_commands.append((code, block.line))

    def _fence(self, block: Block) -> None:
        term = _TERM.match(block.info)
        language = block.info.split()[0].lower() if block.info else ""
        text = render_liquid(block.text)
        if term:
            self._commands(text, f"node{term.group(1)}", block.line)
        elif not self.pwd_style and language in _COMMAND_LANGUAGES:
            self._commands(text, self._node(), block.line)
        else:
            self._plain(text, block.line)

    def _node(self) -> str:
        return self.last_step.node if self.last_step else self.draft.nodes[0]

    # ---------------------------------------------------------------- blocks

    def _commands(self, text: str, node: str, line: int) -> None:
        self.pending_file = None
        for offset, command in enumerate(shell_lines.command_lines(text)):
            at = line + 1 + offset
            session = self.session
            if session is not None and session.node == node:
                if command.text.strip() == "exit":
                    session.typed.append("exit")
                    self.session = None
                    continue
                if not command.text.startswith("docker "):
                    session.typed.append(command.text)
                    continue
                self._close_session(at)
            step = self._new_step(command.text, node, at)
            if command.output:
                self._sample(step, "\n".join(command.output), at + 1)

    def _plain(self, text: str, line: int) -> None:
        lines = [raw for raw in text.split("\n") if raw.strip()]
        if not lines:
            return
        if self.pending_file is not None:
            self._file(self.pending_file, text, line)
            return
        first_is_command = shell_lines.looks_like_command(lines[0])
        if self.session is not None:
            if first_is_command:
                self.session.typed += [
                    raw.strip() for raw in lines if raw.strip() != "exit" and not raw.strip().startswith("#")
                ]
                if any(raw.strip() == "exit" for raw in lines):
                    self.session = None
            elif self.session.typed and self.last_step is self.session:
                self._sample(self.session, text, line + 1)
            return
        if shell_lines.has_prompts(text):
            self._commands(text, self._node(), line)
            return
        leading = 0
        while leading < len(lines) and shell_lines.looks_like_command(lines[leading]):
            leading += 1
        if first_is_command and leading < len(lines) and not self.expecting_sample:
            # A command followed by what it printed, in one plain block.
            for command in lines[:leading]:
                step = self._new_step(command.strip(), self._node(), line + 1)
            self._sample(step, "\n".join(lines[leading:]), line + 1 + leading)
            return
        wants_filling = first_is_command and bool(capture_wiring.placeholders("\n".join(lines[:leading])))
        if self.pending_commands and not wants_filling:
            self._flush_commands(None)  # the output shown is that of the command the prose names
        if self.expecting_sample and self.last_step is not None and not wants_filling:
            self._sample(self.last_step, text, line + 1)
        elif first_is_command:
            self._commands(text, self._node(), line)

    def _file(self, name: str, content: str, line: int) -> None:
        self.pending_file = None
        if name.startswith(".") or any(existing.path == name for existing in self.draft.files):
            self.draft.left.append(
                i18n.cli().format(
                    "line {line}: a second content for the file «{name}» is not imported",
                    line=line,
                    name=name,
                )
            )
            return
        self.draft.files.append(DraftFile(name, content if content.endswith("\n") else content + "\n", line))
        # The student writes the file in the lab; the pack provides it, and a step shows it.
        step = self._new_step(f"cat {name}", self._node(), line)
        step.notes.append(
            f"TODO confirm: the lab has the student write {name} (line {line}); the pack provides it"
        )
        self.expecting_sample = False

    def _sample(self, step: DraftStep, text: str, line: int) -> None:
        if step.has_sample:
            return
        step.has_sample = True
        step.rules = candidate_rules(text, line)
        self.expecting_sample = False

    # ---------------------------------------------------------------- steps

    def _new_step(self, command: str, node: str, line: int, *, wire: bool = True) -> DraftStep:
        self._flush_commands(command)
        if node not in self.draft.nodes:
            self.draft.nodes = (*self.draft.nodes, node)
        if wire:
            command = capture_wiring.wire(command, self.draft.steps, line, self.draft.left)
        if self.section is None:
            self.section = DraftSection("0", self.draft.title, line)
            self.used_numbers.add("0")
            self.draft.sections.append(self.section)
        step = DraftStep(
            id=self._step_id(command),
            command=command,
            node=node,
            line=line,
            prose=tuple(self.prose),
            workdir=self.workdirs.get(node),
        )
        self.prose = []
        if _SLOW.search(command):
            step.timeout = "5m"
        if folder := shell_lines.changed_folder(command):
            self.workdirs[node] = _moved(self.workdirs.get(node), folder)
        if shell_lines.opens_session(command):
            step.session = True
            self.session = step
        self.section.steps.append(step)
        self.last_step = step
        self.expecting_sample = True
        return step

    def _step_id(self, command: str) -> str:
        parts = [
            word.rstrip("/").rsplit("/", 1)[-1] if "://" in word else word
            for word in shell_lines.words(PLACEHOLDER.sub(" ", command))
            if not word.startswith("-")
        ]
        if parts[:1] == ["docker"]:
            parts = parts[1:]
        base = _slug(" ".join(parts[:4]), 32) or "step"
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def _close_session(self, line: int) -> None:
        session = self.session
        if session is None:
            return
        self.session = None
        session.typed.append("exit")
        session.notes.append("TODO confirm: the lab says to leave the shell only in its prose; 'exit' added")
        self.draft.left.append(
            i18n.cli().format(
                "line {line}: «{command}» opens a shell; its typed lines end with an 'exit' "
                "the lab only describes (confirm what the student types)",
                line=session.line,
                command=session.command,
            )
        )

    def _flush_commands(self, next_command: str | None) -> None:
        pending, self.pending_commands = self.pending_commands, []
        for command, line in pending:
            if next_command is not None and " ".join(command.split()) == " ".join(next_command.split()):
                continue
            if self.session is not None:
                continue  # said while the student is inside a shell: part of what they type
            step = self._new_step(command, self._node(), line)
            step.notes.append(f"TODO confirm: this command is only in the lab's prose (line {line})")
            self.draft.left.append(
                i18n.cli().format(
                    "line {line}: «{command}» is only in the prose; step '{step}' proposes it",
                    line=line,
                    command=command,
                    step=step.id,
                )
            )


def _moved(current: str | None, folder: str) -> str | None:
    if folder in ("~", "$HOME"):
        return None
    if folder.startswith(("/", "~")):
        return folder
    joined = posixpath.normpath(posixpath.join(current or "~", folder))
    return None if joined in ("~", ".") else joined


def read_lab(lab: LabMarkdown, lab_id: str, source: str) -> Draft:
    return _Reader(lab, lab_id, source).read()
