"""Files shipped inside the package (the JSON Schemas), read once."""

from __future__ import annotations

from functools import cache
from importlib import resources

from labcheck.json_values import loads_object


@cache
def packaged_json(package: str, name: str) -> dict[str, object]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return loads_object(text)
