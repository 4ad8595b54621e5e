"""What a lab needs before it can run: the images it pulls or starts and the repositories it
clones, written as the pack's real `images:` and `repositories:` keys.

An image of the kit's library is declared with it; an image or a repository a bundled lab pack
already provides is declared the way that pack does, its stand-in folder or its content copied
into the new pack (a pack is self-contained); anything else is left as a commented entry marked
missing, so `labcheck validate` (with the kit up) and the run's pre-flight name it."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.draft import Draft
from labcheck.authoring.shell_lines import built_tag, cloned_repository, pulled_image, run_image, words
from labcheck.authoring.yaml_text import comment_text, scalar

_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.I | re.M)


@dataclass(frozen=True)
class Environment:
    images: tuple[str, ...]
    repositories: tuple[str, ...]


def _normal(ref: str) -> str:
    name = ref.removeprefix("docker.io/").removeprefix("library/")
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


@dataclass(frozen=True)
class Provided:
    """How the new pack declares one image or repository, and the folder it copies for it."""

    entry: str  # the YAML flow mapping of its `images:` or `repositories:` item
    copy_from: Path | None = None
    copy_to: str | None = None


@dataclass
class _Known:
    images: dict[str, Provided] = field(default_factory=dict)
    repositories: dict[str, Provided] = field(default_factory=dict)


def _flow_args(args: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"{name}: {scalar(value)}" for name, value in args) + "}"


@cache
def _known() -> _Known:
    """The kit's library, and what every bundled lab pack declares (its folders to copy)."""
    from labcheck.kit.api import bundled_lab_specs
    from labcheck.kit.library import LIBRARY_STANDINS

    known = _Known()
    for name in LIBRARY_STANDINS:
        known.images[_normal(name)] = Provided(f"standin: {{library: {name}}}")
    for lab in bundled_lab_specs():
        for image in lab.images:
            if image.library is not None:
                entry = f"standin: {{library: {image.library}}}"
                known.images.setdefault(_normal(image.ref), Provided(entry))
            elif image.build_dir is not None:
                folder = f"standins/{image.build_dir.name}"
                args = f", args: {_flow_args(image.build_args)}" if image.build_args else ""
                provided = Provided(f"standin: {{build: {scalar(folder)}{args}}}", image.build_dir, folder)
                known.images.setdefault(_normal(image.ref), provided)
        for repository in lab.repositories:
            folder = f"repos/{repository.content_dir.name}"
            provided = Provided(f"content: {scalar(folder)}", repository.content_dir, folder)
            for url in (repository.url, repository.url + ".git"):
                known.repositories.setdefault(url, provided)
    return known


def gather(draft: Draft) -> Environment:
    images: list[str] = []
    made: set[str] = set()
    repositories: list[str] = []
    for step in draft.steps:
        command = step.command
        if tag := built_tag(command):
            made.add(_normal(tag))
        parts = words(command)
        if parts[:3] == ["docker", "image", "tag"] or parts[:2] == ["docker", "tag"]:
            made.update(_normal(part) for part in parts[-1:])
        if parts[:3] == ["docker", "container", "commit"] or parts[:2] == ["docker", "commit"]:
            made.update(_normal(part) for part in parts[3 if parts[1] == "container" else 2 :][1:2])
        for ref in (pulled_image(command), run_image(command)):
            if ref and "${{" not in ref and ref not in images:
                images.append(ref)
        if (url := cloned_repository(command)) and url not in repositories:
            repositories.append(url)
    for lab_file in draft.files:
        if lab_file.path.lower().startswith("dockerfile"):
            for ref in _FROM.findall(lab_file.content):
                if ref.lower() != "scratch" and ref not in images:
                    images.append(ref)
    kept = {_normal(ref): ref for ref in reversed(images) if _normal(ref) not in made}  # first spelling
    return Environment(tuple(ref for ref in images if kept.get(_normal(ref)) == ref), tuple(repositories))


def environment_lines(environment: Environment) -> list[str]:
    """The pack's `images:` and `repositories:` keys; what nothing provides, commented, marked missing."""
    known = _known()
    lines: list[str] = []
    for key, items, table, field_name in (
        ("images", environment.images, known.images, "ref"),
        ("repositories", environment.repositories, known.repositories, "url"),
    ):
        if not items:
            continue
        provided = [
            (item, table[_normal(item) if key == "images" else item])
            for item in items
            if (_normal(item) if key == "images" else item) in table
        ]
        lines.append("")
        lines.append(f"{key}:" if provided else f"# {key}:")
        for item, how in provided:
            lines.append(f"  - {{{field_name}: {scalar(item)}, {how.entry}}}")
        for item in items:
            if (_normal(item) if key == "images" else item) in table:
                continue
            todo = "standin: {build: standins/TODO}" if key == "images" else "content: repos/TODO"
            bullet = "  # - " if provided else "#   - "
            lines.append(
                f"{bullet}{{{field_name}: {scalar(comment_text(item))}, {todo}}}  # missing: {_MISSING[key]}"
            )
    return lines


_MISSING = {
    "images": "the offline kit has no stand-in for it; write one and uncomment",
    "repositories": "its files; put them in a folder of the pack and uncomment",
}


def copy_provided(environment: Environment, pack: Path) -> None:
    """Copies into the pack the stand-in folders and repository contents its keys name."""
    known = _known()
    wanted = [known.images.get(_normal(ref)) for ref in environment.images]
    wanted += [known.repositories.get(url) for url in environment.repositories]
    for how in wanted:
        if how is None or how.copy_from is None or how.copy_to is None:
            continue
        target = pack / how.copy_to
        if not target.exists():
            shutil.copytree(how.copy_from, target, symlinks=False)


def missing(environment: Environment) -> list[str]:
    known = _known()
    t = i18n.cli()
    absent = [
        t.format(
            "image «{ref}»: no stand-in in the offline kit "
            "(its `images:` entry is commented, marked missing)",
            ref=ref,
        )
        for ref in environment.images
        if _normal(ref) not in known.images
    ]
    absent += [
        t.format(
            "repository «{url}»: its content is to be provided in the pack (its entry is commented)", url=url
        )
        for url in environment.repositories
        if url not in known.repositories
    ]
    return absent
