"""labcheck: Docker lab steps checked on a real engine, with the evidence as a Spanish report."""

from __future__ import annotations

__version__ = "0.1.0"
