"""Read a spec file into the model, or say exactly what is wrong with it."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from labcheck.confined import lab_file_problem
from labcheck.errors import SpecError, SpecInvalid
from labcheck.resources import packaged_json
from labcheck.spec import schema_errors
from labcheck.spec.model import (
    DEFAULT_PROMPT,
    DEFAULT_TIMEOUT_S,
    STREAMS,
    Capture,
    Eventually,
    Lab,
    LabFile,
    Matcher,
    Section,
    StateCheck,
    Step,
    StudentValue,
    TypedLine,
)
from labcheck.spec.placeholders import placeholders_in
from labcheck.spec.yaml_lines import LineMap, YamlSyntaxError, load_with_lines

SPEC_FILE_NAMES = ("lab.yaml", "lab.yml")
_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_MATCHER_KINDS = ("contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches")
_STATE_KINDS = ("image", "container", "containers", "swarm", "stack", "service")


def spec_schema() -> dict[str, Any]:
    return packaged_json("labcheck.spec", "schema.json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(spec_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def parse_duration(text: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _letter(index: int) -> str:
    """Steps under a heading are lettered (1.1.a, 1.1.b) so they never collide with subsections."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]


def resolve_spec_path(path: Path) -> Path:
    """A spec is a YAML file, or a folder holding lab.yaml beside the lab's files."""
    if path.is_dir():
        for name in SPEC_FILE_NAMES:
            if (path / name).is_file():
                return path / name
        raise SpecInvalid(
            [SpecError(str(path), None, "(file)", f"no {' or '.join(SPEC_FILE_NAMES)} in this folder")]
        )
    return path


