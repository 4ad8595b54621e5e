"""The bundled lab's steps, read from its spec, so a test says "every step" instead of copying
how many there are today (a count copied from the spec passes for the wrong reason once it moves)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from labcheck.spec.loader import load_lab

BUNDLED_SPEC = Path(__file__).resolve().parents[1] / "specs" / "ops-stage1"


@cache
def bundled_step_ids() -> tuple[str, ...]:
    return tuple(step.id for step in load_lab(BUNDLED_SPEC).steps)
