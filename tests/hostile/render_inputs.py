"""Hostile inputs for `labcheck report` and `labcheck verify`, made from the real evidence.

Nothing here is a stored huge file: every input is produced by a function from
`tests/data/evidence/ops-stage1.json`, the evidence of a real run, mutated the way an
edited bundle or a hostile program's output would be. Two families:

- `MALFORMED`: evidence files that must be refused with a clean message naming the
  place in the document (exit 2, no traceback);
- `PATHOLOGICAL`: transcripts (and step counts) that must render, bounded, with a
  visible marker where the report left output out.

`bench/hostile_render.py` measures the pathological ones; `tests/hostile/test_render_*.py`
asserts their outcome.
"""

from __future__ import annotations

import base64
import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REAL_EVIDENCE = ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
# The step whose transcript the terminal cases replace: an ordinary `docker container run alpine ls -l`.
STEP_ID = "run-ls"

Document = dict[str, Any]


def real_document() -> Document:
    document: Document = json.loads(REAL_EVIDENCE.read_text(encoding="utf-8"))
    return document


def dump(document: Document) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def step_index(document: Document, step_id: str = STEP_ID) -> int:
    return next(i for i, step in enumerate(document["steps"]) if step["id"] == step_id)


def with_transcript(raw: bytes, document: Document | None = None) -> Document:
    """The real evidence (or `document`) with one step's terminal bytes replaced by `raw`."""
    document = copy.deepcopy(document) if document is not None else real_document()
    step = document["steps"][step_index(document)]
    step["transcript"]["raw_b64"] = base64.b64encode(raw).decode("ascii")
    return document


# ---------------------------------------------------------------- malformed evidence


@dataclass(frozen=True)
class Malformed:
    """An evidence file that must be refused, and what the message must say."""

    name: str
    make: Callable[[], bytes]
    says: tuple[str, ...]  # every one of these appears in the message (paths in the document)


def _edited(edit: Callable[[Document], Any]) -> Callable[[], bytes]:
    def make() -> bytes:
        document = real_document()
        edit(document)
        return dump(document)

    return make


def _token(path: Callable[[Document], dict[str, Any]], key: str, token: str) -> Callable[[], bytes]:
    """A JSON token that json.dumps cannot write (NaN, 1e400, a 5,000-digit number) put at a key."""

    def make() -> bytes:
        document = real_document()
        path(document)[key] = "@@TOKEN@@"
        return dump(document).replace(b'"@@TOKEN@@"', token.encode("ascii"), 1)

    return make


def _nested(depth: int) -> Callable[[], bytes]:
    def make() -> bytes:
        document = real_document()
        document["steps"][0]["checks"][0]["expected"] = "@@NEST@@"
        return dump(document).replace(b'"@@NEST@@"', b"[" * depth + b"]" * depth, 1)

    return make


def _lone_surrogate() -> bytes:
    document = real_document()
    document["steps"][2]["title"] = "@@SURROGATE@@"
    # json.dumps with ensure_ascii writes the escape a hostile editor would.
    return dump(document).replace(b"@@SURROGATE@@", b"Imagen \\ud800 rota", 1)


def _not_utf8() -> bytes:
    document = real_document()
    document["steps"][1]["title"] = "@@LATIN1@@"
    return dump(document).replace(b"@@LATIN1@@", "Descarga de la imagen".encode("latin-1") + b"\xf1\xe9", 1)


def _step(index: int) -> Callable[[Document], dict[str, Any]]:
    return lambda document: document["steps"][index]


