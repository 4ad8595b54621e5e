"""The kit's package repository: the Debian packages the labs install, fetched once, served offline.

A lab's steps install packages inside the stand-ins (`apt-get install -y figlet` in the ubuntu
stand-in, `apk add nodejs` in a Dockerfile FROM the alpine stand-in, whose `apk` installs Debian's
packages). Without a network those installs fail, so `kit up` reads which packages the labs install
(from their commands, typed input and files), fetches each one's dependency closure from Debian's
archive once, and keeps them as a small Debian repository in the kit's data dir (`packages/debian`:
`dists/` and `pool/`, the stanzas as Debian's index gives them). The stand-ins are pointed at it
(`sources.list` and `apk`), and a read-only HTTP server serves it on the nodes' bridge gateway.

Why a pre-fetched repository and not Debian's apt-cacher-ng: a cache serves offline only what some
install fetched through it while online (the ubuntu stand-in's and `apk`'s separate index files and
every .deb, each kept under its upstream name), so a kit built without running the labs would be
incomplete; a repository made from the labs' own declarations is complete by construction, is
plain files (exported, digested and imported as such) and needs no daemon from Debian on the host.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import lzma
import platform
import re
import shlex
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths
from labcheck.spec.model import Lab

Progress = Callable[[str], None]

PACKAGE_PORT = 3142
PACKAGE_ADDRESS = f"{paths.NETWORK_GATEWAY}:{PACKAGE_PORT}"
# Where the stand-ins find the repository (inside a node's containers, through the node's NAT).
REPOSITORY_URL = f"http://{PACKAGE_ADDRESS}/debian"
# A fixed date keeps the Release file, and so the export's digests, the same for the same packages.
_RELEASE_DATE = "Sat, 01 Jan 2000 00:00:00 UTC"
_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")
_POOL_FILE = re.compile(r"^pool/[A-Za-z0-9+._/~-]+\.deb$")
_INSTALL_VERBS = {("apt-get", "install"), ("apt", "install"), ("apk", "add")}


def sources_line() -> str:
    """The ubuntu stand-in's only package source: the kit's repository (unsigned, so trusted)."""
    return f"deb [trusted=yes] {REPOSITORY_URL} {paths.DEBIAN_SUITE} main\n"


def repository_dir() -> Path:
    return paths.kit_home() / "packages" / "debian"


def record_file() -> Path:
    return paths.kit_home() / "packages" / "packages.json"


def debian_arch() -> str:
    machine = platform.machine()
    arch = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf"}.get(machine)
    if arch is None:
        raise KitError(
            cli().format(
                "the kit's package repository supports amd64, arm64 and armhf, not {machine}", machine=machine
            )
        )
    return arch


# ---------------------------------------------------------------- what the labs install


def installed_in(command: str) -> list[str]:
    """The package names an `apt-get install`, `apt install` or `apk add` in this shell text names."""
    found: list[str] = []
    for piece in re.split(r"&&|\|\||[;|\n]", command):
        try:
            words = shlex.split(piece, comments=True)
        except ValueError:
            words = piece.split()
        while words and ("=" in words[0] or words[0] in ("sudo", "RUN", "exec")):
            words = words[1:]  # VAR=value prefixes, sudo, a Dockerfile's RUN
        if len(words) < 2 or (words[0], _verb(words[1:])) not in _INSTALL_VERBS:
            continue
        verb_at = words.index(_verb(words[1:]), 1)
        for word in words[verb_at + 1 :]:
            name = word.split("=", 1)[0]
            if not word.startswith("-") and _NAME.match(name):
                found.append(name)
    return found


def _verb(words: Sequence[str]) -> str:
    """The first word that is not an option (`apt-get -y install`, `apk --no-cache add`)."""
    return next((word for word in words if not word.startswith("-")), "")


def wanted_packages(labs: Iterable[Lab]) -> tuple[str, ...]:
    """Every package the labs' steps (commands, typed input) and files install, sorted."""
    names: set[str] = set()
    for lab in labs:
        for step in lab.steps:
            names.update(installed_in(step.run))
            for line in step.input:
                names.update(installed_in(line.send))
        for lab_file in lab.files:
            try:
                text = lab_file.source.read_text(errors="replace")[:1_000_000]
            except OSError:
                continue
            names.update(installed_in(text.replace("\\\n", " ")))
    return tuple(sorted(names))


