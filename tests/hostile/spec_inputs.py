"""Hostile and broken lab specs, made on demand (none is kept as a file in the repository).

Each maker returns the text of a lab.yaml (or makes a path in a folder); `EXPECTED` says
what `labcheck validate` must answer: the line it names and words of its message.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER = 'labcheck: 1\nlab: {id: hostile, title: Hostil, language: es, version: "1"}\n'


def spec_with_steps(steps: str, *, before_sections: str = "") -> str:
    """A valid spec around the given step items (indented as list items of `steps:`)."""
    return HEADER + before_sections + 'sections:\n  - number: "1"\n    title: Uno\n    steps:\n' + steps


def step(step_id: str, *, extra: str = "", run: str = "echo hola", expect: str = "exit_code: 0") -> str:
    lines = [f"      - id: {step_id}", f"        title: Paso {step_id}", f"        run: {run}"]
    lines += [f"        {line}" for line in extra.splitlines() if line]
    lines += ["        expect:", *(f"          {line}" for line in expect.splitlines())]
    return "\n".join(lines) + "\n"


# --- YAML that could hurt -------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    """The 'billion laughs': a few hundred bytes that expand to 10**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    return HEADER + "\n".join(lines) + "\nsections: *a8\n"


def deep_nesting(depth: int = 5000) -> str:
    return HEADER + "sections: " + "[" * depth + "]" * depth + "\n"


def deep_block_nesting(depth: int = 200) -> str:
    body = "".join(f"{'  ' * level}k{level}:\n" for level in range(depth))
    return HEADER + "extra:\n" + "\n".join("  " + line for line in body.splitlines()) + " x\n"


def self_alias() -> str:
    return HEADER + "sections: &a [*a]\n"


def complex_key() -> str:
    return HEADER + "? [a, b]\n: 1\nsections: []\n"


def python_name_tag() -> str:
    return HEADER + "sections: !!python/name:os.system\n"


def python_object_tag() -> str:
    return HEADER + 'sections: !!python/object/apply:os.system ["echo owned"]\n'


def bad_int_tag() -> str:
    return HEADER + "sections: !!int abc\n"


def custom_tag() -> str:
    return HEADER + "sections: !secret [1]\n"


def huge_integer(digits: int = 5000) -> str:
    return spec_with_steps(step("a", expect=f"exit_code: {'9' * digits}"))


def duplicate_key() -> str:
    return spec_with_steps(step("a", extra="run: rm -rf /tmp/x"))


def many_steps(count: int = 703) -> str:
    return spec_with_steps("".join(step(f"s{index}") for index in range(count)))


def oversized(megabytes: int = 2) -> str:
    filler = "# " + "x" * 1000 + "\n"
    return spec_with_steps(step("a")) + filler * (megabytes * 1024)


def control_character() -> str:
    return HEADER.replace("Hostil", "Hostil\x1b[2J") + "sections: []\n"


def escape_in_a_key() -> str:
    return spec_with_steps(step("a"), before_sections='"\\e[2J\\e]52;c;aGk=\\a": 1\n')


def huge_duration() -> str:
    return spec_with_steps(step("a", extra=f"timeout: {'9' * 400}h"))


def many_values(count: int = 30_000) -> str:
    return HEADER + "extra: [" + ",".join("1" for _ in range(count)) + "]\nsections: []\n"


# --- Specs that cannot work -----------------------------------------------------------------


def zero_timeout() -> str:
    return spec_with_steps(step("a", extra="timeout: 0s"))


def zero_default_timeout() -> str:
    return spec_with_steps(step("a"), before_sections="defaults: {timeout: 0ms}\n")


def lines_min_above_max() -> str:
    return spec_with_steps(step("a", expect="output:\n  - lines: {min: 5, max: 2}"))


def capture_group_missing() -> str:
    capture = 'capture:\n  - {name: code, from: output, pattern: "id ([0-9]+)", group: 2}'
    return spec_with_steps(step("a", extra=capture))


def needs_later_step() -> str:
    return spec_with_steps(step("first", extra="needs: [second]") + step("second"))


def needs_typo() -> str:
    return spec_with_steps(step("build-image") + step("run-image", extra="needs: [build-imgae]"))


def placeholder_unknown() -> str:
    capture = 'capture:\n  - {name: container_id, from: output, pattern: "([0-9a-f]{12})"}'
    return spec_with_steps(step("a", extra=capture) + step("b", run='"docker stop ${{ container_ie }}"'))


def placeholder_later() -> str:
    capture = 'capture:\n  - {name: container_id, from: output, pattern: "([0-9a-f]{12})"}'
    return spec_with_steps(step("a", run='"docker stop ${{ container_id }}"') + step("b", extra=capture))


def exponential_pattern() -> str:
    return spec_with_steps(step("a", expect='output:\n  - matches: "(a|aa)+$"'))


def nested_quantifier_pattern() -> str:
    return spec_with_steps(step("a", expect='output:\n  - not_matches: "(a+)+$"'))


