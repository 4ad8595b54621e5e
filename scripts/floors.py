"""Print a pip constraints file pinning every dependency of pyproject.toml to its declared floor.

`name>=X` becomes `name==X`: installed with `pip install -c`, the project runs on the oldest
versions it claims to support (scripts/floors.sh runs the tests there).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(?:[^,;]*,)?\s*>=\s*([^,;\s]+)")


def floors(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        found = FLOOR.match(requirement)
        if found is None:
            raise SystemExit(f"floors: {requirement!r} has no lower bound (>=): declare one")
        pins.append(f"{found.group(1)}=={found.group(3)}")
    return pins


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    print("\n".join(floors(root / "pyproject.toml")))