# ---------------------------------------------------------------- Debian's index


@dataclass(frozen=True)
class DebPackage:
    name: str
    version: str
    filename: str
    sha256: str
    size: int
    depends: tuple[str, ...]  # each a group of alternatives, "a (>= 1) | b"
    provides: tuple[str, ...]
    stanza: str


def parse_index(text: str) -> tuple[dict[str, DebPackage], dict[str, str]]:
    """Debian's Packages index: packages by name (first one wins) and virtual names' first provider."""
    packages: dict[str, DebPackage] = {}
    providers: dict[str, str] = {}
    for stanza in text.split("\n\n"):
        fields = _fields(stanza)
        name = fields.get("Package")
        if not name or name in packages or "Filename" not in fields:
            continue
        depends = [
            group.strip()
            for key in ("Pre-Depends", "Depends")
            for group in fields.get(key, "").split(",")
            if group.strip()
        ]
        provides = tuple(_bare(item) for item in fields.get("Provides", "").split(",") if _bare(item))
        packages[name] = DebPackage(
            name,
            fields.get("Version", ""),
            fields["Filename"],
            fields.get("SHA256", ""),
            int(fields.get("Size", "0") or 0),
            tuple(depends),
            provides,
            stanza.strip("\n"),
        )
        for virtual in provides:
            providers.setdefault(virtual, name)
    return packages, providers


