"""The evidence's JSON Schema, generated from the model: `schema.json` is this, written down.

`python -m labcheck.evidence.published_schema` rewrites the packaged file after a change to
`labcheck.evidence.model`; a test keeps the two equal, so the published schema can never say
something the reader does not enforce.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import msgspec

from labcheck.evidence.model import Evidence
from labcheck.json_values import as_mapping

SCHEMA_FILE = Path(__file__).with_name("schema.json")
SCHEMA_ID = "https://labcheck.example/schemas/evidence-2.json"


def _settled(node: object) -> object:
    """The same schema whichever msgspec made it: releases differ in how they indent a
    docstring's description and in which order they list the branches of `X | None`."""
    if isinstance(node, list):
        return [_settled(item) for item in node]
    if not isinstance(node, dict):
        return node
    settled = {str(key): _settled(value) for key, value in node.items()}
    if isinstance(description := settled.get("description"), str):
        settled["description"] = inspect.cleandoc(description)
    if isinstance(branches := settled.get("anyOf"), list):
        settled["anyOf"] = sorted(
            branches, key=lambda branch: (branch == {"type": "null"}, json.dumps(branch))
        )
    return settled


def generated_schema() -> dict[str, object]:
    schema = as_mapping(_settled(msgspec.json.schema(Evidence)))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "labcheck evidence, format 2",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(generated_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    main()
