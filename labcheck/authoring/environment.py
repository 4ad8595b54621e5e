"""What a lab needs before it can run: the images it pulls or starts and the repositories it
clones, with the stand-ins the offline kit lacks marked as missing.

Until the lab-pack format has `images:` and `repositories:` keys this is written as a comment
block; `environment_lines` is the one place to change when it does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from labcheck.authoring.draft import Draft
from labcheck.authoring.shell_lines import built_tag, cloned_repository, pulled_image, run_image, words
from labcheck.authoring.yaml_text import comment_text

HEADING = "# environment (to declare once the lab-pack format lands):"
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.I | re.M)


@dataclass(frozen=True)
class Environment:
    images: tuple[str, ...]
    repositories: tuple[str, ...]


def _normal(ref: str) -> str:
    name = ref.removeprefix("docker.io/").removeprefix("library/")
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _kit_standins() -> frozenset[str]:
    # What `labcheck kit up` provides by default: the library and every bundled pack's stand-ins.
    from labcheck.kit.api import bundled_lab_specs
    from labcheck.kit.library import LIBRARY_STANDINS
    from labcheck.kit.packs import needs_of

    served = {standin.replaces for standin in needs_of(bundled_lab_specs()).standins}
    return frozenset(_normal(ref) for ref in (*served, *LIBRARY_STANDINS))


def _kit_repositories() -> frozenset[str]:
    from labcheck.kit.api import bundled_lab_specs

    urls = {repo.url for lab in bundled_lab_specs() for repo in lab.repositories}
    return frozenset({*urls, *(url + ".git" for url in urls)})


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
    return Environment(tuple(ref for ref in images if _normal(ref) not in made), tuple(repositories))


def environment_lines(environment: Environment) -> list[str]:
    """The environment as lab.yaml lines (today a comment block) and how many stand-ins are missing."""
    if not environment.images and not environment.repositories:
        return []
    known = _kit_standins()
    lines = [HEADING]
    if environment.images:
        lines.append("#   images:")
        for ref in environment.images:
            shown = comment_text(ref)
            if _normal(ref) in known:
                lines.append(f"#     - {{ref: {shown}, standin: kit}}")
            else:
                lines.append(
                    f"#     - {{ref: {shown}, standin: TODO}}  # missing: the offline kit has no stand-in"
                )
    if environment.repositories:
        lines.append("#   repositories:")
        for url in environment.repositories:
            if url in _kit_repositories():
                lines.append(f"#     - {{url: {comment_text(url)}, content: kit}}")
            else:
                lines.append(f"#     - {{url: {comment_text(url)}, content: TODO}}  # missing: its files")
    return lines


def missing(environment: Environment) -> list[str]:
    known = _kit_standins()
    absent = [
        f"image «{ref}»: no stand-in in the offline kit"
        for ref in environment.images
        if _normal(ref) not in known
    ]
    absent += [
        f"repository «{url}»: its content is to be provided in the pack"
        for url in environment.repositories
        if url not in _kit_repositories()
    ]
    return absent
