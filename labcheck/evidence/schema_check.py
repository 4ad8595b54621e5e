"""A fast yes/no check of a JSON document against the evidence schema.

jsonschema walks a whole evidence file in ~12 ms, too slow for thousands of bundles, so the
schema is compiled once into Python source (one function per `$defs` entry, plain `if`s and
`for`s) and that source into code. Only the keywords the evidence schema uses are supported,
and any other one refuses to compile, so a schema change can never weaken the check silently.
When a document fails, jsonschema itself explains why (see `labcheck.evidence.reader`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

_IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description"})
_SUPPORTED = frozenset(
    {"type", "required", "properties", "additionalProperties", "items", "const", "enum", "pattern", "$ref"}
)
_TYPE_TESTS = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "null": "{v} is None",
    "boolean": "isinstance({v}, bool)",
    "integer": "(type({v}) is int or isinstance({v}, float) and {v}.is_integer())",
    "number": "(isinstance({v}, (int, float)) and type({v}) is not bool)",
}


class UnsupportedSchema(ValueError):
    pass


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _trivial(node: Mapping[str, Any]) -> bool:
    return not (set(node) - _IGNORED)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.namespace: dict[str, Any] = {"same_json": same_json}
        self.functions: dict[str, str] = {}  # $ref pointer -> function name
        self.sources: list[str] = []
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: Any) -> str:
        name = self.name("c")
        self.namespace[name] = value
        return name

    def function(self, node: Mapping[str, Any]) -> str:
        name = self.name("check")
        lines = [f"def {name}(v0):"]
        self.emit(node, "v0", 1, lines)
        lines.append("    return True")
        self.sources.append("\n".join(lines))
        return name

    def ref(self, pointer: str) -> str:
        if pointer not in self.functions:
            if not pointer.startswith("#/"):
                raise UnsupportedSchema(f"only local $ref is supported, not {pointer!r}")
            target: Any = self.root
            for part in pointer[2:].split("/"):
                target = target[part]
            self.functions[pointer] = f"ref{len(self.functions)}"
            self.namespace_function(self.functions[pointer], target)
        return self.functions[pointer]

    def namespace_function(self, alias: str, node: Mapping[str, Any]) -> None:
        name = self.function(node)
        self.sources.append(f"{alias} = {name}")

    def emit(self, node: Mapping[str, Any], v: str, depth: int, lines: list[str]) -> None:
        unknown = set(node) - _SUPPORTED - _IGNORED
        if unknown:
            raise UnsupportedSchema(f"schema keyword(s) not supported: {', '.join(sorted(unknown))}")
        pad = "    " * depth
        if "$ref" in node:
            lines.append(f"{pad}if not {self.ref(str(node['$ref']))}({v}): return False")
        if "type" in node:
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            tests = " or ".join(_TYPE_TESTS[name].format(v=v) for name in names)
            lines.append(f"{pad}if not ({tests}): return False")
        if "const" in node:
            lines.append(f"{pad}if not same_json({v}, {self.constant(node['const'])}): return False")
        if "enum" in node:
            allowed = list(node["enum"])
            if all(isinstance(item, str) for item in allowed):
                name = self.constant(frozenset(allowed))
                lines.append(f"{pad}if not (isinstance({v}, str) and {v} in {name}): return False")
            else:
                name = self.constant(tuple(allowed))
                lines.append(f"{pad}if not any(same_json({v}, x) for x in {name}): return False")
        if "pattern" in node:
            search = self.constant(re.compile(str(node["pattern"])).search)
            lines.append(f"{pad}if isinstance({v}, str) and {search}({v}) is None: return False")
        if "items" in node and not _trivial(node["items"]):
            item = f"v{depth}"
            lines.append(f"{pad}if isinstance({v}, list):")
            lines.append(f"{pad}    for {item} in {v}:")
            self.emit(node["items"], item, depth + 2, lines)
        if {"required", "properties", "additionalProperties"} & set(node):
            self.emit_object(node, v, depth, lines)

    def emit_object(self, node: Mapping[str, Any], v: str, depth: int, lines: list[str]) -> None:
        pad = "    " * depth
        body: list[str] = []
        inner = pad + "    "
        for name in node.get("required", ()):
            body.append(f"{inner}if {name!r} not in {v}: return False")
        properties: Mapping[str, Any] = node.get("properties", {})
        item = f"v{depth}"
        for name, sub in properties.items():
            if _trivial(sub):
                continue
            body.append(f"{inner}if {name!r} in {v}:")
            body.append(f"{inner}    {item} = {v}[{name!r}]")
            self.emit(sub, item, depth + 2, body)
        extra = node.get("additionalProperties", True)
        if extra is not True:
            known = self.constant(frozenset(properties))
            key = f"k{depth}"
            body.append(f"{inner}for {key}, {item} in {v}.items():")
            body.append(f"{inner}    if {key} not in {known}:")
            if extra is False:
                body.append(f"{inner}        return False")
            else:
                body.append(f"{inner}        pass")
                self.emit(extra, item, depth + 3, body)
        if body:
            lines.append(f"{pad}if isinstance({v}, dict):")
            lines += body


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A predicate equivalent to the schema for the keywords listed in _SUPPORTED."""
    compiler = _Compiler(schema)
    entry = compiler.function(schema)
    source = "\n\n".join(compiler.sources)
    exec(compile(source, "<evidence schema>", "exec"), compiler.namespace)
    check: Check = compiler.namespace[entry]
    return check
