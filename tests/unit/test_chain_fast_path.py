"""The verifier's fast chain check agrees with the format's own encoding, and falls back to it."""

from __future__ import annotations

import json

from labcheck.evidence import chain
from tests.real_evidence import load_real_evidence


def test_fast_and_canonical_encodings_agree_on_real_steps() -> None:
    document = load_real_evidence()
    previous = document["chain"]["genesis"]
    for record in document["steps"]:
        assert chain.link_matches(previous, record)
        previous = record["chain"]
    assert chain.head_matches(previous, document, document["chain"]["head"])


def test_a_number_orjson_spells_otherwise_still_matches() -> None:
    """json writes 1e-07 and 2**70 one way; orjson spells the first otherwise and refuses the second."""
    for value in (1e-07, 2**70, 1e16):
        step = {"id": "x", "duration_s": value, "text": "ñ\x1b[0m"}
        step["chain"] = chain.link("0" * 64, step)
        assert chain.link_matches("0" * 64, step), value
        edited = json.loads(json.dumps(step))
        edited["text"] = "n"
        assert not chain.link_matches("0" * 64, edited)