def load_lab(path: Path | str) -> Lab:
    spec_path = resolve_spec_path(Path(path))
    display = str(spec_path)
    try:
        raw = spec_path.read_bytes()
    except OSError as error:
        raise SpecInvalid([SpecError(display, None, "(file)", f"cannot read it: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SpecInvalid(
            [SpecError(display, None, "(file)", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    try:
        data, lines = load_with_lines(text)
    except YamlSyntaxError as error:
        raise SpecInvalid(
            [SpecError(display, error.line, "(yaml)", f"is not valid YAML: {error.message}")]
        ) from None
    errors = list(_validator().iter_errors(data))
    if errors:
        raise SpecInvalid(schema_errors.translate(errors, display, lines))
    builder = _Builder(spec_path, display, lines, hashlib.sha256(raw).hexdigest())
    return builder.build(data)


class _Builder:
    """Builds the model from schema-valid data and checks what a schema cannot:
    references between steps, node names, captured names, lab files."""

    def __init__(self, path: Path, display: str, lines: LineMap, sha256: str) -> None:
        self.path = path
        self.display = display
        self.lines = lines
        self.sha256 = sha256
        self.problems: list[SpecError] = []

    def where(self, doc_path: tuple[str | int, ...]) -> str:
        line = self.lines.line_of(doc_path)
        return f"{self.display}:{line}" if line is not None else self.display

    def problem(self, doc_path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(
            SpecError(
                self.display, self.lines.line_of(doc_path), schema_errors.describe_path(doc_path), message
            )
        )

    def build(self, data: dict[str, Any]) -> Lab:
        lab_data = data["lab"]
        node_names = tuple(node["name"] for node in data.get("nodes", [{"name": "host"}]))
        defaults = data.get("defaults", {})
        default_node = defaults.get("node", node_names[0])
        if default_node not in node_names:
            self.problem(
                ("defaults", "node"),
                f"node '{default_node}' is not among the lab's nodes ({', '.join(node_names)})",
            )
        files = tuple(
            self._lab_file(index, item, default_node, node_names)
            for index, item in enumerate(data.get("files", []))
        )
        student_values = tuple(
            StudentValue(item["name"], item["template"]) for item in data.get("student_values", [])
        )
        known_names = {value.name for value in student_values}
        seen_ids: dict[str, str] = {}
        sections = []
        for s_index, section in enumerate(data["sections"]):
            steps = []
            for t_index, step_data in enumerate(section.get("steps", [])):
                doc_path: tuple[str | int, ...] = ("sections", s_index, "steps", t_index)
                step = self._step(
                    doc_path,
                    step_data,
                    section["number"],
                    t_index,
                    defaults,
                    default_node,
                    node_names,
                    seen_ids,
                    known_names,
                )
                steps.append(step)
            sections.append(
                Section(section["number"], section["title"], section.get("explanation"), tuple(steps))
            )
        if self.problems:
            raise SpecInvalid(sorted(self.problems, key=lambda p: p.line or 0))
        return Lab(
            id=lab_data["id"],
            title=lab_data["title"],
            language=lab_data["language"],
            version=str(lab_data["version"]),
            source_url=lab_data.get("source"),
            description=lab_data.get("description"),
            nodes=node_names,
            files=files,
            student_values=student_values,
            sections=tuple(sections),
            path=self.path,
            sha256=self.sha256,
            default_workdir=defaults.get("workdir", "~"),
        )

    def _lab_file(
        self, index: int, item: dict[str, Any], default_node: str, node_names: tuple[str, ...]
    ) -> LabFile:
        source = self.path.parent / item["path"]
        problem = lab_file_problem(self.path.parent, item["path"])
        if problem is not None:
            self.problem(("files", index, "path"), problem)
        node = item.get("node", default_node)
        if node not in node_names:
            self.problem(("files", index, "node"), f"unknown node '{node}'")
        return LabFile(item["path"], node, source, item.get("student_may_replace", True))

    def _step(
        self,
        doc_path: tuple[str | int, ...],
        data: dict[str, Any],
        section_number: str,
        index: int,
        defaults: dict[str, Any],
        default_node: str,
        node_names: tuple[str, ...],
        seen_ids: dict[str, str],
        known_names: set[str],
    ) -> Step:
        step_id = data["id"]
        if step_id in seen_ids:
            self.problem((*doc_path, "id"), f"step id '{step_id}' is already used at {seen_ids[step_id]}")
        seen_ids[step_id] = self.where((*doc_path, "id"))
        for n_index, needed in enumerate(data.get("needs", [])):
            if needed not in seen_ids or needed == step_id:
                self.problem(
                    (*doc_path, "needs", n_index), f"'{needed}' is not a step that comes before this one"
                )
        node = data.get("node", default_node)
        if node not in node_names:
            self.problem(
                (*doc_path, "node"), f"unknown node '{node}' (the lab's nodes: {', '.join(node_names)})"
            )
        before_run = {key: value for key, value in data.items() if key != "expect"}
        self._check_placeholders(doc_path, before_run, known_names)
        captures = tuple(self._capture(item) for item in data.get("capture", []))
        for capture in captures:
            known_names.add(capture.name)
        # A step's own captures are known once it has run, so its expectations may use them.
        self._check_placeholders((*doc_path, "expect"), data["expect"], known_names)
        expect = data["expect"]
        uses_pty = bool(data.get("tty")) or bool(data.get("input"))
        matchers = []
        for stream in STREAMS:
            for m_index, rule in enumerate(expect.get(stream, [])):
                if uses_pty and stream == "stderr":
                    self.problem(
                        (*doc_path, "expect", stream),
                        "a step under a terminal (tty or input) has one merged output: "
                        "use 'output', not 'stderr'",
                    )
                kind = next(key for key in _MATCHER_KINDS if key in rule)
                matchers.append(
                    Matcher(
                        stream,
                        kind,
                        rule[kind],
                        bool(rule.get("ignore_case")),
                        rule.get("description"),
                        self.where((*doc_path, "expect", stream, m_index)),
                    )
                )
        state_checks = []
        for c_index, check in enumerate(expect.get("state", [])):
            kind = next(key for key in _STATE_KINDS if key in check)
            on = check.get("on")
            if on is not None and on not in node_names:
                self.problem((*doc_path, "expect", "state", c_index, "on"), f"unknown node '{on}'")
            eventually = check.get("eventually")
            state_checks.append(
                StateCheck(
                    kind,
                    dict(check[kind]),
                    on,
                    check.get("description"),
                    self._eventually(eventually),
                    tuple(check.get("requires", [])),
                    self.where((*doc_path, "expect", "state", c_index)),
                )
            )
        lines = []
        for item in data.get("input", []):
            lines.append(
                TypedLine(item, None)
                if isinstance(item, str)
                else TypedLine(item["send"], item.get("wait_for"))
            )
        return Step(
            id=step_id,
            number=data.get("number", f"{section_number}.{_letter(index)}"),
            section=section_number,
            title=data["title"],
            explanation=data.get("explanation"),
            hint=data.get("hint"),
            run=data["run"],
            node=node,
            workdir=data.get("workdir", defaults.get("workdir", "~")),
            tty=bool(data.get("tty")),
            input=tuple(lines),
            prompt=data.get("prompt", defaults.get("prompt", DEFAULT_PROMPT)),
            timeout_s=parse_duration(data.get("timeout", defaults.get("timeout", f"{DEFAULT_TIMEOUT_S:g}s"))),
            needs=tuple(data.get("needs", [])),
            requires=tuple(data.get("requires", [])),
            eventually=self._eventually(data.get("eventually")),
            captures=captures,
            exit_code=expect.get("exit_code"),
            matchers=tuple(matchers),
            state_checks=tuple(state_checks),
            location=self.where(doc_path),
        )

    def _check_placeholders(
        self, doc_path: tuple[str | int, ...], data: dict[str, Any], known_names: set[str]
    ) -> None:
        def visit(value: Any, path: tuple[str | int, ...]) -> None:
            if isinstance(value, str):
                for name in placeholders_in(value):
                    if name not in known_names:
                        self.problem(
                            path,
                            f"'${{{{ {name} }}}}' is not captured by an earlier step "
                            "nor declared in student_values",
                        )
            elif isinstance(value, dict):
                for key, item in value.items():
                    if key not in ("capture", "explanation", "title", "hint"):
                        visit(item, (*path, key))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    visit(item, (*path, i))

        visit(data, doc_path)

    @staticmethod
    def _capture(data: dict[str, Any]) -> Capture:
        return Capture(
            name=data["name"],
            source=data["from"],
            placeholder=data.get("placeholder"),
            pattern=data.get("pattern"),
            group=data.get("group", 1 if data.get("pattern") and re.compile(data["pattern"]).groups else 0),
            ref=data.get("ref"),
            role=data.get("role"),
            short=bool(data.get("short")),
        )

    @staticmethod
    def _eventually(data: dict[str, Any] | None) -> Eventually | None:
        if data is None:
            return None
        return Eventually(parse_duration(data["timeout"]), parse_duration(data.get("interval", "1s")))
