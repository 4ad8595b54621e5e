"""The evidence format: what a lab run leaves behind, step by step."""

from __future__ import annotations

FORMAT = "labcheck-evidence"
FORMAT_VERSION = 1
