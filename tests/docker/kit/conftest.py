"""Fixtures for the offline kit's tests: the kit is brought up once and left up at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labcheck.kit import api
from labcheck.kit.nodes import KitNode


@pytest.fixture(scope="session")
def kit_up_status() -> api.KitStatus:
    messages: list[str] = []
    status = api.kit_up(progress=messages.append)
    assert status.up, status.to_json()
    return status


@pytest.fixture(scope="module")
def lab_node(kit_up_status: api.KitStatus) -> Iterator[KitNode]:
    """An empty engine of our own, so the lab's first pulls are real and no one else's state
    (the host engine, node1/node2) is touched."""
    node = api.fresh_nodes(["kittest"])["kittest"]
    try:
        yield node
    finally:
        api.remove_nodes(["kittest"])
