"""The labs that ship with labcheck, found by id in a checkout and in an installed package alike.

The repository keeps them in `specs/` at its top level; a wheel or an sdist install puts the
same folder inside the package as `labcheck/bundled_specs/` (setup.py copies it at build time).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import LabNotFound
from labcheck.i18n import N_, cli
from labcheck.spec.loader import SPEC_FILE_NAMES, load_lab

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED_SPECS = PACKAGE_DIR / "bundled_specs"
CHECKOUT_SPECS = PACKAGE_DIR.parent / "specs"
LIST_HINT = N_("`labcheck labs` lists the bundled labs")  # said in the locale's words where used


def bundled_root() -> Path:
    """Where the bundled labs are: inside the installed package, else the checkout's specs/."""
    return INSTALLED_SPECS if INSTALLED_SPECS.is_dir() else CHECKOUT_SPECS


def bundled_spec_files() -> list[Path]:
    root = bundled_root()
    return sorted(p for p in root.glob("*/lab.y*ml") if p.name in SPEC_FILE_NAMES)


@dataclass(frozen=True)
class BundledLab:
    id: str
    title: str
    version: str
    nodes: tuple[str, ...]
    steps: int
    path: Path

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "nodes": list(self.nodes),
            "steps": self.steps,
            "path": str(self.path),
        }


def bundled_labs() -> list[BundledLab]:
    labs = []
    for spec in bundled_spec_files():
        lab = load_lab(spec)
        labs.append(BundledLab(lab.id, lab.title, lab.version, lab.nodes, len(lab.steps), spec))
    return labs


def bundled_lab(lab_id: str) -> BundledLab | None:
    return next((lab for lab in bundled_labs() if lab.id == lab_id), None)


def _looks_like_an_id(text: str) -> bool:
    return bool(text) and "/" not in text and "\\" not in text and not text.startswith(".")


def spec_argument(text: str) -> Path:
    """A spec given on the command line: an existing path wins; else a bundled lab's id.
    Anything else comes back unchanged, so the loader names the missing file itself."""
    path = Path(text)
    if path.exists() or not _looks_like_an_id(text):
        return path
    found = bundled_lab(text)
    return found.path.parent if found is not None else path


def run_argument(text: str) -> Path:
    """A spec for `labcheck run`: a spec file, a folder holding specs (at any depth), or an id."""
    t = cli()
    path = spec_argument(text)
    if path.is_file():
        return path
    if path.is_dir():
        if not any(found.name in SPEC_FILE_NAMES for found in path.rglob("lab.y*ml")):
            names = t.gettext(" or ").join(SPEC_FILE_NAMES)
            raise LabNotFound(
                t.format(
                    "{path}: no lab here: looked for {names} in this folder and below it",
                    path=text,
                    names=names,
                )
            )
        return path
    if _looks_like_an_id(text):
        raise LabNotFound(
            t.format(
                "{path}: no such file or folder, and no bundled lab has that id ({hint})",
                path=text,
                hint=t.gettext(LIST_HINT),
            )
        )
    raise LabNotFound(t.format("{path}: no such file or folder", path=text))
