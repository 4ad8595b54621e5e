"""The hash chain that makes an edited evidence file evident.

genesis = H(format, lab id, spec hash, student id, sorted engine IDs)
link_i  = H(link_{i-1}, canonical(step_i without its own link))
head    = H(link_n, canonical(the whole document but its steps and its chain))
So the head covers every byte of meaning in the file: steps through the links, and the lab,
spec, student, run, targets, images and summary directly. The head is what a printed report
shows. Anyone can recompute a chain: what proves who made a bundle is the course's Ed25519
signature beside it (labcheck.signing), which covers the file's bytes and names the head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

import orjson


def canonical(value: object) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _fast_canonical(value: object) -> bytes | None:
    """canonical()'s bytes, several times faster, for checking; None where orjson cannot encode.

    (Floats may come out spelt differently, e.g. 1e-07 against 1e-7: a mismatch is checked again
    with canonical(), the format's definition, so it can only cost time, never a verdict.)"""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return None


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        # Length-prefix each part so that no two different sequences hash alike.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def genesis(lab_id: str, spec_sha256: str, student_id: str | None, engine_ids: Iterable[str]) -> str:
    return _hash(
        b"labcheck-evidence/1",
        canonical(
            {
                "lab": lab_id,
                "spec": spec_sha256,
                "student": student_id,
                "engines": sorted(engine_ids),
            }
        ),
    )


def link(previous: str, step: Mapping[str, object]) -> str:
    body = {key: value for key, value in step.items() if key != "chain"}
    return _hash(previous.encode(), canonical(body))


def head(previous: str, document: Mapping[str, object]) -> str:
    rest = {key: value for key, value in document.items() if key not in ("steps", "chain")}
    return _hash(previous.encode(), canonical(rest))


def _matches(previous: str, body: Mapping[str, object], recorded: object) -> bool:
    fast = _fast_canonical(body)
    if fast is not None and _hash(previous.encode(), fast) == recorded:
        return True
    return _hash(previous.encode(), canonical(body)) == recorded


def link_matches(previous: str, step: Mapping[str, object]) -> bool:
    """link(previous, step) == step["chain"], computed the fast way first."""
    body = {key: value for key, value in step.items() if key != "chain"}
    return _matches(previous, body, step["chain"])


def head_matches(previous: str, document: Mapping[str, object], recorded: str) -> bool:
    rest = {key: value for key, value in document.items() if key not in ("steps", "chain")}
    return _matches(previous, rest, recorded)
