"""Lab specs: YAML files, validated by a JSON Schema shipped with the package."""

from __future__ import annotations
