from __future__ import annotations

from labcheck.checks.layers import shared_base_layers, starts_with_layers


def test_shared_base_layers_counts_from_the_bottom() -> None:
    assert shared_base_layers(["a", "b", "c"], ["a", "b", "x"]) == 2
    assert shared_base_layers(["a", "b"], ["x", "b"]) == 0
    assert shared_base_layers(["a"], ["a", "b", "c"]) == 1


def test_starts_with_layers() -> None:
    assert starts_with_layers(["alpine", "node", "code"], ["alpine"])
    assert not starts_with_layers(["other", "node"], ["alpine"])
    assert not starts_with_layers(["alpine"], ["alpine", "more"])
    assert not starts_with_layers(["alpine"], [])  # no base recorded proves nothing
