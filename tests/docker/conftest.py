"""The Docker tests end only once the last run's kit nodes are given back: a run does that in a
detached process holding the nodes' lock, and the engine must not be handed on mid-reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.docker.labrun import wait_for_kit_nodes


@pytest.fixture(scope="session", autouse=True)
def kit_nodes_given_back_at_the_end() -> Iterator[None]:
    yield
    wait_for_kit_nodes()
