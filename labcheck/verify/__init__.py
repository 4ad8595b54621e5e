"""`labcheck verify`: check submitted evidence bundles against the course's own spec, with no Docker.

Nothing in a bundle is trusted or executed: its structure is checked against the evidence
schema, its hash chain and signature are recomputed, and every expectation that can be judged
from the recorded transcripts is judged again with the course's spec.
"""

from __future__ import annotations
