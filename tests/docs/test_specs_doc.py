"""docs/specs.md is the format's complete reference: every YAML example in it validates, every key
of the schema has its row in a table and is used by an example, every capture source too."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from labcheck.errors import SpecInvalid
from labcheck.spec.loader import load_lab
from labcheck.spec.yaml_lines import load_with_lines
from tests.docs.schema_keys import all_keys, enum_values, format_schema, keys_used

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "specs.md"
SKELETON: dict[str, Any] = {
    "labcheck": 1,
    "lab": {"id": "example", "title": "Example", "language": "en", "version": "1"},
    "nodes": [{"name": "node1"}, {"name": "node2"}],
    "sections": [{"number": "1", "title": "Example", "steps": []}],
}
_FENCE = re.compile(r"^```yaml (spec|steps|top)\n(.*?)^```$", re.S | re.M)


def examples() -> list[tuple[str, str, int]]:
    text = DOC.read_text(encoding="utf-8")
    return [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in _FENCE.finditer(text)]


def as_spec(kind: str, body: str) -> dict[str, Any]:
    data, _ = load_with_lines(body)  # labcheck's own YAML reading (`on:` is a key, not a boolean)
    if kind == "spec":
        assert isinstance(data, dict)
        return data
    spec = copy.deepcopy(SKELETON)
    if kind == "steps":
        spec["sections"][0]["steps"] = data
    else:
        if "sections" not in data:
            spec["sections"][0]["steps"] = [
                {"id": "noop", "title": "Nothing", "run": "true", "expect": {"exit_code": 0}}
            ]
        spec.update(data)
    return spec


def _pack_for(spec: dict[str, Any], folder: Path) -> Path:
    """The pack around an example: the files, stand-in folders and repositories it names."""
    for item in spec.get("files", []):
        (folder / item["path"]).parent.mkdir(parents=True, exist_ok=True)
        (folder / item["path"]).write_text("x\n", encoding="utf-8")
    for image in spec.get("images", []):
        if "build" in image["standin"]:
            (folder / image["standin"]["build"]).mkdir(parents=True, exist_ok=True)
            (folder / image["standin"]["build"] / "Dockerfile").write_text(
                "FROM ${ALPINE}\n", encoding="utf-8"
            )
    for repository in spec.get("repositories", []):
        (folder / repository["content"]).mkdir(parents=True, exist_ok=True)
        (folder / repository["content"] / "README").write_text("x\n", encoding="utf-8")
    path = folder / "lab.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_doc_has_examples_of_each_form() -> None:
    assert {kind for kind, _, _ in examples()} == {"spec", "steps", "top"}
    assert len(examples()) >= 15


@pytest.mark.parametrize(
    ("kind", "body", "line"), examples(), ids=lambda v: str(v) if isinstance(v, int) else None
)
def test_every_example_validates(kind: str, body: str, line: int, tmp_path: Path) -> None:
    spec = _pack_for(as_spec(kind, body), tmp_path)
    try:
        load_lab(spec)
    except SpecInvalid as error:
        pytest.fail(f"docs/specs.md:{line}: the example does not validate:\n{error}")


def _documented() -> set[str]:
    """The keys the doc's tables name, each as a row's first cell: | `step.timeout` | ... |"""
    text = DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_.\[\]]+)` \|", text, re.M))


def test_every_key_of_the_schema_has_its_row() -> None:
    schema_keys = all_keys(format_schema())
    missing = sorted(schema_keys - _documented())
    assert not missing, f"keys of the schema docs/specs.md does not document: {missing}"
    stale = sorted(_documented() - schema_keys)
    assert not stale, f"docs/specs.md documents keys the schema does not have: {stale}"


def test_every_key_and_capture_source_is_used_by_an_example() -> None:
    schema = format_schema()
    used: set[str] = set()
    for kind, body, _ in examples():
        used |= keys_used(schema, as_spec(kind, body))
    sources = {f"capture.from={value}" for value in enum_values(schema, "capture", "from")}
    unused = sorted((all_keys(schema) | sources) - used)
    assert not unused, f"keys of the schema no example of docs/specs.md uses: {unused}"


def test_a_key_the_schema_gains_fails_until_documented() -> None:
    schema = format_schema()
    grown = copy.deepcopy(schema)
    grown["$defs"]["step"]["properties"]["stop_when"] = {"type": "string"}
    assert "step.stop_when" in all_keys(grown) - _documented()


def test_the_readme_points_to_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/specs.md" in readme.split("## The spec format", 1)[1].split("\n## ", 1)[0]
