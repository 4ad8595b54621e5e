"""Stand-in images for the images lab packs pull, built locally and pushed to the kit's registry,
then removed from the host engine so the lab's own pulls are real pulls."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from labcheck.dockercli import classic_build_env, docker_cli, run_docker
from labcheck.errors import KitError, LabcheckError
from labcheck.i18n import cli
from labcheck.kit import package_cache, paths, registry_client, rootfs
from labcheck.kit.assets_dir import asset_dir, dir_digest
from labcheck.kit.library import BASE_BUILD_ARGS
from labcheck.kit.packs import StandIn, split_ref
from labcheck.spec.pack import normal_ref

Progress = Callable[[str], None]


def _labels(standin: StandIn) -> dict[str, str]:
    return {paths.STANDIN_LABEL: "true", paths.STANDIN_OF_LABEL: standin.replaces}


def _recipe(standin: StandIn, base_digests: dict[str, str]) -> str:
    """A hash of everything that shapes the image: a change in any of it means a rebuild."""
    parts: list[str] = [standin.replaces, str(standin.library), json.dumps(standin.build_args)]
    if standin.library in _LIBRARY_ASSETS:
        parts.append(dir_digest(asset_dir(_LIBRARY_ASSETS[standin.library])))
    if standin.library in ("alpine", "ubuntu"):
        parts.append(package_cache.sources_line())  # where its package manager installs from
    if standin.build_dir is not None:
        parts.append(dir_digest(standin.build_dir))
    parts += [f"{base}={base_digests.get(base, '')}" for base in standin.bases]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# The library stand-ins made from a folder of the kit's assets.
_LIBRARY_ASSETS = {"alpine": "alpine", "hello-world": "hello-world"}


def _record_file() -> Path:
    return paths.registry_dir() / "standins.json"


def _load_records() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_record_file().read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_records(records: dict[str, dict[str, str]]) -> None:
    _record_file().parent.mkdir(parents=True, exist_ok=True)
    _record_file().write_text(json.dumps(records, indent=2, sort_keys=True) + "\n")


def registry_digest(standin: StandIn) -> str | None:
    return registry_client.manifest_digest(paths.HOST_REGISTRY, standin.repository, standin.tag)


def _docker_build(
    context: Path, tag: str, labels: dict[str, str], build_args: dict[str, str] | None = None
) -> None:
    args = ["build", "-q", "--pull=false", "-t", tag]
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    for key, value in (build_args or {}).items():
        args += ["--build-arg", f"{key}={value}"]
    run_docker([*args, str(context)], env=classic_build_env(), timeout=900)


def _build_hello(standin: StandIn, work: Path) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise KitError(
            cli().gettext("a C compiler is needed for the hello-world stand-in: apt-get install -y gcc")
        )
    shutil.copytree(asset_dir("hello-world"), work, dirs_exist_ok=True)
    subprocess.run(
        [
            compiler,
            "-static",
            "-nostdlib",
            "-Os",
            "-fno-stack-protector",
            "-s",
            "-o",
            str(work / "hello"),
            str(work / "hello.c"),
        ],
        check=True,
        capture_output=True,
    )
    _docker_build(work, standin.pushed_ref, _labels(standin))


def _build_alpine(standin: StandIn, work: Path) -> None:
    shutil.copytree(asset_dir("alpine"), work, dirs_exist_ok=True)
    # Its `apk` installs from the kit's package repository, so `apk add` works with no network.
    apk = (work / "apk").read_bytes().replace(b"@PACKAGE_REPOSITORY@", package_cache.REPOSITORY_URL.encode())
    os_release = (
        b'NAME="BusyBox (labcheck stand-in for Alpine Linux)"\nID=busybox\n'
        b'PRETTY_NAME="labcheck offline stand-in for alpine: BusyBox, packages from Debian"\n'
    )
    rootfs.busybox_rootfs_tar(
        work / "rootfs.tar",
        {
            "sbin/apk": (apk, 0o755),
            "etc/os-release": (os_release, 0o644),
            "etc/labcheck-standin": (b"alpine\n", 0o644),
        },
    )
    _docker_build(work, standin.pushed_ref, _labels(standin))


def _build_ubuntu(standin: StandIn, work: Path, progress: Progress) -> None:
    root = rootfs.debian_rootfs(progress)
    # One extra file keeps this layer distinct from the node image's base layer, so the lab's
    # `docker run ubuntu` downloads it instead of finding it already on the engine.
    (work / "etc").mkdir()
    (work / "etc/labcheck-standin").write_text("ubuntu (Debian bookworm minbase)\n")
    # apt-get installs from the kit's package repository, so it works with no network.
    (work / "etc/apt").mkdir()
    (work / "etc/apt/sources.list").write_text(package_cache.sources_line())
    changes = ['CMD ["bash"]'] + [f"LABEL {k}={json.dumps(v)}" for k, v in _labels(standin).items()]
    command = rootfs.tar_stream_command(root, work, ("etc/labcheck-standin", "etc/apt/sources.list"))
    # The rootfs's own sources.list (Debian's archive) is left out; the extra member replaces it.
    command.insert(1, "--exclude=./etc/apt/sources.list")
    tar = subprocess.Popen(command, stdout=subprocess.PIPE)
    cmd = [docker_cli(), "import"]
    for change in changes:
        cmd += ["--change", change]
    proc = subprocess.run(
        [*cmd, "-", standin.pushed_ref], stdin=tar.stdout, capture_output=True, text=True, check=False
    )
    if tar.stdout is not None:
        tar.stdout.close()
    tar.wait()
    if proc.returncode != 0 or tar.returncode != 0:
        raise KitError(
            cli().format("importing the ubuntu stand-in failed: {error}", error=proc.stderr.strip())
        )


def _build_from_pack(standin: StandIn, work: Path) -> None:
    """A pack's own build context, on the library's base images given as build arguments."""
    assert standin.build_dir is not None
    # Symlinks were checked to stay inside the pack when the spec was read: copy what they name.
    shutil.copytree(standin.build_dir, work, dirs_exist_ok=True, symlinks=False)
    build_args = {arg: _base_ref(library) for arg, library in BASE_BUILD_ARGS.items()}
    build_args["STANDIN_OF"] = standin.replaces
    build_args.update(dict(standin.build_args))
    try:
        _docker_build(work, standin.pushed_ref, _labels(standin), build_args)
    except LabcheckError as error:
        raise KitError(
            cli().format(
                "{where}: the stand-in for {image} did not build: {error}",
                where=standin.location,
                image=standin.replaces,
                error=error,
            )
        ) from None


def _base_ref(library: str) -> str:
    repository, tag = split_ref(normal_ref(library))
    return f"{paths.HOST_REGISTRY}/{repository}:{tag}"


def _local_image_exists(ref: str) -> bool:
    return run_docker(["image", "inspect", ref], check=False).returncode == 0


def _build(standin: StandIn, work: Path, progress: Progress) -> None:
    if standin.library == "hello-world":
        _build_hello(standin, work)
    elif standin.library == "alpine":
        _build_alpine(standin, work)
    elif standin.library == "ubuntu":
        _build_ubuntu(standin, work, progress)
    elif standin.build_dir is not None:
        _build_from_pack(standin, work)
    else:
        raise KitError(
            cli().format(
                "{where}: the kit's library has no stand-in {name!r}",
                where=standin.location,
                name=standin.library,
            )
        )


def ensure(wanted: Sequence[StandIn], progress: Progress) -> tuple[list[str], list[str]]:
    """Make the registry hold every wanted stand-in. Returns (built, reused) lists of references."""
    records = _load_records()
    built: list[str] = []
    reused: list[str] = []
    created_locally: list[str] = []
    digests: dict[str, str] = {}  # library name -> its digest in the registry, for bases
    try:
        for standin in wanted:
            recipe = _recipe(standin, digests)
            current = registry_digest(standin)
            record = records.get(standin.replaces, {})
            if current and record.get("recipe") == recipe and record.get("digest") == current:
                reused.append(standin.replaces)
                if standin.library is not None and standin.replaces == normal_ref(standin.library):
                    digests[standin.library] = current
                continue
            progress(cli().format("building stand-in for {image}", image=standin.replaces))
            for base in standin.bases:
                if not _local_image_exists(_base_ref(base)):
                    run_docker(["pull", "-q", _base_ref(base)])
                    created_locally.append(_base_ref(base))
            with tempfile.TemporaryDirectory(prefix="labcheck-standin-") as tmp:
                _build(standin, Path(tmp), progress)
            created_locally.append(standin.pushed_ref)
            progress(cli().format("pushing {image}", image=standin.pushed_ref))
            run_docker(["push", standin.pushed_ref])
            digest = registry_digest(standin)
            if digest is None:
                raise KitError(
                    cli().format(
                        "{image} was pushed but the registry does not list it", image=standin.pushed_ref
                    )
                )
            records[standin.replaces] = {"recipe": recipe, "digest": digest}
            _save_records(records)
            built.append(standin.replaces)
            if standin.library is not None and standin.replaces == normal_ref(standin.library):
                digests[standin.library] = digest
    finally:
        # The lab must pull these through the mirror: none may stay on the host engine.
        if created_locally:
            run_docker(["image", "rm", *dict.fromkeys(created_locally)], check=False)
    return built, reused
