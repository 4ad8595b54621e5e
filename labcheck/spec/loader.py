"""Read a spec file into the model, or say exactly what is wrong with it."""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from labcheck import i18n, patterns
from labcheck.checks.registry import state_kinds
from labcheck.errors import SpecError, SpecInvalid
from labcheck.resources import packaged_json
from labcheck.spec import pack, schema_errors, semantics
from labcheck.spec.documents import (
    MATCHER_KINDS,
    CaptureDoc,
    DefaultsDoc,
    EventuallyDoc,
    ExpectDoc,
    FileDoc,
    MatcherDoc,
    SpecDoc,
    StepDoc,
    UntilDoc,
    as_spec_document,
    kind_params,
)
from labcheck.spec.model import (
    DEFAULT_PROMPT,
    DEFAULT_TIMEOUT_S,
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
from labcheck.spec.path_rules import lab_file_problem
from labcheck.spec.placeholders import placeholders_in
from labcheck.spec.schema_kinds import with_kinds
from labcheck.spec.spec_file import read_spec_bytes
from labcheck.spec.texts import LocalText, local_text
from labcheck.spec.yaml_lines import LineMap, YamlRefused, YamlSyntaxError, load_with_lines

SPEC_FILE_NAMES = ("lab.yaml", "lab.yml")
_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_MAX_SCHEMA_ERRORS = 50
_MERGED_OUTPUT = i18n.N_(
    "a step under a terminal (tty or input) has one merged output: use 'output', not 'stderr'"
)


@cache
def spec_schema() -> dict[str, object]:
    """The shipped schema, with every registered state check kind (labcheck.checks.registry)."""
    return with_kinds(packaged_json("labcheck.spec", "schema.json"), state_kinds().values())


def _compiles(instance: object) -> bool:
    if isinstance(instance, str):
        patterns.compile_rule(instance)  # raises PatternInvalid
    return True


@cache
def _validator() -> Draft202012Validator:
    # Patterns are checked by the engine that runs them (jsonschema's own check uses `re`,
    # whose compiler recurses: 5,000 nested parentheses raised RecursionError).
    checker = FormatChecker(formats=())
    checker.checks("regex", raises=patterns.PatternInvalid)(_compiles)
    return Draft202012Validator(spec_schema(), format_checker=checker)


def parse_duration(text: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _letter(index: int) -> str:
    """Steps under a heading are lettered (1.1.a, 1.1.b) so they never collide with subsections:
    a..z, then aa..zz, then aaa..., as spreadsheet columns are (any count of steps)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = letters[remainder] + text
    return text


def resolve_spec_path(path: Path) -> Path:
    """A spec is a YAML file, or a folder holding lab.yaml beside the lab's files."""
    if path.is_dir():
        for name in SPEC_FILE_NAMES:
            # Whatever is there (a link, a FIFO) is the spec; reading it says what is wrong.
            if (path / name).is_symlink() or (path / name).exists():
                return path / name
        t = i18n.cli()
        first, second = SPEC_FILE_NAMES
        said = t.format("no {first} or {second} in this folder", first=first, second=second)
        raise SpecInvalid([SpecError(str(path), None, t.gettext("(file)"), said)])
    return path


def load_lab(path: Path | str) -> Lab:
    spec_path = resolve_spec_path(Path(path))
    display = str(spec_path)
    raw = read_spec_bytes(spec_path, display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        t = i18n.cli()
        said = t.format("is not UTF-8 text (byte {byte})", byte=error.start)
        raise SpecInvalid([SpecError(display, None, t.gettext("(file)"), said)]) from None
    try:
        data, lines = load_with_lines(text)
    except YamlSyntaxError as error:
        raise SpecInvalid(
            [
                SpecError(
                    display,
                    error.line,
                    "(yaml)",
                    i18n.cli().format("is not valid YAML: {why}", why=error.message),
                )
            ]
        ) from None
    except YamlRefused as error:
        key = schema_errors.describe_path(error.path) if error.path else "(yaml)"
        raise SpecInvalid([SpecError(display, error.line, key, error.message)]) from None
    # The first problems are what a teacher acts on; thousands would only take time to list.
    errors = list(itertools.islice(_validator().iter_errors(data), _MAX_SCHEMA_ERRORS))
    if errors:
        raise SpecInvalid(schema_errors.translate(errors, display, lines))
    builder = _Builder(spec_path, display, lines, hashlib.sha256(raw).hexdigest())
    return builder.build(as_spec_document(data))


class _Builder:
    """Builds the model from schema-valid data and checks what a schema cannot:
    references between steps, node names, captured names, lab files."""

    def __init__(self, path: Path, display: str, lines: LineMap, sha256: str) -> None:
        self.path = path
        self.display = display
        self.lines = lines
        self.sha256 = sha256
        self.problems: list[SpecError] = []
        self.places = semantics.Places()
        self.language = "es"

    def text(self, value: object) -> LocalText | None:
        """A title or explanation, plain or in several languages, as the text in the lab's language."""
        return local_text(value, self.language)

    def where(self, doc_path: tuple[str | int, ...]) -> str:
        line = self.lines.line_of(doc_path)
        return f"{self.display}:{line}" if line is not None else self.display

    def problem(self, doc_path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(
            SpecError(
                self.display, self.lines.line_of(doc_path), schema_errors.describe_path(doc_path), message
            )
        )

    def build(self, data: SpecDoc) -> Lab:
        lab_data = data["lab"]
        self.language = str(lab_data["language"])
        node_names = tuple(node["name"] for node in data.get("nodes", [{"name": "host"}]))
        defaults = data.get("defaults", {})
        self.places = semantics.Places.of(data, self.where)
        default_timeout = self._duration(("defaults", "timeout"), defaults.get("timeout"))
        if "prompt" in defaults:
            self._pattern(("defaults", "prompt"), defaults["prompt"])
        default_node = defaults.get("node", node_names[0])
        if default_node not in node_names:
            self.problem(
                ("defaults", "node"),
                i18n.cli().format(
                    "node '{node}' is not among the lab's nodes ({nodes})",
                    node=default_node,
                    nodes=", ".join(node_names),
                ),
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
                    default_timeout,
                )
                steps.append(step)
            sections.append(
                Section(
                    section["number"],
                    self.text(section["title"]) or "",
                    self.text(section.get("explanation")),
                    tuple(steps),
                )
            )
        images = pack.images_of(data, self.path.parent, self.problem, self.where)
        repositories = pack.repositories_of(data, self.path.parent, self.problem, self.where)
        if self.problems:
            raise SpecInvalid(sorted(self.problems, key=lambda p: p.line or 0))
        return Lab(
            id=lab_data["id"],
            title=self.text(lab_data["title"]) or "",
            language=lab_data["language"],
            version=str(lab_data["version"]),
            source_url=lab_data.get("source"),
            description=self.text(lab_data.get("description")),
            nodes=node_names,
            files=files,
            student_values=student_values,
            sections=tuple(sections),
            path=self.path,
            sha256=self.sha256,
            default_workdir=defaults.get("workdir", "~"),
            node_specs=pack.nodes_of(data, self.text),
            images=images,
            repositories=repositories,
        )

    def _lab_file(self, index: int, item: FileDoc, default_node: str, node_names: tuple[str, ...]) -> LabFile:
        source = self.path.parent / item["path"]
        problem = lab_file_problem(self.path.parent, item["path"])
        if problem is not None:
            self.problem(("files", index, "path"), problem)
        node = item.get("node", default_node)
        if node not in node_names:
            self.problem(("files", index, "node"), i18n.cli().format("unknown node '{node}'", node=node))
        return LabFile(item["path"], node, source, item.get("student_may_replace", True))

    def _step(
        self,
        doc_path: tuple[str | int, ...],
        data: StepDoc,
        section_number: str,
        index: int,
        defaults: DefaultsDoc,
        default_node: str,
        node_names: tuple[str, ...],
        seen_ids: dict[str, str],
        known_names: set[str],
        default_timeout: float | None,
    ) -> Step:
        step_id = data["id"]
        if step_id in seen_ids:
            self.problem(
                (*doc_path, "id"),
                i18n.cli().format(
                    "step id '{step}' is already used at {where}", step=step_id, where=seen_ids[step_id]
                ),
            )
        seen_ids[step_id] = self.where((*doc_path, "id"))
        for n_index, needed in enumerate(data.get("needs", [])):
            earlier = (known for known in seen_ids if known != step_id)
            if problem := self.places.need_problem(needed, step_id, earlier):
                self.problem((*doc_path, "needs", n_index), problem)
        timeout = self._duration((*doc_path, "timeout"), data.get("timeout"))
        if "prompt" in data:
            self._pattern((*doc_path, "prompt"), data["prompt"])
        for i_index, item in enumerate(data.get("input", [])):
            if isinstance(item, dict) and "wait_for" in item:
                self._pattern((*doc_path, "input", i_index, "wait_for"), item["wait_for"])
        node = data.get("node", default_node)
        if node not in node_names:
            self.problem(
                (*doc_path, "node"),
                i18n.cli().format(
                    "unknown node '{node}' (the lab's nodes: {nodes})", node=node, nodes=", ".join(node_names)
                ),
            )
        before_run = {key: value for key, value in data.items() if key != "expect"}
        self._check_placeholders(doc_path, before_run, known_names)
        captures = tuple(
            self._capture((*doc_path, "capture", c_index), item)
            for c_index, item in enumerate(data.get("capture", []))
        )
        for capture in captures:
            known_names.add(capture.name)
        # A step's own captures are known once it has run, so its expectations may use them.
        self._check_placeholders((*doc_path, "expect"), data["expect"], known_names)
        expect = data["expect"]
        uses_pty = bool(data.get("tty")) or bool(data.get("input"))
        matchers = []
        by_stream = (
            ("output", expect.get("output", [])),
            ("stdout", expect.get("stdout", [])),
            ("stderr", expect.get("stderr", [])),
        )
        for stream, rules in by_stream:
            for m_index, rule in enumerate(rules):
                if uses_pty and stream == "stderr":
                    self.problem((*doc_path, "expect", stream), i18n.cli().gettext(_MERGED_OUTPUT))
                kind = next(key for key in MATCHER_KINDS if key in rule)
                self._rule((*doc_path, "expect", stream, m_index), rule)
                matchers.append(
                    Matcher(
                        stream,
                        kind,
                        rule[kind],
                        bool(rule.get("ignore_case")),
                        self.text(rule.get("description")),
                        self.where((*doc_path, "expect", stream, m_index)),
                        self.text(rule.get("says")),
                    )
                )
        state_checks = []
        for c_index, check in enumerate(expect.get("state", [])):
            state_kind = next(key for key in state_kinds() if key in check)
            on = check.get("on")
            if on is not None and on not in node_names:
                self.problem(
                    (*doc_path, "expect", "state", c_index, "on"),
                    i18n.cli().format("unknown node '{node}'", node=on),
                )
            eventually = check.get("eventually")
            self._eventually_checked((*doc_path, "expect", "state", c_index, "eventually"), eventually)
            state_checks.append(
                StateCheck(
                    state_kind,
                    kind_params(check, state_kind),
                    on,
                    self.text(check.get("description")),
                    self._eventually(eventually),
                    tuple(check.get("requires", [])),
                    self.where((*doc_path, "expect", "state", c_index)),
                    self.text(check.get("says")),
                )
            )
        until = self._until(doc_path, data.get("until"), uses_pty, expect)
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
            title=self.text(data["title"]) or "",
            explanation=self.text(data.get("explanation")),
            hint=self.text(data.get("hint")),
            run=data["run"],
            node=node,
            workdir=data.get("workdir", defaults.get("workdir", "~")),
            tty=bool(data.get("tty")),
            input=tuple(lines),
            prompt=data.get("prompt", defaults.get("prompt", DEFAULT_PROMPT)),
            timeout_s=timeout if timeout is not None else default_timeout or DEFAULT_TIMEOUT_S,
            needs=tuple(data.get("needs", [])),
            requires=tuple(data.get("requires", [])),
            eventually=self._eventually_checked((*doc_path, "eventually"), data.get("eventually")),
            captures=captures,
            exit_code=expect.get("exit_code"),
            matchers=tuple(matchers),
            state_checks=tuple(state_checks),
            location=self.where(doc_path),
            until=until,
        )

    def _until(
        self,
        doc_path: tuple[str | int, ...],
        rule: UntilDoc | None,
        uses_pty: bool,
        expect: ExpectDoc,
    ) -> Matcher | None:
        if rule is None:
            return None
        where = (*doc_path, "until")
        stream = rule.get("stream", "output")
        if uses_pty and stream == "stderr":
            self.problem((*where, "stream"), i18n.cli().gettext(_MERGED_OUTPUT))
        if "exit_code" in expect:
            self.problem(
                (*doc_path, "expect", "exit_code"),
                i18n.cli().gettext(
                    "a step with 'until' is stopped by labcheck once its rule holds, so it has no exit code "
                    "to check: remove 'exit_code'"
                ),
            )
        if "matches" in rule:
            self._pattern((*where, "matches"), rule["matches"], bool(rule.get("ignore_case")))
        kind, value = ("contains", rule["contains"]) if "contains" in rule else ("matches", rule["matches"])
        return Matcher(
            stream,
            kind,
            value,
            bool(rule.get("ignore_case")),
            None,
            self.where(where),
            self.text(rule.get("says")),
        )

    def _check_placeholders(
        self, doc_path: tuple[str | int, ...], data: object, known_names: set[str]
    ) -> None:
        def visit(value: object, path: tuple[str | int, ...]) -> None:
            if isinstance(value, str):
                for name in placeholders_in(value):
                    if name not in known_names:
                        self.problem(path, self.places.placeholder_problem(name, known_names))
            elif isinstance(value, dict):
                for key, item in value.items():
                    if key not in ("capture", "explanation", "title", "hint"):
                        visit(item, (*path, key))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    visit(item, (*path, i))

        visit(data, doc_path)

    def _capture(self, doc_path: tuple[str | int, ...], data: CaptureDoc) -> Capture:
        pattern = data.get("pattern")
        groups = self._pattern((*doc_path, "pattern"), pattern) if pattern is not None else None
        group = data.get("group", 1 if groups else 0)
        if groups is not None and (problem := semantics.group_problem(group, groups)):
            self.problem((*doc_path, "group"), problem)
        return Capture(
            name=data["name"],
            source=data["from"],
            placeholder=data.get("placeholder"),
            pattern=pattern,
            group=group,
            ref=data.get("ref"),
            role=data.get("role"),
            short=bool(data.get("short")),
        )

    def _duration(self, doc_path: tuple[str | int, ...], text: str | None) -> float | None:
        if text is None:
            return None
        seconds = parse_duration(text)
        problem = semantics.duration_problem(text, seconds)
        if problem:
            self.problem(doc_path, problem)
        return min(seconds, semantics.MAX_DURATION_S)

    def _rule(self, doc_path: tuple[str | int, ...], rule: MatcherDoc) -> None:
        """The checks a schema cannot make of a rule (its schema allows exactly one kind)."""
        ignore_case = bool(rule.get("ignore_case"))
        if "matches" in rule:
            self._pattern((*doc_path, "matches"), rule["matches"], ignore_case)
        elif "not_matches" in rule:
            self._pattern((*doc_path, "not_matches"), rule["not_matches"], ignore_case)
        elif "distinct_matches" in rule:
            pattern = rule["distinct_matches"]["pattern"]
            self._pattern((*doc_path, "distinct_matches", "pattern"), pattern, ignore_case)
        elif "lines" in rule and (problem := semantics.lines_problem(rule["lines"])):
            self.problem((*doc_path, "lines"), problem)

    def _pattern(
        self, doc_path: tuple[str | int, ...], pattern: str, ignore_case: bool = False
    ) -> int | None:
        groups, problem = semantics.pattern_problem(pattern, ignore_case)
        if problem:
            self.problem(doc_path, problem)
        return groups

    def _eventually_checked(
        self, doc_path: tuple[str | int, ...], data: EventuallyDoc | None
    ) -> Eventually | None:
        if data is None:
            return None
        self._duration((*doc_path, "timeout"), data["timeout"])
        self._duration((*doc_path, "interval"), data.get("interval"))
        return self._eventually(data)

    @staticmethod
    def _eventually(data: EventuallyDoc | None) -> Eventually | None:
        if data is None:
            return None
        return Eventually(parse_duration(data["timeout"]), parse_duration(data.get("interval", "1s")))
