"""How labcheck was installed, so that hints name steps the user can really take.

A checkout (the repository, installed editable) has the project's scripts; a wheel or sdist
install has none of them, so its hints name the system's own way to start Docker.
"""

from __future__ import annotations

from pathlib import Path

from labcheck.i18n import cli

_PACKAGE_DIR = Path(__file__).resolve().parent
_ENGINE_UP = _PACKAGE_DIR.parent / "scripts" / "engine-up.sh"


def checkout_root() -> Path | None:
    """The repository labcheck runs from, or None for an installed package."""
    root = _PACKAGE_DIR.parent
    if _ENGINE_UP.is_file() and (root / "pyproject.toml").is_file():
        return root
    return None


def _engine_up_script() -> str:
    """The checkout's script, with where the checkout is when that is not the current folder."""
    root = _PACKAGE_DIR.parent
    if Path.cwd().resolve() == root:
        return "scripts/engine-up.sh"
    return cli().format("scripts/engine-up.sh (in {root})", root=root)


def engine_start_hint() -> str:
    """How to get a Docker engine answering, in the terms of this install."""
    t = cli()
    if checkout_root() is not None:
        return t.format(
            "start one with {script} on Debian/CI machines, or start Docker Desktop, then try again",
            script=_engine_up_script(),
        )
    return t.gettext(
        "start one with `sudo systemctl start docker` (Debian/Ubuntu: `sudo apt-get install docker.io` "
        "first) or start Docker Desktop, then try again"
    )


def docker_cli_hint() -> str:
    """How to get the docker command line, in the terms of this install."""
    if checkout_root() is not None:
        return cli().format("install Docker (or run {script})", script=_engine_up_script())
    return cli().gettext(
        "install Docker (Debian/Ubuntu: `sudo apt-get install docker.io`; else Docker Desktop)"
    )


def managed_engine_hint() -> str:
    """What the offline kit needs to reconfigure the engine, in the terms of this install."""
    if checkout_root() is not None:
        return cli().format(
            "the engine started by {script} on this machine (root, Debian's docker.io)",
            script=_engine_up_script(),
        )
    return cli().gettext(
        "a dockerd run as root on this machine with a pid file (Debian's docker.io under systemd)"
    )
