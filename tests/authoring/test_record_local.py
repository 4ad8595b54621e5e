"""`labcheck record` on the local target (steps as plain processes, no engine): what it proposes,
what it keeps and what it says about the author's own rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labcheck.spec.loader import load_lab

SPEC = """\
labcheck: 1
lab: {id: record-local, title: Grabar, language: es, version: "1"}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: greet
        title: Saludar
        run: echo "hello from the lab"; date +%N
        expect:
          exit_code: 0
      - id: count
        title: Contar
        run: printf 'one\\ntwo\\n'; exit 3
        expect:
          output:
            - contains: nope  # the author's, wrong
"""


def _record(pack: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "labcheck", "record", str(pack), "--runs", "2", "--target", "host=local"]
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=pack)


def test_record_proposes_what_every_run_showed_and_keeps_the_authors_words(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    done = _record(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = spec.read_text(encoding="utf-8")
    assert "            - contains: nope  # the author's, wrong\n" in text  # kept as written
    lab = load_lab(spec)
    greet, count = lab.step("greet"), lab.step("count")
    # The nanoseconds differ between runs: only the line every run printed is proposed.
    assert [(m.kind, m.value) for m in greet.matchers] == [("contains", "hello from the lab")]
    assert greet.exit_code == 0  # the author's
    assert count.exit_code == 3  # recorded: both runs exited 3
    assert [(m.kind, m.value) for m in count.matchers][:1] == [("contains", "nope")]
    assert ("contains", "one") not in [(m.kind, m.value) for m in count.matchers]  # too short to tell
    assert "its contains rule fails on every reference run" in done.stdout
    assert "# recorded: the same in all 2 reference runs" in text