def slow_prompt() -> str:
    return spec_with_steps(step("a", extra='tty: true\nprompt: "(\\\\w+)+#"'))


def deeply_nested_pattern() -> str:
    return spec_with_steps(step("a", expect=f'output:\n  - matches: "{"(" * 5000}{")" * 5000}"'))


def invalid_pattern() -> str:
    return spec_with_steps(step("a", expect='output:\n  - matches: "id: [z-a]+"'))


# --- Paths that are not regular files -------------------------------------------------------


def link_to_dev_zero(folder: Path) -> Path:
    (folder / "lab.yaml").symlink_to("/dev/zero")
    return folder


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "lab.yaml")
    return folder


@dataclass(frozen=True)
class Refusal:
    """What validate must say: the line (None for the file as a whole) and words of the message."""

    line: int | None
    words: tuple[str, ...]


EXPECTED: dict[str, tuple[Callable[[], str], Refusal]] = {
    "alias_bomb": (alias_bomb, Refusal(3, ("anchor '&a0'", "not allowed"))),
    "deep_nesting": (deep_nesting, Refusal(3, ("nested more than 50 levels",))),
    "deep_block_nesting": (deep_block_nesting, Refusal(52, ("nested more than 50 levels",))),
    "self_alias": (self_alias, Refusal(3, ("anchor '&a'",))),
    "complex_key": (complex_key, Refusal(3, ("a key must be plain text",))),
    "python_name_tag": (python_name_tag, Refusal(3, ("tag '!!python/name:os.system'", "not allowed"))),
    "python_object_tag": (python_object_tag, Refusal(3, ("tag '!!python/object/apply:os.system'",))),
    "bad_int_tag": (bad_int_tag, Refusal(3, ("'abc' is not a valid !!int",))),
    "custom_tag": (custom_tag, Refusal(3, ("tag '!secret'",))),
    "huge_integer": (huge_integer, Refusal(11, ("is not a valid !!int",))),
    "duplicate_key": (duplicate_key, Refusal(10, ("the key 'run' appears twice (lines 9 and 10)",))),
    "oversized": (oversized, Refusal(None, ("bytes; a spec may have at most 1 MiB",))),
    "many_values": (many_values, Refusal(3, ("more than 20,000 values",))),
    "control_character": (
        control_character,
        Refusal(2, ("the character U+001B, which YAML does not allow",)),
    ),
    "escape_in_a_key": (escape_in_a_key, Refusal(3, ("unknown key '\\x1b[2J\\x1b]52;c;aGk=\\x07'",))),
    "huge_duration": (huge_duration, Refusal(10, ("must be at most 24h; got '999999999999…9h'",))),
    "zero_timeout": (zero_timeout, Refusal(10, ("timeout: must be above zero; got '0s'",))),
    "zero_default_timeout": (zero_default_timeout, Refusal(3, ("defaults.timeout: must be above zero",))),
    "lines_min_above_max": (lines_min_above_max, Refusal(12, ("min (5) is above max (2)",))),
    "capture_group_missing": (capture_group_missing, Refusal(11, ("group 2 does not exist", "has 1 group "))),
    "needs_later_step": (needs_later_step, Refusal(10, ("'second' comes after this step", ":13"))),
    "needs_typo": (needs_typo, Refusal(15, ("did you mean 'build-image'?",))),
    "placeholder_unknown": (placeholder_unknown, Refusal(16, ("did you mean '${{ container_id }}'?",))),
    "placeholder_later": (placeholder_later, Refusal(9, ("captured only later, by step 'b'",))),
    "exponential_pattern": (exponential_pattern, Refusal(12, ("backtracks", "(a|aa)+$"))),
    "nested_quantifier_pattern": (nested_quantifier_pattern, Refusal(12, ("backtracks", "(a+)+$"))),
    "slow_prompt": (slow_prompt, Refusal(11, ("prompt: the pattern", "backtracks"))),
    "invalid_pattern": (
        invalid_pattern,
        Refusal(12, ("not a valid regular expression (bad character range",)),
    ),
    "deeply_nested_pattern": (
        deeply_nested_pattern,
        Refusal(12, ("not a valid regular expression (groups nested too deeply)",)),
    ),
}


# --- Running validate as a user would, with the limits the issue sets -----------------------

MEMORY_LIMIT_BYTES = 2 * 1024**3
CPU_LIMIT_S = 20
# Only a guard against a blocked process (a FIFO waits without using CPU): not a speed test.
HANG_GUARD_S = 120


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_S, CPU_LIMIT_S))


def run_limited(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m labcheck ARGV` in a child limited to 2 GB of address space and 20 s of CPU:
    past either it dies (MemoryError, SIGXCPU) instead of answering."""
    return subprocess.run(
        [sys.executable, "-m", "labcheck", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_child,
        timeout=HANG_GUARD_S,
        check=False,
    )


def run_python_limited(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_child,
        timeout=HANG_GUARD_S,
        check=False,
    )
