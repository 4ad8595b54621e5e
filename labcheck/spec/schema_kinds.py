"""The spec schema with the registered state check kinds in it.

`schema.json` ships with labcheck's own kinds written in (editors and `check-jsonschema` read
it as it is); the loader validates against the same document with every registered kind's
schema in place of the shipped ones, so a kind from another package is part of the format.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from labcheck.checks.kinds import StateKind
from labcheck.json_values import as_mapping, object_at

# The keys of a state entry that are not a kind (kept as they are).
STATE_ENTRY_KEYS = ("on", "description", "says", "eventually", "requires")


def with_kinds(schema: dict[str, object], kinds: Iterable[StateKind]) -> dict[str, object]:
    """The schema with its state entries' kinds replaced by `kinds`, each its own oneOf branch."""
    assembled = copy.deepcopy(schema)
    entry = object_at(assembled, "$defs", "state_check")
    shared = {key: value for key, value in as_mapping(entry["properties"]).items() if key in STATE_ENTRY_KEYS}
    listed = list(kinds)
    entry["properties"] = {**shared, **{kind.name: copy.deepcopy(dict(kind.schema)) for kind in listed}}
    entry["oneOf"] = [{"required": [kind.name]} for kind in listed]
    return assembled
