"""Load YAML while remembering the line of every key and value, refusing what could hurt.

jsonschema reports an error as a path into the document; this module maps such a
path back to the line a teacher has to edit.

A lab spec is plain data: mappings with text keys, lists and scalars. Everything else YAML
can say is refused before anything is built, with the line: anchors and aliases (an alias
bomb expands a few hundred bytes into billions of nodes; `&a [*a]` is a cycle), explicit
tags (`!!python/name:...`, custom tags), keys that are not text (`? [a, b]`), duplicate keys
(the last would win silently), and nesting deeper than any spec needs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import yaml

from labcheck import i18n
from labcheck.spec import yaml_words

Path = tuple[str | int, ...]

# The bundled lab nests 9 levels deep; 50 leaves room for any real spec and keeps
# the composer's recursion far from Python's limit.
MAX_DEPTH = 50
# A value count bounds the work (and the memory) of building and validating the data;
# the bundled lab has 1,648.
MAX_NODES = 20_000
# Tags that only say what the plain form would say anyway, for a value JSON can hold.
_JSON_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass
class LineMap:
    """Line numbers (1-based) of values and of mapping keys, by document path."""

    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of the value at path, or of its nearest ancestor."""
        probe = tuple(path)
        while probe:
            if probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), None)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class YamlRefused(Exception):
    """Valid YAML that a lab spec may not use; `path` is where in the document, if known."""

    def __init__(self, line: int | None, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path


def _line(mark: Any) -> int | None:  # a yaml Mark, from the C or the Python parser
    return int(mark.line) + 1 if mark is not None else None


class _GuardedLoader(yaml.SafeLoader):
    """Composes the node tree but refuses anchors, aliases, tags and excessive depth or size
    as the events arrive, before anything is expanded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                _line(event.start_mark),
                i18n.cli().format(
                    "the alias '*{anchor}' is not allowed: a lab spec uses no anchors (&) "
                    "nor aliases (*); write the value out",
                    anchor=event.anchor,
                ),
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlRefused(
                _line(event.start_mark),
                i18n.cli().format(
                    "the anchor '&{anchor}' is not allowed: a lab spec uses no anchors (&) "
                    "nor aliases (*); write the value out",
                    anchor=anchor,
                ),
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":  # written in the document: "!" alone means text
            self._check_tag(event, tag)
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlRefused(
                    _line(event.start_mark),
                    i18n.cli().format(
                        "nested more than {count} levels deep; a lab spec needs far fewer", count=MAX_DEPTH
                    ),
                )
            if self._nodes > MAX_NODES:
                raise YamlRefused(
                    _line(event.start_mark),
                    i18n.cli().format(
                        "has more than {count} values; a lab spec needs far fewer",
                        count=i18n.cli().number(MAX_NODES),
                    ),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    @staticmethod
    def _check_tag(event: yaml.Event, tag: str) -> None:
        if tag not in _JSON_TAGS:
            raise YamlRefused(
                _line(event.start_mark),
                i18n.cli().format(
                    "the tag '{tag}' is not allowed: "
                    "a lab spec holds only text, numbers, true/false, lists and mappings",
                    tag=tag.replace("tag:yaml.org,2002:", "!!"),
                ),
            )


def load_with_lines(text: str) -> tuple[object, LineMap]:
    try:
        # The reader checks every character when it is made: a control character fails here.
        loader = _GuardedLoader(text)
    except yaml.reader.ReaderError as error:
        raise YamlSyntaxError(
            text.count("\n", 0, error.position) + 1,
            i18n.cli().format(
                "contains the character {character}, which YAML does not allow in a file "
                "(inside double quotes, write it as an escape such as \\x1b)",
                character=f"U+{error.character:04X}",
            ),
        ) from None
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlSyntaxError(_line(mark), yaml_words.syntax_problem(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(None, yaml_words.parser_said(str(error))) from None
    finally:
        loader.dispose()
    lines = LineMap()
    if root is None:
        return None, lines
    return _Builder(lines).build(root, ()), lines


class _Builder:
    """Plain Python data from the checked node tree, with the line of every key and value."""

    def __init__(self, lines: LineMap) -> None:
        self.lines = lines
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path) -> object:
        self.lines.values[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlRefused(
                    _line(key_node.start_mark),
                    i18n.cli().gettext(
                        "a key must be plain text, not a list or a mapping (a '?' complex key)"
                    ),
                    path,
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                said = i18n.cli().gettext("merge keys ('<<') are not allowed")
                raise YamlRefused(_line(key_node.start_mark), said, path)
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.keys[(*path, key)]
                raise YamlRefused(
                    line,
                    i18n.cli().format(
                        "the key '{key}' appears twice (lines {first} and {line}); "
                        "YAML would silently keep only the last one",
                        key=key,
                        first=first,
                        line=line,
                    ),
                    (*path, key),
                )
            self.lines.keys[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node, path: Path) -> object:
        if node.tag == "tag:yaml.org,2002:timestamp":
            # A date written plainly (version: 2024-05-01) is text to a spec, not a date object.
            return str(node.value)
        if node.tag not in _JSON_TAGS:
            said = i18n.cli().format("the value type '{tag}' is not allowed", tag=node.tag)
            raise YamlRefused(_line(node.start_mark), said, path)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, KeyError, AttributeError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            text = str(node.value)
            t = i18n.cli()
            shown = (
                f"'{text}'"
                if len(text) <= 40
                else f"'{text[:30]}…' ({t.counted(len(text), 'character', 'characters')})"
            )
            said = t.format("{value} is not a valid {tag}", value=shown, tag=tag)
            raise YamlRefused(_line(node.start_mark), said, path) from None
        if isinstance(value, datetime.date):
            return str(node.value)
        return value
