"""labcheck: Docker lab steps checked on a real engine, with the evidence as a Spanish report.

PYTEST_DONT_REWRITE: labcheck is a pytest plugin (entry point pytest11), not a test module;
`labcheck run` imports it before starting pytest, and nothing in it needs assertion rewriting.
"""

from __future__ import annotations

__version__ = "0.1.0"
