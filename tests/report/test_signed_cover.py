"""A signed bundle's cover says who signed it (the key's fingerprint), what, and the chain head."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

from labcheck.signing.files import envelope_path, sign_evidence_file
from labcheck.signing.keys import PrivateKey
from tests.real_evidence import EVIDENCE
from tests.report.conftest import render


def _grouped(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def _cover_text(html: str) -> str:
    chain = html[html.index('<div class="chain">') :]
    return re.sub(r"<[^>]+>", "", chain[: chain.index("</div></div>")])


def test_signed_cover_names_the_key_the_file_and_the_head(tmp_path: Path, evidence: dict[str, Any]) -> None:
    key = PrivateKey.generate()
    bundle = tmp_path / "evidence.json"
    shutil.copy(EVIDENCE, bundle)
    sign_evidence_file(bundle, key)
    cover = _cover_text(render(bundle, tmp_path / "informe", pdf=False).html)
    assert "Firmada con Ed25519 por la clave" in cover
    assert _grouped(key.public.key_id) in cover
    assert _grouped(hashlib.sha256(bundle.read_bytes()).hexdigest()) in cover
    assert _grouped(evidence["chain"]["head"]) in cover


def test_an_envelope_of_another_file_is_not_shown_as_a_signature(tmp_path: Path) -> None:
    key = PrivateKey.generate()
    bundle = tmp_path / "evidence.json"
    shutil.copy(EVIDENCE, bundle)
    sign_evidence_file(bundle, key)
    bundle.write_bytes(bundle.read_bytes().replace(b"Ana", b"Eva", 1))
    assert envelope_path(bundle).exists()
    cover = _cover_text(render(bundle, tmp_path / "informe", pdf=False).html)
    assert "Sin firma" in cover and "Firmada" not in cover
