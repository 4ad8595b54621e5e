"""Public-key signatures over evidence: a DSSE envelope around an in-toto Statement, Ed25519 keys.

The course CI signs with its private key; anyone checks with the public key. One scheme only.
"""

from __future__ import annotations
