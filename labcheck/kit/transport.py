"""How the host reaches a kit node's engine (the docker SDK's state checks, captures, clean-up).

The lab's own commands always run through `docker exec` into the node, on whatever engine the
host's docker CLI talks to; what differs is how labcheck's SDK reaches the engine inside:

- `socket`: the node's engine socket, bind-mounted into the kit's folder on the host. Fastest,
  but only where a socket made inside a container reaches the host (not Docker Desktop, whose
  engine runs in a VM).
- `tls`: the node's API on a random 127.0.0.1 port, TLS with client certificates the kit makes
  (`labcheck.kit.tls`). Works wherever a published port reaches the host.
- `exec`: `docker exec <node> docker system dial-stdio`, one process per connection; needs
  nothing but the docker CLI (`labcheck.kit.exec_transport`).

`auto` (the default) gives nodes a socket where sockets work and TLS always, and picks the socket
when it answers, TLS otherwise. A node remembers what it was made with in a label.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, get_args

from labcheck.errors import KitError
from labcheck.i18n import cli

Transport = Literal["socket", "tls", "exec"]
Mode = Literal["auto", "socket", "tls", "exec"]
TRANSPORTS: tuple[Transport, ...] = get_args(Transport)
MODES: tuple[Mode, ...] = get_args(Mode)
AUTO: Mode = "auto"

ACCESS_LABEL = "io.labcheck.kit.access"
# Set to `off`, the kit behaves as where sockets cannot be shared (Docker Desktop): nodes get no
# socket on the host, and `auto` takes the portable transport. The tests use it to prove that path.
SOCKETS_ENV = "LABCHECK_NODE_SOCKETS"
NODE_TLS_PORT = 2376


@dataclass(frozen=True)
class Access:
    """What a node is made with: its engine socket on the host, its API over TLS (exec always works)."""

    socket: bool
    tls: bool

    def label(self) -> str:
        return ",".join(name for name, on in (("socket", self.socket), ("tls", self.tls)) if on) or "exec"

    @classmethod
    def from_label(cls, text: str | None) -> Access:
        # A node made before transports existed has no label: it has its socket, and no TLS.
        parts = set((text or "socket").split(","))
        return cls(socket="socket" in parts, tls="tls" in parts)

    def offers(self, transport: Transport) -> bool:
        return transport == "exec" or getattr(self, transport)


def parse_mode(text: str) -> Mode:
    for mode in MODES:
        if text == mode:
            return mode
    raise KitError(
        cli().format("unknown node transport {text!r}: use one of {modes}", text=text, modes=", ".join(MODES))
    )


def sockets_turned_off() -> bool:
    return os.environ.get(SOCKETS_ENV, "").strip().lower() in ("off", "0", "no", "false")


def sockets_shareable(host_os: str) -> bool:
    """Whether a socket made inside a node can reach this machine: not when turned off, and not
    on Docker Desktop (its engine, and so the socket, lives in a VM; docker/for-mac#483)."""
    return not sockets_turned_off() and "docker desktop" not in host_os.lower()


def access_for(mode: Mode, host_os: str) -> Access:
    """What nodes are made with for this mode (a forced socket where sockets cannot be shared is
    refused in words rather than left to fail later)."""
    if mode == "socket":
        if not sockets_shareable(host_os):
            why = f"{SOCKETS_ENV}=off" if sockets_turned_off() else host_os
            raise KitError(
                cli().format(
                    "the socket transport cannot work here ({why}): node sockets cannot reach this "
                    "machine; use --transport tls or exec (or auto)",
                    why=why,
                )
            )
        return Access(socket=True, tls=False)
    if mode == "tls":
        return Access(socket=False, tls=True)
    if mode == "exec":
        return Access(socket=False, tls=False)
    return Access(socket=sockets_shareable(host_os), tls=True)


def choose(mode: Mode, access: Access, socket_answers: bool) -> Transport:
    """The transport a run uses on a node made with this access."""
    for forced in TRANSPORTS:
        if mode == forced:
            if not access.offers(forced):
                raise KitError(
                    cli().format("this node was not made for the {transport} transport", transport=forced)
                )
            return forced
    if access.socket and socket_answers:
        return "socket"
    return "tls" if access.tls else "exec"
