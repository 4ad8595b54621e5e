"""Judging expectations. Output rules need no Docker, so `labcheck verify` reuses them."""

from __future__ import annotations
