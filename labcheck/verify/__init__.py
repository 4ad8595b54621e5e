"""`labcheck verify`: check submitted evidence bundles against the course's own spec, with no Docker.

Nothing in a bundle is trusted or executed: its structure is checked against the evidence
schema and, given the course's public key, its signature. A signed bundle is what the course CI
recorded; an unsigned one has its hash chain recomputed and every expectation that can be
judged from the recorded transcripts judged again with the course's spec (`consistent` at best).
"""

from __future__ import annotations
