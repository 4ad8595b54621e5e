from __future__ import annotations

from labcheck.checks.output import judge_exit_code, judge_output_rule

STREAMS = {"output": "REPOSITORY   TAG\nalpine       latest   abc123def456\n", "stdout": "x", "stderr": ""}


def verdict(rule: dict[str, object], values: dict[str, str] | None = None) -> str:
    return judge_output_rule({"stream": "output", **rule}, STREAMS, values or {}).verdict


def test_contains_and_not_contains() -> None:
    assert verdict({"contains": "alpine"}) == "passed"
    assert verdict({"contains": "ubuntu"}) == "failed"
    assert verdict({"not_contains": "ubuntu"}) == "passed"
    assert verdict({"not_contains": "alpine"}) == "failed"


def test_matches_substitutes_captured_values_literally() -> None:
    assert verdict({"matches": "(?m)^alpine +latest +${{ image }}"}, {"image": "abc123def456"}) == "passed"
    # A captured value is text, not a pattern: its dots do not match any character.
    assert verdict({"matches": "${{ v }}"}, {"v": "abc.23"}) == "failed"


def test_lines_and_equals() -> None:
    assert verdict({"lines": {"equals": 2}}) == "passed"
    assert verdict({"lines": {"min": 3}}) == "failed"
    assert judge_output_rule({"stream": "stderr", "lines": {"equals": 0}}, STREAMS, {}).passed
    assert judge_output_rule({"stream": "stdout", "equals": "x"}, STREAMS, {}).passed


def test_distinct_matches_counts_different_values() -> None:
    streams = {"output": "container ID aa\ncontainer ID bb\ncontainer ID aa\n"}
    rule = {"stream": "output", "distinct_matches": {"pattern": "container ID [a-f]+", "min": 2}}
    record = judge_output_rule(rule, streams, {})
    assert record.passed and record.observed == ["container ID aa", "container ID bb"]
    rule["distinct_matches"] = {"pattern": "container ID [a-f]+", "min": 3}
    assert not judge_output_rule(rule, streams, {}).passed


def test_failed_check_shows_expected_and_actual() -> None:
    record = judge_output_rule({"stream": "output", "contains": "Hello from Docker!"}, STREAMS, {})
    assert record.expected == "Hello from Docker!" and "alpine" in record.observed


def test_exit_code_timeout_never_passes() -> None:
    assert judge_exit_code(0, 0, timed_out=False).passed
    assert not judge_exit_code(0, 1, timed_out=False).passed
    assert not judge_exit_code(0, None, timed_out=True).passed
