"""`labcheck import` on every lab of ../shared/labs/ (the play-with-docker site's Markdown).

Prints per file and in total: steps, nodes, captures to confirm, rules proposed, items left,
whether the pack validates and what `labcheck lint` finds in it statically; then, for the three
ops-s1 files together, the share of the bundled ops-stage1 spec's commands found among the
imported steps, in order (goal: at least 90%). A spec command's `${{ name }}` matches any value.

    .venv/bin/python bench/import_labs.py [LABS_DIR]
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from labcheck.authoring.importer import import_lab
from labcheck.authoring.lint_static import static_findings
from labcheck.errors import LabcheckError
from labcheck.spec.loader import load_lab
from labcheck.spec.placeholders import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
OPS_PARTS = ("ops-s1-hello", "ops-s1-images", "ops-s1-swarm-intro")


def _labs_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    for candidate in (ROOT.parent / "shared" / "labs", ROOT.parents[1] / "shared" / "labs"):
        if candidate.is_dir():
            return candidate
    raise SystemExit("no ../shared/labs/ here: give the folder of the lab files")


def _flat(command: str) -> str:
    return " ".join(command.split())


def _matches(spec_command: str, imported: str) -> bool:
    """The spec's command, its `${{ name }}` standing for any text, is the imported one."""
    pieces = PLACEHOLDER.split(_flat(spec_command))
    literal = [re.escape(piece) for piece in pieces[::2]]
    return re.fullmatch(".+?".join(literal), PLACEHOLDER.sub("X", _flat(imported))) is not None


def in_order(spec_commands: list[str], imported: list[str]) -> int:
    """How many spec commands are found among the imported ones in the same order (a longest
    common subsequence under `_matches`)."""
    previous = [0] * (len(imported) + 1)
    for wanted in spec_commands:
        current = [0] * (len(imported) + 1)
        for j, got in enumerate(imported, 1):
            current[j] = previous[j - 1] + 1 if _matches(wanted, got) else max(previous[j], current[j - 1])
        previous = current
    return previous[-1]


def main() -> None:
    labs = sorted(_labs_dir().glob("*.markdown"))
    totals = [0, 0, 0, 0, 0]
    valid = 0
    ops_commands: dict[str, list[str]] = {}
    print(f"{'lab':40} {'steps':>5} {'nodes':>5} {'capt.':>5} {'rules':>5} {'left':>5}  pack, lint")
    with tempfile.TemporaryDirectory() as work:
        for path in labs:
            name = path.name.rsplit("__", 1)[-1].removesuffix(".markdown")
            try:
                result = import_lab(path, Path(work) / name)
                lab = load_lab(result.spec)
            except LabcheckError as error:
                print(f"{name:40} failed: {error}")
                continue
            valid += 1
            s = result.summary
            figures = [s.steps, s.nodes, s.captures_to_confirm, s.rules_proposed, s.items_left]
            totals = [a + b for a, b in zip(totals, figures, strict=True)]
            findings = len(static_findings(lab))
            print(f"{name:40} " + " ".join(f"{n:5}" for n in figures) + f"  validates, {findings} findings")
            for part in OPS_PARTS:
                if name.endswith(part):
                    ops_commands[part] = [step.run for step in lab.steps]
    print(
        f"{'total (' + str(len(labs)) + ' files, ' + str(valid) + ' packs valid)':40} "
        + " ".join(f"{n:5}" for n in totals)
    )
    spec = load_lab(ROOT / "specs" / "ops-stage1")
    wanted = [step.run for step in spec.steps]
    imported = [command for part in OPS_PARTS for command in ops_commands.get(part, [])]
    found = in_order(wanted, imported)
    print(
        f"ops-stage1: {found} of {len(wanted)} spec commands among the {len(imported)} imported steps "
        f"of the three ops-s1 files, in order: {100 * found / len(wanted):.1f}% (goal >= 90%)"
    )


if __name__ == "__main__":
    main()
