"""Stand-in images for every image the bundled lab pulls, built locally and pushed to the kit's
registry, then removed from the host engine so the lab's own pulls are real pulls."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from labcheck.dockercli import classic_build_env, docker_cli, run_docker
from labcheck.errors import KitError
from labcheck.kit import paths, registry, rootfs
from labcheck.kit.assets_dir import asset_dir, dir_digest

Progress = Callable[[str], None]


@dataclass(frozen=True)
class StandIn:
    replaces: str  # the reference the lab uses, e.g. "redis:alpine"
    repository: str  # registry path, e.g. "library/redis"
    tag: str
    kind: str  # "hello", "alpine", "ubuntu", "web" or "idle"
    title: str = ""
    port: int = 80

    @property
    def pushed_ref(self) -> str:
        return f"{paths.HOST_REGISTRY}/{self.repository}:{self.tag}"


STANDINS: tuple[StandIn, ...] = (
    StandIn("hello-world", "library/hello-world", "latest", "hello"),
    StandIn("alpine", "library/alpine", "latest", "alpine"),
    StandIn("ubuntu", "library/ubuntu", "latest", "ubuntu"),
    StandIn("redis:alpine", "library/redis", "alpine", "idle"),
    StandIn("postgres:9.4", "library/postgres", "9.4", "idle"),
    StandIn(
        "dockersamples/examplevotingapp_vote:before",
        "dockersamples/examplevotingapp_vote",
        "before",
        "web",
        title="Cats vs Dogs!",
    ),
    StandIn(
        "dockersamples/examplevotingapp_result:before",
        "dockersamples/examplevotingapp_result",
        "before",
        "web",
        title="Cats vs Dogs -- Result",
    ),
    StandIn(
        "dockersamples/examplevotingapp_worker:latest",
        "dockersamples/examplevotingapp_worker",
        "latest",
        "idle",
    ),
    StandIn(
        "dockersamples/visualizer:stable",
        "dockersamples/visualizer",
        "stable",
        "web",
        title="Swarm visualizer",
        port=8080,
    ),
)

ALPINE = next(s for s in STANDINS if s.kind == "alpine")


def _labels(standin: StandIn) -> dict[str, str]:
    return {paths.STANDIN_LABEL: "true", paths.STANDIN_OF_LABEL: standin.replaces}


def _recipe(standin: StandIn, alpine_digest: str | None) -> str:
    """A hash of everything that shapes the image: a change in any of it means a rebuild."""
    parts: list[str] = [json.dumps(standin.__dict__, sort_keys=True)]
    if standin.kind == "hello":
        parts.append(dir_digest(asset_dir("hello-world")))
    elif standin.kind == "alpine":
        parts.append(dir_digest(asset_dir("alpine")))
    elif standin.kind in ("web", "idle"):
        parts += [dir_digest(asset_dir("voting")), alpine_digest or ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


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
    return registry.manifest_digest(standin.repository, standin.tag)


def _docker_build(
    context: Path, tag: str, labels: dict[str, str], build_args: dict[str, str] | None = None
) -> None:
    args = ["build", "-q", "--pull=false", "-t", tag]
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    for key, value in (build_args or {}).items():
        args += ["--build-arg", f"{key}={value}"]
    run_docker([*args, str(context)], env=classic_build_env())


def _build_hello(standin: StandIn, work: Path) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise KitError("a C compiler is needed for the hello-world stand-in: apt-get install -y gcc")
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
    apk = (work / "apk").read_bytes()
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
    changes = ['CMD ["bash"]'] + [f"LABEL {k}={json.dumps(v)}" for k, v in _labels(standin).items()]
    tar = subprocess.Popen(
        rootfs.tar_stream_command(root, work, ("etc/labcheck-standin",)), stdout=subprocess.PIPE
    )
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
        raise KitError(f"importing the ubuntu stand-in failed: {proc.stderr.strip()}")


def _build_voting(standin: StandIn, work: Path) -> None:
    shutil.copytree(asset_dir("voting"), work, dirs_exist_ok=True)
    _docker_build(
        work,
        standin.pushed_ref,
        _labels(standin),
        {
            "ALPINE": ALPINE.pushed_ref,
            "STANDIN_OF": standin.replaces,
            "STANDIN_TITLE": standin.title or standin.replaces,
            "STANDIN_KIND": standin.kind,
            "STANDIN_PORT": str(standin.port),
        },
    )


def _local_image_exists(ref: str) -> bool:
    return run_docker(["image", "inspect", ref], check=False).returncode == 0


def ensure(progress: Progress) -> tuple[list[str], list[str]]:
    """Make the registry hold every stand-in. Returns (built, reused) lists of references."""
    records = _load_records()
    built: list[str] = []
    reused: list[str] = []
    created_locally: list[str] = []
    alpine_digest: str | None = None
    try:
        for standin in STANDINS:
            recipe = _recipe(standin, alpine_digest)
            current = registry_digest(standin)
            record = records.get(standin.replaces, {})
            if current and record.get("recipe") == recipe and record.get("digest") == current:
                reused.append(standin.replaces)
                if standin.kind == "alpine":
                    alpine_digest = current
                continue
            progress(f"building stand-in for {standin.replaces}")
            if standin.kind in ("web", "idle") and not _local_image_exists(ALPINE.pushed_ref):
                run_docker(["pull", "-q", ALPINE.pushed_ref])
                created_locally.append(ALPINE.pushed_ref)
            with tempfile.TemporaryDirectory(prefix="labcheck-standin-") as tmp:
                work = Path(tmp)
                if standin.kind == "hello":
                    _build_hello(standin, work)
                elif standin.kind == "alpine":
                    _build_alpine(standin, work)
                elif standin.kind == "ubuntu":
                    _build_ubuntu(standin, work, progress)
                else:
                    _build_voting(standin, work)
            created_locally.append(standin.pushed_ref)
            progress(f"pushing {standin.pushed_ref}")
            run_docker(["push", standin.pushed_ref])
            digest = registry_digest(standin)
            if digest is None:
                raise KitError(f"{standin.pushed_ref} was pushed but the registry does not list it")
            records[standin.replaces] = {"recipe": recipe, "digest": digest}
            _save_records(records)
            built.append(standin.replaces)
            if standin.kind == "alpine":
                alpine_digest = digest
    finally:
        # The lab must pull these through the mirror: none may stay on the host engine.
        if created_locally:
            run_docker(["image", "rm", *dict.fromkeys(created_locally)], check=False)
    return built, reused
