"""What bounding regex time costs: `re`, `regex` (with its timeout) and RE2 on the bundled lab.

    .venv/bin/python bench/regex_engines.py [--rounds N]

For every pattern of specs/ops-stage1 (output rules and captures, with the captured values of
the real run put in, as the runner does) over its own step's transcript from
tests/data/evidence/ops-stage1.json: the time per match for each engine, whether each engine
gives the verdict `re` gives, and the patterns an engine cannot compile. Then the same patterns
over a 1 MB transcript, the adversarial `(a+)+$` and `(a|aa)+$` on `a...a!`, and what the
validate-time probe for catastrophic patterns adds to loading the spec.

Goals (printed, not asserted): the chosen engine keeps every verdict of `re` on the real run,
costs under 3x `re` per match, and a match that runs out of time gives up within 2 s.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import re2
import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labcheck import patterns  # noqa: E402
from labcheck.spec.loader import load_lab  # noqa: E402
from labcheck.spec.placeholders import PLACEHOLDER  # noqa: E402

EVIDENCE = ROOT / "tests" / "data" / "evidence" / "ops-stage1.json"
SPEC = ROOT / "specs" / "ops-stage1"

Searcher = Callable[[str, str], bool]


def pairs() -> list[tuple[str, str, bool]]:
    """(pattern, transcript, ignore_case) for every spec pattern, values filled in."""
    lab = load_lab(SPEC)
    document: dict[str, Any] = json.loads(EVIDENCE.read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    found = []
    for record in document["steps"]:
        values.update(record.get("captures") or {})
        step = lab.step(record["id"])
        text = str(record["transcript"]["text"])

        def fill(pattern: str) -> str:
            return PLACEHOLDER.sub(lambda m: re.escape(values.get(m.group(1), m.group(0))), pattern)

        for matcher in step.matchers:
            if matcher.kind in ("matches", "not_matches"):
                found.append((fill(str(matcher.value)), text, matcher.ignore_case))
            elif matcher.kind == "distinct_matches":
                found.append((fill(str(matcher.value["pattern"])), text, matcher.ignore_case))
        for capture in step.captures:
            if capture.pattern:
                found.append((capture.pattern, text, False))
    return found


def engines() -> dict[str, Callable[[str, bool], Searcher | None]]:
    def with_re(pattern: str, ignore_case: bool) -> Searcher:
        compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        return lambda p, text: compiled.search(text) is not None

    def with_regex(pattern: str, ignore_case: bool) -> Searcher:
        return lambda p, text: patterns.search(pattern, text, ignore_case=ignore_case) is not None

    def with_re2(pattern: str, ignore_case: bool) -> Searcher | None:
        try:
            compiled = re2.compile(("(?i)" if ignore_case else "") + pattern)
        except re2.error:
            return None
        return lambda p, text: compiled.search(text) is not None

    return {"re": with_re, f"regex (timeout {patterns.MATCH_TIMEOUT_S:g} s)": with_regex, "re2": with_re2}


def per_match(search: Searcher, pattern: str, text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        search(pattern, text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(call: Callable[[], object]) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        call()
        outcome = "answered"
    except (TimeoutError, patterns.PatternTimeout):
        outcome = "timed out"
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    cases = pairs()
    big = "\n".join(text for _, text, _ in cases)
    big = (big * (1_000_000 // max(1, len(big)) + 1))[:1_000_000]
    print(f"{len(cases)} patterns of specs/ops-stage1 over their real transcripts ({rounds} rounds each)")
    reference: list[bool] = []
    for name, make in engines().items():
        total = big_total = 0.0
        disagree: list[str] = []
        unsupported = 0
        for index, (pattern, text, ignore_case) in enumerate(cases):
            search = make(pattern, ignore_case)
            if search is None:
                unsupported += 1
                continue
            total += per_match(search, pattern, text, rounds)
            big_total += per_match(search, pattern, big, 1)
            verdict = search(pattern, text)
            if name == "re":
                reference.append(verdict)
            elif verdict != reference[index]:
                disagree.append(pattern)
        print(
            f"  {name:20} {total / len(cases) * 1e6:8.1f} µs per match; 1 MB transcript: "
            f"{big_total / len(cases) * 1e3:7.2f} ms per pattern; cannot compile: {unsupported}; "
            f"verdicts unlike re's: {len(disagree)}"
        )
        for pattern in disagree[:4]:
            print(f"      e.g. /{pattern}/")

    print("what RE2 reads differently from re (a spec is written in Python's syntax):")
    for pattern, text in ((r"^hello from [0-9a-f]{4}$", "hello from 1a2b\n"), (r"\bcafé\b", "un café.")):
        print(
            f"  /{pattern}/ on {text!r}: re {re.search(pattern, text) is not None}, "
            f"regex {patterns.search(pattern, text) is not None}, re2 {re2.search(pattern, text) is not None}"
        )
    for pattern in (r"(?<=ID )[0-9a-f]+", r"(a)\1"):
        try:
            re2.compile(pattern)
            print(f"  /{pattern}/: re2 compiles it")
        except re2.error:
            print(f"  /{pattern}/: re2 cannot compile it; re and regex can")

    print("adversarial (a+)+$ on 'a' * n + '!':")
    for n in (18, 20, 22):
        seconds, outcome = timed(lambda n=n: re.search(r"(a+)+$", "a" * n + "!"))
        print(f"  re       n={n:>7}: {seconds:8.3f} s ({outcome}; doubles every extra 'a')")
    for n in (40, 2000, 100_000):
        seconds, outcome = timed(lambda n=n: patterns.search(r"(a+)+$", "a" * n + "!"))
        print(f"  regex    n={n:>7}: {seconds:8.3f} s ({outcome})")
    for n in (40, 100_000, 1_000_000):
        seconds, outcome = timed(lambda n=n: re2.search(r"(a+)+$", "a" * n + "!"))
        print(f"  re2      n={n:>7}: {seconds:8.3f} s ({outcome})")
    seconds, outcome = timed(lambda: patterns.search(r"(a|aa)+$", "a" * 40 + "!"))
    print(
        f"  regex    (a|aa)+$ on 41 bytes: {seconds:.3f} s "
        f"({outcome}; timeout {patterns.MATCH_TIMEOUT_S:g} s)"
    )

    lab = load_lab(SPEC)
    spec_patterns = {pattern for pattern, _, _ in cases} | {s.prompt for s in lab.steps}
    patterns.slow_input.cache_clear()
    start = time.perf_counter()
    flagged = [p for p in spec_patterns if patterns.slow_input(p)]
    probe = time.perf_counter() - start
    patterns.slow_input.cache_clear()
    start = time.perf_counter()
    load_lab(SPEC)
    loading = time.perf_counter() - start
    print(
        f"validate's probe: {probe * 1e3:.0f} ms for {len(spec_patterns)} patterns "
        f"({len(flagged)} flagged); load_lab with it: {loading * 1e3:.0f} ms"
    )
    print(f"regex {regex.__version__}")


if __name__ == "__main__":
    main()