MALFORMED: tuple[Malformed, ...] = (
    Malformed(
        "steps-not-a-list", _edited(lambda d: d.__setitem__("steps", "muchos")), ("steps", "expected a list")
    ),
    Malformed(
        "duration-a-string",
        _edited(lambda d: d["steps"][3].__setitem__("duration_s", "3 s")),
        # As the README shows it.
        ("steps[3].duration_s: expected a number or null, found the string '3 s'",),
    ),
    Malformed(
        "exit-code-a-string",
        _edited(lambda d: d["steps"][3].__setitem__("exit_code", "0")),
        ("steps[3].exit_code", "integer"),
    ),
    Malformed(
        "outcome-unknown",
        _edited(lambda d: d["steps"][0].__setitem__("outcome", "aprobado")),
        ("steps[0].outcome", "'passed'", "'aprobado'"),
    ),
    Malformed(
        "summary-not-a-number",
        _edited(lambda d: d["summary"].__setitem__("passed", "todos")),
        ("summary.passed", "integer"),
    ),
    Malformed(
        "transcript-missing", _edited(lambda d: d["steps"][1].pop("transcript")), ("steps[1]", "transcript")
    ),
    Malformed(
        "section-level-a-word",
        _edited(lambda d: d["spec"]["sections"][0].__setitem__("level", "uno")),
        ("spec.sections[0].level", "integer"),
    ),
    Malformed(
        "capability-not-an-object",
        _edited(lambda d: d["run"]["capabilities"].__setitem__("routing_mesh", "no")),
        ("run.capabilities.routing_mesh", "object"),
    ),
    Malformed(
        "engine-a-string",
        _edited(lambda d: d["targets"][next(iter(d["targets"]))].__setitem__("engine", "docker")),
        ("targets.", ".engine", "object"),
    ),
    Malformed("step-a-string", _edited(lambda d: d["steps"].__setitem__(4, "paso")), ("steps[4]", "object")),
    Malformed(
        "student-name-a-number",
        _edited(lambda d: d["student"].__setitem__("name", 42)),
        ("student.name", "string"),
    ),
    Malformed("unknown-key", _edited(lambda d: d.__setitem__("extra", 1)), ("extra", "unknown key")),
    Malformed("duration-nan", _token(_step(3), "duration_s", "NaN"), ("steps[3].duration_s", "NaN")),
    Malformed(
        "duration-infinity", _token(_step(3), "duration_s", "Infinity"), ("steps[3].duration_s", "Infinity")
    ),
    Malformed(
        "duration-minus-infinity",
        _token(_step(5), "duration_s", "-Infinity"),
        ("steps[5].duration_s", "-Infinity"),
    ),
    Malformed("duration-1e400", _token(_step(3), "duration_s", "1e400"), ("steps[3].duration_s", "1e400")),
    Malformed(
        "exit-code-5000-digits",
        _token(_step(3), "exit_code", "9" * 5000),
        ("steps[3].exit_code", "too large"),
    ),
    Malformed("nested-100000-deep", _nested(100_000), ("nested too deeply",)),
    Malformed("nested-500-deep", _nested(500), ("steps[0].checks[0].expected", "nested too deeply")),
    Malformed("lone-surrogate", _lone_surrogate, ("steps[2].title", "surrogate")),
    Malformed("not-utf8", _not_utf8, ("not UTF-8",)),
    Malformed("truncated", lambda: dump(real_document())[:5000], ("truncated JSON",)),
    Malformed("empty-file", lambda: b"", ("empty",)),
    Malformed("not-an-object", lambda: b"[1, 2, 3]\n", ("not an evidence file",)),
    Malformed("other-format", lambda: b'{"format": "otra-cosa"}\n', ("not a labcheck evidence file",)),
    Malformed(
        "format-version-3",
        _edited(lambda d: d.__setitem__("format_version", 3)),
        ("format_version", "2"),
    ),
)


# ---------------------------------------------------------------- pathological terminals


def cursor_down_huge() -> bytes:
    return b"antes\r\n\x1b[99999999Bdespues\r\n"


def cursor_far_away() -> bytes:
    # Right, to a column, to a position, and a tab storm: each used to pad a line to millions of cells.
    return (
        b"a\x1b[99999999Cb\r\n"
        b"\x1b[99999999Gc\r\n"
        b"\x1b[99999999;99999999Hd\r\n"
        b"e" + b"\t" * 2_000_000 + b"f\r\n"
        b"\x1b[99999999d\x1b[99999999Ag\r\n"
    )


def sgr_5000_digits() -> bytes:
    digits = b"9" * 5000
    return b"\x1b[38;5;" + digits + b"mrojo\x1b[0m \x1b[" + digits + b"mnegrita\x1b[0m\r\n"


def line_10mb() -> bytes:
    # One line, no newline until the end: a minified JSON dump or `cat` of a binary.
    return b"0123456789" * 1_000_000 + b"\r\n"


def cursor_moves_200k() -> bytes:
    """200,000 cursor moves, each followed by a little text: a hostile progress display."""
    rng = random.Random(10)
    parts: list[bytes] = []
    for index in range(200_000):
        kind = index % 4
        if kind == 0:
            parts.append(b"\x1b[%d;%dH" % (rng.randint(1, 99999), rng.randint(1, 99999)))
        elif kind == 1:
            parts.append(b"\x1b[%dA" % rng.randint(1, 999))
        elif kind == 2:
            parts.append(b"\x1b[%dB" % rng.randint(1, 999))
        else:
            parts.append(b"\x1b[%dC" % rng.randint(1, 999))
        parts.append(b"x%d" % index)
        if index % 50 == 0:
            parts.append(b"\r\n")
    return b"".join(parts) + b"\r\n"


def lines_1m() -> bytes:
    return b"".join(b"linea %07d\r\n" % n for n in range(1_000_000))


def colour_every_char() -> bytes:
    # A new colour for every character: one HTML span each, unless the report cuts.
    return b"".join(b"\x1b[38;5;%dm%c" % (n % 256, 65 + n % 26) for n in range(400_000)) + b"\x1b[0m\r\n"


def many_steps(count: int = 5000) -> Document:
    """The real steps repeated to `count`, each with distinct bytes so no cache makes them cheaper."""
    document = real_document()
    real = document["steps"]
    steps: list[dict[str, Any]] = []
    for index in range(count):
        step = copy.deepcopy(real[index % len(real)])
        step["id"] = f"{step['id']}-{index}"
        step["number"] = f"{step['number']}.{index // len(real)}"
        raw = base64.b64decode(step["transcript"]["raw_b64"]) + f"\r\n{index}\r\n".encode()
        step["transcript"]["raw_b64"] = base64.b64encode(raw).decode("ascii")
        steps.append(step)
    document["steps"] = steps
    document["summary"] = {**document["summary"], "total": count}
    return document