def _fields(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = ""
    for line in stanza.splitlines():
        if line[:1] in (" ", "\t") and key:
            fields[key] += " " + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _bare(requirement: str) -> str:
    """ "libc6 (>= 2.34)" -> "libc6"; "foo:any" -> "foo"."""
    name = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", requirement).strip()
    return name.split(":", 1)[0]


def closure(
    wanted: Sequence[str], packages: dict[str, DebPackage], providers: dict[str, str]
) -> tuple[list[DebPackage], list[str]]:
    """The packages and every dependency, choosing as the apk stand-in does: the first alternative
    that is a package, else its first provider. Also the wanted names Debian does not have."""
    missing = [name for name in wanted if name not in packages and name not in providers]
    chosen: dict[str, DebPackage] = {}
    queue = [name for name in wanted if name not in missing]
    while queue:
        group = queue.pop(0)
        name = _choose(group, packages, providers)
        if name is None or name in chosen:
            continue
        chosen[name] = packages[name]
        queue.extend(packages[name].depends)
    return sorted(chosen.values(), key=lambda package: package.name), missing


def _choose(group: str, packages: dict[str, DebPackage], providers: dict[str, str]) -> str | None:
    for alternative in group.split("|"):
        name = _bare(alternative)
        if name in packages:
            return name
        if name in providers:
            return providers[name]
    return None


def _fetch(url: str, timeout: float = 60.0) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bytes(response.read())
    except (urllib.error.URLError, OSError) as exc:
        raise KitError(
            cli().format(
                "cannot fetch {url} ({error}): the kit fetches the packages the labs install from Debian's "
                "archive once (run `labcheck kit up` where it is reachable, or import an exported kit)",
                url=url,
                error=exc,
            )
        ) from exc


# ---------------------------------------------------------------- the repository


def _load_record() -> dict[str, object]:
    try:
        data = json.loads(record_file().read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _complete(record: dict[str, object], wanted: Sequence[str]) -> bool:
    """True when the repository already holds these packages, every file with its digest."""
    have = record.get("wanted")
    files = record.get("files")
    if not isinstance(have, list) or not isinstance(files, dict) or not set(wanted) <= set(have):
        return False
    if record.get("arch") != debian_arch() or record.get("suite") != paths.DEBIAN_SUITE:
        return False
    for name, digest in files.items():
        path = repository_dir() / str(name)
        if not path.is_file() or _sha256(path) != digest:
            return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ensure(wanted: Sequence[str], progress: Progress) -> tuple[list[str], list[str]]:
    """Make the repository hold these packages and their dependencies: (built, reused) for `kit up`."""
    record = _load_record()
    listed = record.get("wanted")
    previously = [str(name) for name in listed] if isinstance(listed, list) else []
    everything = sorted(set(previously) | set(wanted))
    label = f"package repository ({', '.join(everything) or 'empty'})"
    if _complete(record, everything):
        return [], [label]
    arch = debian_arch()
    index_url = f"{paths.DEBIAN_MIRROR}/dists/{paths.DEBIAN_SUITE}/main/binary-{arch}/Packages.xz"
    t = cli()
    if everything:
        progress(t.format("fetching Debian's package index for {packages}", packages=", ".join(everything)))
    else:
        progress(t.gettext("fetching Debian's package index for no packages"))
    packages, providers = parse_index(lzma.decompress(_fetch(index_url)).decode("utf-8", "replace"))
    chosen, missing = closure(everything, packages, providers)
    if missing:
        # Not fatal for the other labs: the step that installs it will fail, saying so, offline.
        progress(
            t.ngettext(
                "the labs install {packages}, which Debian {suite} does not have: "
                "the kit cannot serve it (the alpine stand-in's apk installs Debian's packages)",
                "the labs install {packages}, which Debian {suite} does not have: "
                "the kit cannot serve them (the alpine stand-in's apk installs Debian's packages)",
                len(missing),
            ).format(packages=", ".join(missing), suite=paths.DEBIAN_SUITE)
        )
    root = repository_dir()
    files: dict[str, str] = {}
    for package in chosen:
        if not _POOL_FILE.match(package.filename) or ".." in package.filename.split("/"):
            raise KitError(
                t.format(
                    "Debian's index names an unexpected file for {package}: {file}",
                    package=package.name,
                    file=package.filename,
                )
            )
        target = root / package.filename
        if not (target.is_file() and _sha256(target) == package.sha256):
            progress(t.format("fetching {package} {version}", package=package.name, version=package.version))
            data = _fetch(f"{paths.DEBIAN_MIRROR}/{package.filename}")
            if hashlib.sha256(data).hexdigest() != package.sha256:
                raise KitError(
                    t.format(
                        "{file} from Debian's archive does not match its index's SHA256",
                        file=package.filename,
                    )
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            partial.replace(target)
        files[package.filename] = package.sha256
    _prune_pool(root, set(files))
    files.update(_write_index(root, arch, chosen))
    record_file().write_text(
        json.dumps(
            {"suite": paths.DEBIAN_SUITE, "arch": arch, "wanted": everything, "files": files},
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    return [label], []


def _prune_pool(root: Path, keep: set[str]) -> None:
    for path in sorted((root / "pool").rglob("*")) if (root / "pool").exists() else []:
        if path.is_file() and path.relative_to(root).as_posix() not in keep:
            path.unlink()


def _write_index(root: Path, arch: str, chosen: Sequence[DebPackage]) -> dict[str, str]:
    """dists/<suite>/main/binary-<arch>/Packages{,.gz,.xz} and a Release listing their digests."""
    dists = root / "dists" / paths.DEBIAN_SUITE
    shutil.rmtree(dists, ignore_errors=True)
    binary = dists / "main" / f"binary-{arch}"
    binary.mkdir(parents=True)
    text = "".join(package.stanza + "\n\n" for package in chosen).encode()
    contents = {
        "Packages": text,
        "Packages.gz": gzip.compress(text, mtime=0),
        "Packages.xz": lzma.compress(text),
    }
    lines = []
    for name, data in contents.items():
        (binary / name).write_bytes(data)
        lines.append(f" {hashlib.sha256(data).hexdigest()} {len(data)} main/binary-{arch}/{name}")
    release = (
        "Origin: labcheck\nLabel: labcheck offline kit\n"
        f"Suite: {paths.DEBIAN_SUITE}\nCodename: {paths.DEBIAN_SUITE}\n"
        f"Date: {_RELEASE_DATE}\nArchitectures: {arch}\nComponents: main\n"
        "Description: the Debian packages the kit's labs install\nSHA256:\n" + "\n".join(lines) + "\n"
    ).encode()
    (dists / "Release").write_bytes(release)
    written = {f"dists/{paths.DEBIAN_SUITE}/Release": hashlib.sha256(release).hexdigest()}
    for name, data in contents.items():
        written[f"dists/{paths.DEBIAN_SUITE}/main/binary-{arch}/{name}"] = hashlib.sha256(data).hexdigest()
    return written
