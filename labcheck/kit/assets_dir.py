"""The kit's bundled assets (Dockerfiles, scripts, the stack file) and a digest of them."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


def asset_dir(name: str) -> Path:
    return Path(str(resources.files("labcheck.kit").joinpath("assets", name)))


def dir_digest(directory: Path) -> str:
    """A digest of the files under directory: any change to them means a rebuild."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(directory).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