def huge_texts() -> Document:
    """Titles, commands, explanations and checked values of megabytes: none may flood the report."""
    document = real_document()
    step = document["steps"][step_index(document)]
    step["title"] = "título " * 300_000
    step["command"] = "docker run " + "a" * 2_000_000
    step["explanation"] = "> " * 5000 + "cita " * 200_000
    step["checks"] = [dict(step["checks"][0], says=f"comprobación {n}") for n in range(20_000)]
    document["lab"]["title"] = "Laboratorio " * 100_000
    return document


def colourful_steps(count: int = 40) -> Document:
    """`count` steps whose output changes colour at every character, just under the per-block
    limit on colour changes: together they would be a million spans for the PDF to lay out."""
    document = real_document()
    line = b"".join(b"\x1b[38;5;%dm%c" % (16 + n, 65 + n % 26) for n in range(70)) + b"\x1b[0m\r\n"
    for index, step in enumerate(document["steps"][:count]):
        raw = b"%d\r\n" % index + line * 280
        step["transcript"]["raw_b64"] = base64.b64encode(raw).decode("ascii")
    return document


@dataclass(frozen=True)
class Pathological:
    name: str
    make: Callable[[], Document]  # the whole real evidence with the case in it (the benchmark)
    small: Callable[[], Document]  # the same case in a few real steps (the tests)
    marker: str  # what the PDF says where output was left out or cut ("" when nothing is cut)


def _in_steps(make_raw: Callable[[], bytes], marker: str, name: str) -> Pathological:
    return Pathological(
        name, lambda: with_transcript(make_raw()), lambda: with_transcript(make_raw(), first_steps()), marker
    )


LINES_OMITTED = "líneas omitidas en el informe"
LINE_CUT = "línea cortada"

PATHOLOGICAL: tuple[Pathological, ...] = (
    _in_steps(cursor_down_huge, "", "cursor-down-99999999"),
    _in_steps(cursor_far_away, "", "cursor-far-away"),
    _in_steps(sgr_5000_digits, "", "sgr-5000-digits"),
    _in_steps(line_10mb, "bytes más de salida sin mostrar", "line-10mb"),
    _in_steps(cursor_moves_200k, LINES_OMITTED, "cursor-moves-200k"),
    _in_steps(lines_1m, LINES_OMITTED, "lines-1m"),
    _in_steps(colour_every_char, LINE_CUT, "colour-every-char"),
    Pathological("steps-5000", many_steps, many_steps, "Este informe detalla los primeros"),
    Pathological("colourful-steps", colourful_steps, lambda: colourful_steps(12), "se muestra sin colores"),
    Pathological("huge-texts", huge_texts, huge_texts, "texto cortado"),
)


def pathological(name: str) -> Pathological:
    return next(case for case in PATHOLOGICAL if case.name == name)


def first_steps(count: int = 6) -> Document:
    """The real evidence cut to its first steps (the one the terminal cases replace among them):
    a small report, so each hostile case costs its own output only."""
    document = real_document()
    document["steps"] = document["steps"][: max(count, step_index(document) + 1)]
    document["summary"] = {**document["summary"], "total": len(document["steps"])}
    return document


# ---------------------------------------------------------------- running `labcheck report` bounded


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run_bounded(
    arguments: list[str | bytes | Path], *, memory_bytes: int = 1024**3, cpu_seconds: int = 60
) -> Outcome:
    """`labcheck ARGUMENTS` in a fresh process that may use at most this address space and CPU time:
    past either, the kernel stops it (MemoryError or SIGXCPU) and the outcome shows it."""
    import resource
    import subprocess
    import sys

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    done = subprocess.run(
        [sys.executable, "-m", "labcheck", *arguments],
        capture_output=True,
        preexec_fn=limits,
        check=False,
        cwd=ROOT,
    )
    return Outcome(
        done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def many_transcripts(count: int = 24, size: int = 1_500_000) -> Document:
    """Evidence near the 50 MB limit made of terminal output: `count` steps of `size` bytes of
    cursor moves each (base64 makes them 4/3 bigger)."""
    document = real_document()
    moves = cursor_moves_200k()
    for index, step in enumerate(document["steps"][:count]):
        raw = (b"%d " % index + moves * (size // len(moves) + 1))[:size]
        step["transcript"]["raw_b64"] = base64.b64encode(raw).decode("ascii")
    return document


# Evidence close to the 50 MB limit, for the benchmark only (each takes a minute to render).
NEAR_LIMIT: tuple[Pathological, ...] = (
    Pathological(
        "steps-12000", lambda: many_steps(12_000), lambda: many_steps(12_000), "Este informe detalla"
    ),
    Pathological("transcripts-48mb", many_transcripts, many_transcripts, "no se incluye"),
)
