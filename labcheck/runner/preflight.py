"""Checks made before a run touches any node: each failure is one LabcheckError, and no step runs.

The output folder can be written and has room for the evidence and the report; the engines
answer; with the offline kit, its registry answers and holds every image the lab pulls; on an
engine the user names, every such image is there already or a registry it pulls from answers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from labcheck import i18n
from labcheck.errors import LabcheckError
from labcheck.kit.packs import split_ref
from labcheck.os_error_words import os_error_words
from labcheck.runner.lab_images import image_pulls, images_pulled
from labcheck.runner.targets import local_nodes, no_target_for, refuse_engine_needs
from labcheck.spec.model import Lab

# Room for the evidence (written whole beside the last one), the HTML and the PDF report.
_BASE_BYTES = 1 << 20
_BYTES_PER_STEP = 32 << 10
_DOCKER_HUB = "registry-1.docker.io"


class PreflightFailed(LabcheckError):
    """Something a run needs is missing; nothing has been touched."""


def room_needed(lab: Lab) -> int:
    return _BASE_BYTES + _BYTES_PER_STEP * len(lab.steps)


def check_output_folder(out_dir: Path, lab: Lab) -> None:
    """The folder exists (made if need be), takes a file, and has room for this lab's results."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".labcheck-probe-{os.getpid()}"
        with probe.open("wb") as handle:
            handle.write(b"labcheck")
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
    except OSError as error:
        raise PreflightFailed(
            i18n.cli().format(
                "the output folder {folder} cannot be written ({error}); "
                "choose another with --out (--labcheck-out)",
                folder=out_dir,
                error=os_error_words(error),
            )
        ) from None
    free = shutil.disk_usage(out_dir).free
    needed = room_needed(lab)
    if free < needed:
        t = i18n.cli()
        raise PreflightFailed(
            t.format(
                "the output folder {folder} has {free} free; this lab's evidence and report "
                "need about {needed}: free some space or choose another folder with --out",
                folder=out_dir,
                free=_size(free, t),
                needed=_size(needed, t),
            )
        )


def check_kit(lab: Lab) -> None:
    """The host engine and the kit are up and, offline, the kit's registry serves every image."""
    from labcheck.kit import api as kit
    from labcheck.kit import paths, registry_client

    t = i18n.cli()
    kit.require_up()
    lacking = kit_lacks_tools(lab)
    if lacking:
        raise PreflightFailed(
            t.ngettext(
                "the kit's nodes lack {count} tool lab {lab} needs ({tools}): run `labcheck kit up {folder}`",
                "the kit's nodes lack {count} tools lab {lab} needs ({tools}): "
                "run `labcheck kit up {folder}`",
                len(lacking),
            ).format(count=len(lacking), lab=lab.id, tools=", ".join(lacking), folder=lab.path.parent)
        )
    fed_from = _feeding_registry()
    if fed_from is not None:
        problems = registry_image_problems(lab, fed_from)
        if problems:
            raise PreflightFailed("\n".join(problems))
        return
    if not kit.is_standin_setup():
        return  # online: the nodes pull from Docker Hub, checked when the kit came up
    for address in (paths.HOST_REGISTRY, paths.NODE_REGISTRY):
        if not registry_client.answers(address, timeout=3.0):
            raise PreflightFailed(
                t.format(
                    "the kit's registry does not answer on {address}: "
                    "run `labcheck kit up` (`labcheck kit status` says what is down)",
                    address=address,
                )
            )
    problems = kit_image_problems(lab)
    if problems:
        raise PreflightFailed("\n".join(problems))


def kit_lacks_tools(lab: Lab) -> list[str]:
    """The tools the lab's nodes need that the kit's node image does not carry."""
    from labcheck.kit import engine, nodes

    client = engine.host_client()
    try:
        baked = nodes.node_image_tools(client) or ()
    finally:
        client.close()
    return [tool for tool in lab.tools if tool not in baked]


def kit_image_problems(lab: Lab) -> list[str]:
    """One message per image the lab pulls that the kit's registry does not serve: declared but
    not built yet (run `kit up` for the lab), or not declared (how to add a stand-in)."""
    from labcheck.kit import packs

    problems = []
    for pull in image_pulls(lab):
        if _in_kit_registry(pull.ref):
            continue
        image = packs.declared(lab, pull.ref)
        if image is None:
            problems.append(packs.cannot_provide(lab, pull))
        else:
            problems.append(
                i18n.cli().format(
                    "{where}: lab {lab} pulls {image}, declared at {declared}, but the "
                    "kit's registry does not hold its stand-in yet: run `labcheck kit up {folder}`",
                    where=pull.where,
                    lab=lab.id,
                    image=pull.ref,
                    declared=image.location,
                    folder=lab.path.parent,
                )
            )
    return problems


