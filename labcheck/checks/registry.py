"""Every state check kind labcheck knows: its own, then those other packages register.

The spec schema's `state` entries, the loader, the runner's probes, the report's words and
`verify` all take their list of kinds from here, so adding a kind is adding one module: in
labcheck (listed in BUILT_IN), or in any installed package under the entry point group
`labcheck.checks`, whose value names a `StateKind` (`"mypkg.volume:KIND"`).
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from labcheck.checks.kinds import StateKind
from labcheck.errors import LabcheckError

ENTRY_POINT_GROUP = "labcheck.checks"
BUILT_IN = tuple(
    f"labcheck.checks.kinds.{name}"
    for name in (
        "image",
        "container",
        "containers",
        "swarm",
        "stack",
        "service",
        "volume",
        "network",
        "secret",
        "config",
        "node",
    )
)
# Keys a state entry already uses: no kind may take one of them as its name.
_RESERVED = frozenset({"on", "description", "says", "eventually", "requires"})


class CheckKindInvalid(LabcheckError):
    """A registered check kind that cannot be used (not a StateKind, a name taken twice)."""


@cache
def state_kinds() -> dict[str, StateKind]:
    kinds: dict[str, StateKind] = {}
    sources = [(module, getattr(importlib.import_module(module), "KIND", None)) for module in BUILT_IN]
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda point: point.name):
        try:
            sources.append((f"{point.value} (entry point {point.name!r})", point.load()))
        except Exception as error:  # a broken plugin is named, never a traceback
            named = f"the check kind {point.name!r} ({point.value}, group {ENTRY_POINT_GROUP})"
            raise CheckKindInvalid(f"{named} cannot be loaded: {error}") from None
    for where, kind in sources:
        if not isinstance(kind, StateKind):
            raise CheckKindInvalid(f"{where} is not a labcheck.checks.kinds.StateKind")
        if kind.name in kinds or kind.name in _RESERVED:
            raise CheckKindInvalid(f"{where}: the check kind name {kind.name!r} is already taken")
        kinds[kind.name] = kind
    return kinds


def state_kind_names() -> tuple[str, ...]:
    return tuple(state_kinds())
