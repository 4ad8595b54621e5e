"""A read-only HTTP server for the kit's package repository, run as its own process.

`python -m labcheck.kit.package_server ROOT ADDRESS PORT` serves the files under ROOT (GET and
HEAD only, no directory listings, nothing outside ROOT) on one address: the nodes' bridge gateway,
so the repository is never exposed on other interfaces. `kit up` starts it, `kit down` stops it.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

from labcheck.errors import KitError
from labcheck.i18n import cli
from labcheck.kit import package_cache, paths


class _Handler(http.server.SimpleHTTPRequestHandler):
    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "no listings")
        return None

    def translate_path(self, path: str) -> str:
        # The root's parent is served (URLs start with /debian/, as Debian's archive does), but only
        # what is inside the root: SimpleHTTPRequestHandler drops "..", and a link out is refused.
        root = os.path.realpath(self.directory)
        translated = super().translate_path(path.removeprefix("/" + os.path.basename(root)))
        resolved = os.path.realpath(translated)
        return resolved if resolved == root or resolved.startswith(root + os.sep) else root + "/.missing"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(root: Path, address: str, port: int) -> None:
    handler = partial(_Handler, directory=str(root))
    with http.server.ThreadingHTTPServer((address, port), handler) as server:
        signal.signal(signal.SIGTERM, _interrupt)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


# ---------------------------------------------------------------- the process, as the kit runs it


def _run_dir() -> Path:
    return package_cache.repository_dir().parent / "run"


def _pid_file() -> Path:
    return _run_dir() / "server.pid"


def _our_pid() -> int | None:
    try:
        pid = int(_pid_file().read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    return pid if b"labcheck.kit.package_server" in cmdline else None


def answers(timeout: float = 2.0) -> bool:
    url = f"{package_cache.REPOSITORY_URL}/dists/{paths.DEBIAN_SUITE}/Release"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start() -> bool:
    """Serve the repository on the bridge gateway unless ours already does. True if started now."""
    if _our_pid() is not None:
        if answers():
            return False
        stop()
    if answers(timeout=1.0):
        # Not ours (another user's kit, a stray server): ours could not bind, and theirs may serve
        # other packages or go away under us.
        raise KitError(
            cli().format(
                "{address}, where the kit serves its package repository, is "
                "already served by another process (another user's kit?): stop it, then run "
                "`labcheck kit up` again",
                address=package_cache.PACKAGE_ADDRESS,
            )
        )
    root = package_cache.repository_dir()
    root.mkdir(parents=True, exist_ok=True)
    _run_dir().mkdir(parents=True, exist_ok=True)
    log = (_run_dir() / "server.log").open("ab")
    address, port = package_cache.PACKAGE_ADDRESS.rsplit(":", 1)
    proc = subprocess.Popen(
        [sys.executable, "-m", "labcheck.kit.package_server", str(root), address, port],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # it must outlive this labcheck process
    )
    _pid_file().write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if answers(timeout=1.0):
            return True
        time.sleep(0.1)
    tail = (_run_dir() / "server.log").read_text(errors="replace")[-600:]
    raise KitError(
        cli().format(
            "the package repository's server on {address} did not start:\n{log}",
            address=package_cache.PACKAGE_ADDRESS,
            log=tail,
        )
    )


def stop() -> bool:
    pid = _our_pid()
    _pid_file().unlink(missing_ok=True)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    if Path(f"/proc/{pid}").exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m labcheck.kit.package_server ROOT ADDRESS PORT", file=sys.stderr)
        return 2
    serve(Path(args[0]), args[1], int(args[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