def _feeding_registry() -> str | None:
    """The registry the kit's nodes are fed from (`kit up --registry URL`), None otherwise."""
    from labcheck.kit import source, state

    record = state.load()
    return record.registry if record is not None and record.mode == source.REGISTRY else None


def registry_image_problems(lab: Lab, url: str) -> list[str]:
    """One message per Docker Hub image the lab pulls that the registry feeding the nodes lacks:
    without it the step's pull fails half-way through the lab, with the registry's words."""
    from labcheck.kit import registry_client

    if not registry_client.answers(url, timeout=5.0):
        return [
            i18n.cli().format(
                "the registry {url} that feeds the kit's nodes does not answer: start it again, or run "
                "`labcheck kit down` and `labcheck kit up` to use the kit's own",
                url=url,
            )
        ]
    problems = []
    for pull in image_pulls(lab):
        if _registry_of(pull.ref) is not None:
            continue  # pulled from the registry it names, not through the nodes' mirror
        repository, reference = split_ref(pull.ref)
        if not registry_client.holds(url, repository, reference):
            problems.append(
                i18n.cli().format(
                    "{where}: lab {lab} pulls {image}, which the registry {url} feeding the "
                    "kit's nodes does not hold ({name}): push it there first",
                    where=pull.where,
                    lab=lab.id,
                    image=pull.ref,
                    url=url,
                    name=f"{repository}:{reference}",
                )
            )
    return problems


def check_named_engines(lab: Lab, hosts: Mapping[str, str]) -> None:
    """Each engine answers; every image the lab pulls is on it already or a registry it uses answers."""
    from labcheck.kit.engine import client_at

    missing = [node for node in lab.nodes if node not in hosts]
    if missing:
        raise PreflightFailed(no_target_for(lab.nodes, missing))
    local = local_nodes(hosts)
    refuse_engine_needs(lab, local)  # a local node is never asked for an engine
    wanted = images_pulled(lab)
    for name in lab.nodes:
        if name in local:
            continue
        client = client_at(hosts[name], timeout=10)
        try:
            absent = [ref for ref in wanted if not _on_engine(client, ref)]
            if not absent:
                continue
            mirrors = [str(m) for m in (client.info().get("RegistryConfig") or {}).get("Mirrors") or []]
        finally:
            client.close()
        registries = [m.rstrip("/").split("://", 1)[-1] for m in mirrors] + [_DOCKER_HUB]
        hub_refs = [ref for ref in absent if _registry_of(ref) is None]
        if hub_refs and not any(_answers_anyhow(address) for address in registries):
            raise PreflightFailed(
                i18n.cli().format(
                    "node {name} ({host}) lacks {images} and no registry it pulls from "
                    "answers ({registries}); pull the images there first or connect it",
                    name=name,
                    host=hosts[name],
                    images=", ".join(hub_refs),
                    registries=", ".join(registries),
                )
            )
        for ref in absent:
            other = _registry_of(ref)
            if other is not None and not _answers_anyhow(other):
                raise PreflightFailed(
                    i18n.cli().format(
                        "node {name} lacks {image} and its registry {registry} does not answer",
                        name=name,
                        image=ref,
                        registry=other,
                    )
                )


def _in_kit_registry(ref: str) -> bool:
    from labcheck.kit import paths, registry_client

    if _registry_of(ref) is not None:
        return True  # not Docker Hub's: the kit's mirror is not where it comes from
    repository, reference = split_ref(ref)
    return registry_client.manifest_digest(paths.HOST_REGISTRY, repository, reference) is not None


def _on_engine(client: object, ref: str) -> bool:
    import docker.errors

    try:
        client.images.get(ref)  # type: ignore[attr-defined]
    except docker.errors.ImageNotFound:
        return False
    except docker.errors.APIError:
        return False
    return True


def _registry_of(ref: str) -> str | None:
    """The registry host a reference names, None for Docker Hub's."""
    first, sep, _ = ref.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost") and first != "docker.io":
        return first
    return None


def _answers_anyhow(address: str) -> bool:
    """A registry a node pulls from answers; a bare host is asked over https first, as Docker does."""
    from labcheck.kit import registry_client

    return registry_client.answers(address, 5.0, schemes=("https", "http"))


def _size(count: int, t: i18n.Translator) -> str:
    return f"{t.decimal(count / (1 << 20), 1)} MB"
