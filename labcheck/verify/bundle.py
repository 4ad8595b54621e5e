"""Reading one submitted bundle: size limit, JSON, the evidence schema. Nothing in it is run."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from labcheck.confined import FileMissing, FileRefused, FileTooBig, Limits, read_regular, read_within
from labcheck.errors import EvidenceError
from labcheck.resources import packaged_json
from labcheck.verify.schema_check import Check, compile_schema

EVIDENCE_FILE = "evidence.json"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
READ_TIMEOUT_S = 30.0
FOLDER = "the submissions folder"


class BundleUnreadable(EvidenceError):
    """A bundle that cannot be read as evidence at all: missing, too big, not JSON, wrong shape."""


def evidence_schema() -> dict[str, Any]:
    return packaged_json("labcheck.evidence", "schema.json")


@cache
def _fast_check() -> Check:
    return compile_schema(evidence_schema())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(evidence_schema())


def evidence_file(path: Path) -> Path:
    """A bundle is a JSON file, or a folder holding evidence.json."""
    return path / EVIDENCE_FILE if path.is_dir() else path


def read_bundle(
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    within: Path | None = None,
    timeout_s: float = READ_TIMEOUT_S,
) -> dict[str, Any]:
    """The bundle's document, schema-valid, or a one-line BundleUnreadable.

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
        size = f"{_megabytes(big.size)}; the limit is " if big.size is not None else "over the limit of "
        raise BundleUnreadable(f"{file}: too big ({size}{_megabytes(max_bytes)}, see --max-size)") from None
    except FileMissing:
        raise BundleUnreadable(f"{file}: cannot read it: no such file") from None
    except FileRefused as refused:
        raise BundleUnreadable(str(refused)) from None
    return parse_bundle(raw, str(file))


def parse_bundle(raw: bytes, name: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BundleUnreadable(f"{name}: not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        stripped = text.strip()
        cut_short = stripped.startswith("{") and not stripped.endswith("}")
        what = "truncated JSON" if cut_short or error.pos >= len(stripped) else "not JSON"
        raise BundleUnreadable(
            f"{name}: {what} (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except (RecursionError, ValueError) as error:
        raise BundleUnreadable(f"{name}: JSON that cannot be read ({error or 'nested too deeply'})") from None
    if not isinstance(document, dict):
        raise BundleUnreadable(
            f"{name}: not an evidence file (a JSON {type(document).__name__}, not an object)"
        )
    if document.get("format") != "labcheck-evidence":
        raise BundleUnreadable(f"{name}: not a labcheck evidence file (format is {document.get('format')!r})")
    if not _fast_check()(document):
        raise BundleUnreadable(f"{name}: {schema_problem(document)}")
    return document


def schema_problem(document: Any) -> str:
    """The most relevant schema error, as one line: where in the document and what is wrong."""
    error = best_match(_validator().iter_errors(document))
    if error is None:
        return "does not follow the evidence format"
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    return f"does not follow the evidence format: {where.lstrip('.') or '(top level)'}: {message}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
