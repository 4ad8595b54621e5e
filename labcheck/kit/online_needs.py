"""What `kit up --online` fetches from the internet for some labs: checked before a class with
`labcheck kit status --online --dry-run`, with no engine and no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labcheck.i18n import Translator, cli
from labcheck.kit.nodes import ONLINE_BASE_IMAGE
from labcheck.kit.packs import split_ref
from labcheck.kit.source import DOCKER_HUB
from labcheck.spec.model import Lab

NODE_IMAGE_USER = "node image"  # who needs debian:bookworm, in the JSON's English


@dataclass(frozen=True)
class OnlineNeed:
    kind: str  # "image" (from Docker Hub) or "repository" (a git clone)
    name: str  # the image's repository on Docker Hub (library/alpine), or the repository's URL
    tag: str  # an image's tag or digest; "" for a repository
    needed_by: tuple[str, ...]  # lab ids, or "node image"

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "tag": self.tag, "needed_by": list(self.needed_by)}


def online_needs(labs: Sequence[Lab]) -> list[OnlineNeed]:
    """Every image (Docker Hub repository and tag) and git repository the labs take from the
    internet when the kit is up --online, and the node image's own base."""
    images: dict[tuple[str, str], list[str]] = {split_ref(ONLINE_BASE_IMAGE): [NODE_IMAGE_USER]}
    repositories: dict[str, list[str]] = {}
    for lab in labs:
        for image in lab.images:
            images.setdefault(split_ref(image.ref), []).append(lab.id)
        for repository in lab.repositories:
            repositories.setdefault(repository.url, []).append(lab.id)
    found = [
        OnlineNeed("image", name, tag, tuple(dict.fromkeys(users))) for (name, tag), users in images.items()
    ]
    found += [
        OnlineNeed("repository", url, "", tuple(dict.fromkeys(users))) for url, users in repositories.items()
    ]
    return found


def render(needs: Sequence[OnlineNeed], t: Translator | None = None) -> str:
    t = t or cli()

    def users(need: OnlineNeed) -> str:
        names = (t.gettext("the node image") if name == NODE_IMAGE_USER else name for name in need.needed_by)
        return t.format("for {users}", users=", ".join(names))

    lines = [t.format("`labcheck kit up --online` needs from Docker Hub ({address}):", address=DOCKER_HUB)]
    width = max((len(f"{n.name}:{n.tag}") for n in needs if n.kind == "image"), default=0)
    for need in needs:
        if need.kind == "image":
            lines.append(f"  {need.name + ':' + need.tag:<{width}}  {users(need)}")
    repos = [n for n in needs if n.kind == "repository"]
    if repos:
        lines.append(t.gettext("and these git repositories:"))
        lines += [f"  {n.name}  {users(n)}" for n in repos]
    return "\n".join(lines)
