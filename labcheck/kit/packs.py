"""What a set of lab packs needs from the offline kit: stand-ins, git repositories, node tools.

Everything here is read from the packs' specs (`images:`, `repositories:`, node `tools:`); the
kit itself knows no lab. A stand-in or repository two labs declare alike is provided once; two
labs declaring the same image or URL differently is an error naming both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths
from labcheck.kit.assets_dir import dir_digest
from labcheck.kit.library import BASE_BUILD_ARGS, LIBRARY_STANDINS
from labcheck.runner.lab_images import ImagePull, image_pulls
from labcheck.spec.model import Lab, LabImage
from labcheck.spec.pack import normal_ref

_ARG_USE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)\}?")


@dataclass(frozen=True)
class StandIn:
    """One image the kit's registry serves in place of the one a lab pulls."""

    replaces: str  # the lab's reference, normalised: "example/web:1.0", "alpine:latest"
    library: str | None  # a stand-in of the kit's library, or None for a pack's build folder
    build_dir: Path | None
    build_args: tuple[tuple[str, str], ...]
    bases: tuple[str, ...]  # library stand-ins the build starts from (ALPINE, UBUNTU)
    labs: tuple[str, ...]
    location: str

    @property
    def repository(self) -> str:
        return split_ref(self.replaces)[0]

    @property
    def tag(self) -> str:
        return split_ref(self.replaces)[1]

    @property
    def pushed_ref(self) -> str:
        return f"{paths.HOST_REGISTRY}/{self.repository}:{self.tag}"

    def content_key(self) -> str:
        """What makes two declarations the same stand-in, wherever their packs are."""
        source = dir_digest(self.build_dir) if self.build_dir is not None else ""
        text = f"{self.library}\n{source}\n{self.build_args}"
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Repository:
    url: str
    content_dir: Path
    labs: tuple[str, ...]
    location: str

    @property
    def mirror_path(self) -> str:
        """Where under the kit's git root the bare repo lives: host/path.git, as the URL says."""
        return self.url.removeprefix("https://") + ".git"


@dataclass(frozen=True)
class KitNeeds:
    standins: tuple[StandIn, ...]  # library ones first, so builds find their bases
    repositories: tuple[Repository, ...]
    tools: tuple[str, ...]
    nodes: tuple[str, ...]


def split_ref(ref: str) -> tuple[str, str]:
    """("library/web", "1.25") for "web:1.25": the registry path and the tag or digest."""
    name = ref.removeprefix("docker.io/")
    if "@" in name:
        repository, reference = name.split("@", 1)
    else:
        last = name.rsplit("/", 1)[-1]
        repository, reference = name.rsplit(":", 1) if ":" in last else (name, "latest")
    if "/" not in repository:
        repository = f"library/{repository}"
    return repository, reference


def _bases_of(image: LabImage) -> tuple[str, ...]:
    if image.build_dir is None:
        return ()
    text = (image.build_dir / "Dockerfile").read_text(errors="replace")
    used = set(_ARG_USE.findall(text))
    return tuple(library for arg, library in BASE_BUILD_ARGS.items() if arg in used)


def _standin_of(image: LabImage, lab: Lab) -> StandIn:
    bases = _bases_of(image)
    return StandIn(
        image.ref, image.library, image.build_dir, image.build_args, bases, (lab.id,), image.location
    )


def library_standin(name: str, wanted_by: str) -> StandIn:
    return StandIn(normal_ref(name), name, None, (), (), (), f"the kit's library (a base of {wanted_by})")


