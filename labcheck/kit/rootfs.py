"""Root filesystems the kit builds from Debian packages: a minbase bookworm and a busybox one."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Callable
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import paths

Progress = Callable[[str], None]

_DONE_MARK = ".labcheck-rootfs-complete"
_PASSWD = b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
_PROFILE = (
    b"export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1='\\h:\\w\\$ '\n"
)


def debian_rootfs(progress: Progress) -> Path:
    """A debootstrap'ed minbase bookworm under the kit dir, built once and kept."""
    target = paths.rootfs_dir()
    if (target / _DONE_MARK).exists():
        return target
    if os.geteuid() != 0:
        raise KitError(
            cli().format(
                "the offline kit's Debian root filesystem is made by debootstrap, which only root may "
                "run, and {folder} has none yet: ask root for `sudo labcheck kit up` (root's kit then "
                "serves every user in the docker group), or feed the nodes from a registry with "
                "`labcheck kit up --registry URL` (or `--online`), which needs no root",
                folder=target,
            )
        )
    if shutil.which("debootstrap") is None:
        raise KitError(cli().gettext("debootstrap is not installed: run `apt-get install -y debootstrap`"))
    if target.exists():
        shutil.rmtree(target)  # a half-built rootfs from an interrupted run
    target.parent.mkdir(parents=True, exist_ok=True)
    progress(cli().format("debootstrap --variant=minbase {suite} (about 30 s)", suite=paths.DEBIAN_SUITE))
    proc = subprocess.run(
        [
            "debootstrap",
            "--variant=minbase",
            paths.DEBIAN_SUITE,
            str(target),
            paths.DEBIAN_MIRROR,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-800:]
        raise KitError(cli().format("debootstrap failed:\n{log}", log=tail))
    lists = target / "var/lib/apt/lists"
    for entry in lists.glob("*"):
        if entry.is_file() and entry.name != "lock":
            entry.unlink()
    shutil.rmtree(target / "var/cache/apt/archives", ignore_errors=True)
    (target / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    # A token naming this build of the rootfs: images made from it are valid while it stays.
    (target / _DONE_MARK).write_text(f"{uuid.uuid4().hex}\n")
    return target


def debian_rootfs_token() -> str | None:
    """The token of the finished rootfs, or None if there is none."""
    try:
        return (paths.rootfs_dir() / _DONE_MARK).read_text().strip()
    except OSError:
        return None


def tar_stream_command(
    root: Path, extra_root: Path | None = None, extra_members: tuple[str, ...] = ()
) -> list[str]:
    """A tar command writing the rootfs (plus extra_members, relative to extra_root) to stdout."""
    cmd = ["tar", "--numeric-owner", f"--exclude=./{_DONE_MARK}", "-C", str(root), "-c", "."]
    if extra_root is not None and extra_members:
        cmd += ["--owner=0", "--group=0", "-C", str(extra_root), *extra_members]
    return cmd


def busybox_binary() -> Path:
    for candidate in ("/bin/busybox", "/usr/bin/busybox"):
        path = Path(candidate)
        if path.exists() and _is_static(path):
            return path
    raise KitError(
        cli().gettext(
            "a static busybox is needed for the alpine stand-in: run `apt-get install -y busybox-static`"
        )
    )


def _is_static(path: Path) -> bool:
    proc = subprocess.run(["file", "-L", str(path)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        # No `file` tool: a dynamic ELF names its interpreter, a static one does not.
        return b"ld-linux" not in path.read_bytes()[: 4096 * 4]
    return "statically linked" in proc.stdout or "static-pie" in proc.stdout


def busybox_rootfs_tar(dest: Path, extra_files: dict[str, tuple[bytes, int]]) -> Path:
    """Write a tarball of a busybox root filesystem: one applet link per command, like Alpine.

    extra_files maps a path inside the image to (content, mode).
    """
    busybox = busybox_binary()
    applets = subprocess.run(
        [str(busybox), "--list-full"], capture_output=True, text=True, check=True
    ).stdout.split()
    with tarfile.open(dest, "w") as tar:

        def add_dir(name: str, mode: int = 0o755) -> None:
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = mode
            tar.addfile(info)

        for directory in (
            "bin",
            "sbin",
            "usr",
            "usr/bin",
            "usr/sbin",
            "etc",
            "root",
            "home",
            "var",
            "var/cache",
            "var/lib",
            "lib",
            "dev",
            "proc",
            "sys",
            "run",
            "mnt",
            "opt",
            "srv",
            "media",
            "usr/local",
            "usr/local/bin",
        ):
            add_dir(directory)
        add_dir("tmp", 0o1777)
        add_dir("var/tmp", 0o1777)
        binary = busybox.read_bytes()
        info = tarfile.TarInfo("bin/busybox")
        info.size = len(binary)
        info.mode = 0o755
        tar.addfile(info, io.BytesIO(binary))
        for applet in applets:
            if applet in ("bin/busybox", "usr/bin/busybox", "linuxrc"):
                continue
            link = tarfile.TarInfo(applet)
            link.type = tarfile.SYMTYPE
            link.linkname = "/bin/busybox"
            tar.addfile(link)
        files = {
            "etc/passwd": (_PASSWD, 0o644),
            "etc/group": (b"root:x:0:\nnogroup:x:65534:\n", 0o644),
            "etc/profile": (_PROFILE, 0o644),
            **extra_files,
        }
        for name, (content, mode) in sorted(files.items()):
            entry = tarfile.TarInfo(name.lstrip("/"))
            entry.size = len(content)
            entry.mode = mode
            tar.addfile(entry, io.BytesIO(content))
    return dest
