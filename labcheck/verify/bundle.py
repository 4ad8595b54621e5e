"""Reading one submitted bundle: size limit, JSON, the evidence schema. Nothing in it is run."""

from __future__ import annotations

from pathlib import Path

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, FileTooBig, Limits, read_regular, read_within
from labcheck.evidence.model import Evidence
from labcheck.evidence.reader import (
    DEFAULT_MAX_BYTES,
    EvidenceUnreadable,
    evidence_schema,
    parse_evidence,
)
from labcheck.i18n import N_
from labcheck.refusal_words import refusal_said

__all__ = ["DEFAULT_MAX_BYTES", "EVIDENCE_FILE", "BundleUnreadable", "evidence_schema", "read_bundle"]

EVIDENCE_FILE = "evidence.json"
READ_TIMEOUT_S = 30.0
FOLDER = N_("the submissions folder")


class BundleUnreadable(EvidenceUnreadable):
    """A bundle that cannot be read as evidence at all: missing, too big, not JSON, wrong shape."""


def evidence_file(path: Path) -> Path:
    """A bundle is a JSON file, or a folder holding evidence.json."""
    return path / EVIDENCE_FILE if path.is_dir() else path


def read_bundle(
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    within: Path | None = None,
    timeout_s: float = READ_TIMEOUT_S,
) -> Evidence:
    """The bundle's evidence, or a one-line BundleUnreadable (see read_bundle_bytes)."""
    return read_bundle_bytes(path, max_bytes, within=within, timeout_s=timeout_s)[1]


def read_bundle_bytes(
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    within: Path | None = None,
    timeout_s: float = READ_TIMEOUT_S,
) -> tuple[bytes, Evidence]:
    """The file's bytes (what a signature covers) and its evidence, or BundleUnreadable.

    Found in a submissions folder (`within`), it must be a regular file inside that folder; named
    by the user, any regular file. Never a FIFO or a device, never more than max_bytes, and a read
    that takes longer than timeout_s is given up."""
    file = evidence_file(path) if within is None else path
    limits = Limits(max_bytes, timeout_s)
    try:
        if within is None:
            raw = read_regular(file, limits)
        else:
            raw = read_within(within, file.relative_to(within), limits, where=FOLDER, display=str(file))
    except FileTooBig as big:
        raise BundleUnreadable(_too_big(file, big.size, max_bytes)) from None
    except FileMissing:
        raise BundleUnreadable(i18n.cli().format("{file}: cannot read it: no such file", file=file)) from None
    except FileRefused as refused:  # a folder, a FIFO, a link out: in the locale's words where known
        raise BundleUnreadable(refusal_said(refused)) from None
    return raw, parse_bundle(raw, str(file))


def parse_bundle(raw: bytes, name: str) -> Evidence:
    """The checks every evidence gets (labcheck.evidence.reader), as a BundleUnreadable."""
    try:
        return parse_evidence(raw, name)
    except EvidenceUnreadable as error:
        raise BundleUnreadable(str(error)) from None


def _too_big(file: Path, size: int | None, max_bytes: int) -> str:
    t = i18n.cli()
    limit = t.megabytes(max_bytes)
    if size is None:
        return t.format(
            "{file}: too big (over the limit of {limit} MB, see --max-size)", file=file, limit=limit
        )
    return t.format(
        "{file}: too big ({size} MB; the limit is {limit} MB, see --max-size)",
        file=file,
        size=t.megabytes(size),
        limit=limit,
    )