def needs_of(labs: Sequence[Lab]) -> KitNeeds:
    standins: dict[str, StandIn] = {}
    for lab in labs:
        for image in lab.images:
            wanted = _standin_of(image, lab)
            known = standins.get(wanted.replaces)
            if known is None:
                standins[wanted.replaces] = wanted
            elif known.content_key() != wanted.content_key():
                raise KitError(
                    cli().format(
                        "{where}: lab {lab} declares a stand-in for {image} that differs "
                        "from the one declared at {other} (lab {labs}); the kit "
                        "serves one image per reference: make them the same, or share a library stand-in",
                        where=wanted.location,
                        lab=lab.id,
                        image=image.ref,
                        other=known.location,
                        labs=", ".join(known.labs),
                    )
                )
            else:
                standins[wanted.replaces] = StandIn(
                    known.replaces,
                    known.library,
                    known.build_dir,
                    known.build_args,
                    known.bases,
                    (*known.labs, lab.id),
                    known.location,
                )
    for standin in list(standins.values()):
        for base in standin.bases:
            standins.setdefault(normal_ref(base), library_standin(base, standin.replaces))
    ordered = sorted(standins.values(), key=lambda s: (s.library is None, s.replaces))
    return KitNeeds(tuple(ordered), _repositories(labs), _tools(labs), _nodes(labs))


def _repositories(labs: Sequence[Lab]) -> tuple[Repository, ...]:
    found: dict[str, Repository] = {}
    for lab in labs:
        for repo in lab.repositories:
            known = found.get(repo.url)
            if known is None:
                found[repo.url] = Repository(repo.url, repo.content_dir, (lab.id,), repo.location)
            elif dir_digest(known.content_dir) != dir_digest(repo.content_dir):
                raise KitError(
                    cli().format(
                        "{where}: lab {lab} serves {url} with other files than "
                        "{other} (lab {labs}); the kit serves one content per URL",
                        where=repo.location,
                        lab=lab.id,
                        url=repo.url,
                        other=known.location,
                        labs=", ".join(known.labs),
                    )
                )
            else:
                labs_now = (*known.labs, lab.id)
                found[repo.url] = Repository(known.url, known.content_dir, labs_now, known.location)
    return tuple(found.values())


def _tools(labs: Sequence[Lab]) -> tuple[str, ...]:
    return tuple(sorted({tool for lab in labs for tool in lab.tools}))


def _nodes(labs: Sequence[Lab]) -> tuple[str, ...]:
    """The nodes the labs name, in order; a lab without nodes runs on any one of them."""
    names = dict.fromkeys(name for lab in labs for name in lab.nodes if name != "host")
    return tuple(names) or ("node1",)


def is_docker_hub(ref: str) -> bool:
    first, sep, _ = ref.partition("/")
    return not (sep and ("." in first or ":" in first or first == "localhost") and first != "docker.io")


def declared(lab: Lab, ref: str) -> LabImage | None:
    wanted = normal_ref(ref)
    return next((image for image in lab.images if image.ref == wanted), None)


def cannot_provide(lab: Lab, pull: ImagePull) -> str:
    """Why the kit cannot serve an image a lab pulls, and how the lab's author fixes it."""
    name = pull.ref.split(":", 1)[0].rsplit("/", 1)[-1]
    libraries = ", ".join(LIBRARY_STANDINS)
    return cli().format(
        "{where}: lab {lab} pulls {image}, which the offline kit cannot provide: declare "
        "it in the lab's `images:` with a stand-in, either a folder of the pack with a Dockerfile "
        "(FROM ${{ALPINE}}, FROM ${{UBUNTU}} or FROM scratch), "
        "`- {{ref: {image}, standin: {{build: standins/{name}}}}}`, or a stand-in of the kit's "
        "library ({libraries}), `- {{ref: {image}, standin: {{library: alpine}}}}`; "
        "then run `labcheck kit up {folder}`",
        where=pull.where,
        lab=lab.id,
        image=pull.ref,
        name=name,
        libraries=libraries,
        folder=lab.path.parent,
    )


def undeclared_pulls(lab: Lab, served: set[str]) -> list[ImagePull]:
    """Docker Hub images the lab pulls that it does not declare and the registry does not hold."""
    return [
        pull
        for pull in image_pulls(lab)
        if is_docker_hub(pull.ref) and declared(lab, pull.ref) is None and normal_ref(pull.ref) not in served
    ]
