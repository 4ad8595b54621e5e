"""The offline classroom kit: a local registry of stand-in images, a git mirror and DinD nodes."""

from __future__ import annotations
