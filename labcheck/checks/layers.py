"""Layer rules shared by the engine checks and `labcheck verify`: one meaning for both."""

from __future__ import annotations

from collections.abc import Sequence


def shared_base_layers(layers: Sequence[str], other: Sequence[str]) -> int:
    """How many layers, from the bottom, two images have in common."""
    shared = 0
    for mine, theirs in zip(layers, other, strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared


def starts_with_layers(layers: Sequence[str], base: Sequence[str]) -> bool:
    """Whether an image is built on base: its first layers are all of base's (an empty base is no base)."""
    return bool(base) and list(layers[: len(base)]) == list(base)
