"""The spec's path rules are translated from a table of confined's reasons: the table must hold
every reason confined gives, or that reason would be left in English."""

from __future__ import annotations

import pytest

from labcheck.confined import relative_path_problem
from labcheck.spec.path_rules import RULES


@pytest.mark.parametrize("path", ["", "  ", "a\0b", "/etc/passwd", "C:/x", "../x", "a/../../x", ".", "./."])
def test_every_reason_confined_gives_for_a_path_is_in_the_table(path: str) -> None:
    rule = relative_path_problem(path)
    assert rule is not None and rule in RULES


def test_the_table_holds_no_reason_confined_no_longer_gives() -> None:
    given = {relative_path_problem(path) for path in ["", "a\0b", "/etc/passwd", "../x", "."]}
    assert given == set(RULES)
