"""The command lines in the README's `sh` code blocks, as a reader would copy them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# README commands no test runs, each with the reason.
NOT_RUN_HERE = {
    "scripts/test.sh": "it is CI's own command: it runs these tests",
    '.venv/bin/pytest -m "not docker"': "it runs the test suite this test is part of",
    ".venv/bin/pytest tests/docker": "it runs the test suite this test is part of",
    "scripts/floors.sh": "scripts/test.sh runs it, on every CI run",
    **{
        f".venv/bin/python bench/{script.name}": "a benchmark: it prints figures and is run by hand"
        for script in sorted((ROOT / "bench").glob("*.py"))
    },
}


def sh_blocks() -> list[list[str]]:
    """Each ```sh block's command lines: continuations joined, trailing `# comments` dropped."""
    text = README.read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"^ *```sh\n(.*?)^ *```", text, re.S | re.M):
        lines = []
        for line in block.replace("\\\n", " ").splitlines():
            command = re.split(r"\s{2,}#\s|\s#\s(?=[A-Za-z(])", line.strip(), maxsplit=1)[0].strip()
            if command:
                lines.append(re.sub(r"\s+", " ", command))
        blocks.append(lines)
    return blocks


def is_synopsis(line: str) -> bool:
    """A usage summary (`labcheck run [SPEC...] ...`), not a command to run as it stands."""
    return "[" in line or "..." in line


def block_with(first: str) -> list[str]:
    """The sh block whose first command line is `first`."""
    (block,) = [block for block in sh_blocks() if block and block[0] == first]
    return block
