"""The kit's small record of itself: mode, nodes and what the last `kit up` did."""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from labcheck.kit import paths
from labcheck.kit.source import ImageSource


@dataclass(frozen=True)
class LastUp:
    built: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class LabRecord:
    """A lab the kit was brought up for, and what it asked of the kit."""

    id: str
    spec: str
    images: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class KitState:
    mode: str  # "offline", "online" or "registry"
    nodes: tuple[str, ...] = ()
    last_up: LastUp = field(default_factory=LastUp)
    labs: tuple[LabRecord, ...] = ()
    registry: str = ""  # mode "registry": the registry the nodes are fed from
    host_mirror: bool = True  # offline: the host engine's mirror was set (only root may set it)
    transport: str = "auto"  # how nodes are made reachable (`kit up --transport`)

    @property
    def source(self) -> ImageSource:
        return ImageSource(self.mode, self.registry)

    @property
    def tools(self) -> tuple[str, ...]:
        return tuple(sorted({tool for lab in self.labs for tool in lab.tools}))


def load() -> KitState | None:
    try:
        data = json.loads(paths.state_file().read_text())
    except (OSError, json.JSONDecodeError):
        return None
    last = data.get("last_up") or {}
    return KitState(
        mode=str(data.get("mode", "offline")),
        nodes=tuple(data.get("nodes", ())),
        last_up=LastUp(
            tuple(last.get("built", ())), tuple(last.get("reused", ())), float(last.get("seconds", 0.0))
        ),
        labs=tuple(_lab_record(item) for item in data.get("labs", ()) if isinstance(item, dict)),
        registry=str(data.get("registry", "")),
        host_mirror=bool(data.get("host_mirror", True)),
        transport=str(data.get("transport", "auto")),
    )


def _lab_record(item: dict[str, object]) -> LabRecord:
    def strings(key: str) -> tuple[str, ...]:
        value = item.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return LabRecord(
        str(item.get("id", "?")),
        str(item.get("spec", "")),
        strings("images"),
        strings("repositories"),
        strings("tools"),
    )


def save(state: KitState) -> None:
    paths.writable_home()
    tmp = paths.state_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2) + "\n")
    tmp.replace(paths.state_file())


def clear() -> None:
    paths.state_file().unlink(missing_ok=True)


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """One kit operation at a time across processes (a lab run freshening nodes, a `kit up`)."""
    with paths.open_shared(paths.lock_file(), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
