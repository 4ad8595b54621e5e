"""Where the kit's nodes pull their images from: the kit's registry, Docker Hub, or any other.

`kit up` (offline) serves stand-ins from the kit's own registry; `kit up --online` leaves the
nodes on Docker Hub; `kit up --registry URL` points the nodes' engines at URL as their Docker
Hub mirror (a course's registry, a pull-through cache, Docker Hub itself), so the lab's literal
`docker pull alpine` is served from there.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from labcheck.errors import KitError
from labcheck.i18n import Translator, cli
from labcheck.kit import paths

DOCKER_HUB = "https://registry-1.docker.io"

OFFLINE = "offline"
ONLINE = "online"
REGISTRY = "registry"


@dataclass(frozen=True)
class ImageSource:
    mode: str  # OFFLINE, ONLINE or REGISTRY
    url: str = ""  # REGISTRY: the registry the nodes pull from

    @property
    def node_mirror(self) -> str | None:
        """The mirror the nodes' engines are started with; None: Docker Hub itself."""
        if self.mode == OFFLINE:
            return paths.NODE_REGISTRY
        if self.mode == REGISTRY:
            return self.url
        return None

    @property
    def online(self) -> bool:
        """Git and the node image come from the internet (GitHub, Docker Hub's debian)."""
        return self.mode == ONLINE

    def describe(self, t: Translator | None = None) -> str:
        """Where the nodes pull from, in t's language (the command line's by default)."""
        t = t or cli()
        if self.mode == OFFLINE:
            return t.format("the kit's registry ({address})", address=paths.NODE_REGISTRY)
        if self.mode == REGISTRY:
            return self.url
        return f"Docker Hub ({DOCKER_HUB})"


def chosen(online: bool, registry: str | None) -> ImageSource:
    """The source `kit up` was asked for; --online means Docker Hub."""
    if registry and online:
        raise KitError(cli().gettext("give either --online (Docker Hub) or --registry URL, not both"))
    if registry:
        return ImageSource(REGISTRY, registry_url(registry))
    return ImageSource(ONLINE) if online else ImageSource(OFFLINE)


def registry_url(text: str) -> str:
    """A registry's base URL, `http://host:port` or `https://host[:port]`; a bare host:port is http."""
    value = text.strip().rstrip("/")
    if "://" not in value:
        value = f"http://{value}"
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KitError(
            cli().format(
                "--registry {text!r}: give the registry as http://HOST:PORT or https://HOST", text=text
            )
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise KitError(
            cli().format(
                "--registry {text!r}: give only the registry's address, with no path or login", text=text
            )
        )
    if parts.hostname in ("localhost", "127.0.0.1", "::1"):
        raise KitError(
            cli().format(
                "--registry {text!r}: the nodes cannot reach this machine's loopback; give an address "
                "they reach, such as this machine's on docker0 (often 172.17.0.1) or the registry's name",
                text=text,
            )
        )
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:  # Python's own words ("Port out of range 0-65535") would be English
        raise KitError(
            cli().format("--registry {text!r}: its port is not a number from 0 to 65535", text=text)
        ) from None
    return f"{parts.scheme}://{parts.netloc}"
