"""What a lab pack declares about its environment: nodes and their tools, the images it pulls
and how the kit provides each, the git repositories it clones. Checked as the spec is read."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

from labcheck import i18n
from labcheck.kit.library import LIBRARY_STANDINS
from labcheck.spec.documents import SpecDoc
from labcheck.spec.model import LabImage, LabNode, LabRepository
from labcheck.spec.path_rules import path_problem

DocPath = tuple[str | int, ...]
Problem = Callable[[DocPath, str], None]
Where = Callable[[DocPath], str]


def nodes_of(data: SpecDoc, text: Callable[[object], str | None]) -> tuple[LabNode, ...]:
    """The lab's nodes; `text` reads a description (plain or by language) as the loader reads any."""
    return tuple(
        LabNode(node["name"], text(node.get("description")), tuple(node.get("tools", ())))
        for node in data.get("nodes", [{"name": "host"}])
    )


def images_of(data: SpecDoc, pack: Path, problem: Problem, where: Where) -> tuple[LabImage, ...]:
    images: list[LabImage] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(data.get("images", [])):
        doc_path: DocPath = ("images", index)
        ref = normal_ref(item["ref"])
        if ref in seen:
            problem(
                (*doc_path, "ref"),
                i18n.cli().format(
                    "image '{ref}' is already declared at {where}", ref=item["ref"], where=seen[ref]
                ),
            )
        seen[ref] = where(doc_path)
        standin = item["standin"]
        build_dir: Path | None = None
        library = standin.get("library")
        if "build" in standin:
            build_dir = _pack_folder(pack, standin["build"], (*doc_path, "standin", "build"), problem)
            if build_dir is not None and not (build_dir / "Dockerfile").is_file():
                problem(
                    (*doc_path, "standin", "build"),
                    i18n.cli().format(
                        "the folder '{folder}' has no Dockerfile: a stand-in's build context "
                        "needs one (FROM ${{ALPINE}}, FROM ${{UBUNTU}} or FROM scratch)",
                        folder=standin["build"],
                    ),
                )
        elif library not in LIBRARY_STANDINS:
            close = difflib.get_close_matches(str(library), LIBRARY_STANDINS, n=1)
            t = i18n.cli()
            hint = t.format("did you mean '{suggestion}'? ", suggestion=close[0]) if close else ""
            problem(
                (*doc_path, "standin", "library"),
                t.format(
                    "the kit's library has no stand-in '{library}'; {hint}"
                    "it has {standins} (or give a build folder of the pack)",
                    library=library,
                    hint=hint,
                    standins=", ".join(LIBRARY_STANDINS),
                ),
            )
        if "args" in standin and build_dir is None and "build" not in standin:
            problem(
                (*doc_path, "standin", "args"),
                i18n.cli().gettext("args go with a build folder, not a library stand-in"),
            )
        args = tuple((key, str(value)) for key, value in sorted(standin.get("args", {}).items()))
        images.append(LabImage(ref, build_dir, args, library, where(doc_path)))
    return tuple(images)


def repositories_of(data: SpecDoc, pack: Path, problem: Problem, where: Where) -> tuple[LabRepository, ...]:
    repositories: list[LabRepository] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(data.get("repositories", [])):
        doc_path: DocPath = ("repositories", index)
        url = normal_url(item["url"])
        if url in seen:
            problem(
                (*doc_path, "url"),
                i18n.cli().format(
                    "repository '{url}' is already declared at {where}", url=item["url"], where=seen[url]
                ),
            )
        seen[url] = where(doc_path)
        content = _pack_folder(pack, item["content"], (*doc_path, "content"), problem)
        if content is not None and not any(p.is_file() for p in content.rglob("*")):
            problem(
                (*doc_path, "content"),
                i18n.cli().format("the folder '{folder}' holds no file to serve", folder=item["content"]),
            )
        repositories.append(LabRepository(url, content or pack / item["content"], where(doc_path)))
    return tuple(repositories)


def normal_ref(ref: str) -> str:
    """`alpine` and `alpine:latest` are one image; a digest or another tag is another."""
    last = ref.rsplit("/", 1)[-1]
    return ref if (":" in last or "@" in ref) else f"{ref}:latest"


def normal_url(url: str) -> str:
    return url.rstrip("/").removesuffix(".git")


def _pack_folder(pack: Path, relative: str, doc_path: DocPath, problem: Problem) -> Path | None:
    """The folder inside the pack, or None after saying why it cannot be used. Nothing under it
    may lead outside the pack (a symlink out would let a pack copy the host's files into an image)."""
    t = i18n.cli()
    rule = path_problem(relative)
    if rule is not None:
        problem(doc_path, t.format("the folder '{folder}' {rule}", folder=relative, rule=rule))
        return None
    base = pack.resolve()
    folder = (pack / relative).resolve()
    if not folder.is_relative_to(base):
        problem(
            doc_path,
            t.format(
                "the folder '{folder}' leads outside the pack (through a symlink): not used", folder=relative
            ),
        )
        return None
    if not folder.is_dir():
        problem(
            doc_path,
            t.format(
                "the folder '{folder}' is not in the pack (looked for {looked})",
                folder=relative,
                looked=pack / relative,
            ),
        )
        return None
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            entry = Path(root) / name
            if entry.is_symlink() and not entry.resolve().is_relative_to(base):
                inner = entry.relative_to(pack)
                problem(doc_path, t.format("'{inner}' is a symlink out of the pack: not used", inner=inner))
                return None
    return folder
