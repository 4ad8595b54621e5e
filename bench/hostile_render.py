"""Time, peak memory and pages of `labcheck report` (HTML + PDF) on hostile evidence.

    .venv/bin/python bench/hostile_render.py [CASE...]

The cases are the pathological inputs of tests/hostile/render_inputs.py, each made
from the real evidence of the bundled lab: a 16-byte cursor move of 99,999,999 rows,
cursor jumps to far columns and a tab storm, a 5,000-digit SGR parameter, a 10 MB
line, 200,000 cursor moves, a million lines, a colour per character, 5,000 steps,
and megabytes of titles, commands and explanations; then two evidence files close to the
50 MB size limit (12,000 steps; 24 transcripts of 1.5 MB). Each renders in a fresh process
(`labcheck report EVIDENCE -o DIR`) whose CPU time and peak RSS come from
resource.getrusage(RUSAGE_CHILDREN); the evidence is written beforehand, so making it
is not counted. Goals (issue #10): each case under a minute and within 1 GB, with a
visible marker in the PDF where output was left out. The process runs under
RLIMIT_AS 2 GB and RLIMIT_CPU 300 s, so a regression fails its row instead of the machine.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.render_inputs import NEAR_LIMIT, PATHOLOGICAL, dump  # noqa: E402

CASES = (*PATHOLOGICAL, *NEAR_LIMIT)

LIMIT_AS = 2 * 1024**3
LIMIT_CPU_S = 300


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_CPU_S, LIMIT_CPU_S))


def _pages(pdf: Path) -> int | None:
    if not pdf.is_file() or shutil.which("pdfinfo") is None:
        return None
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def _marked(pdf: Path, marker: str) -> str:
    """Whether the PDF says where output was cut: "yes", "no", or "-" when nothing needs cutting."""
    if not marker:
        return "-"
    if not pdf.is_file() or shutil.which("pdftotext") is None:
        return "no"
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=False)
    text = " ".join(done.stdout.decode("utf-8", "replace").split())
    return "yes" if marker in text else "no"


def measure(name: str, folder: Path) -> dict[str, object]:
    case = next(case for case in CASES if case.name == name)
    evidence = folder / f"{name}.json"
    evidence.write_bytes(dump(case.make()))
    out = folder / name
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "labcheck", "report", str(evidence), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pdf = out / "informe.pdf"
    return {
        "case": name,
        "evidence_mib": evidence.stat().st_size / 1024**2,
        "exit": done.returncode,
        "wall_s": wall,
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        # This process has one child, the report: its peak is the children's maximum.
        "peak_mib": after.ru_maxrss / 1024,
        "pages": _pages(pdf),
        "marker": _marked(pdf, case.marker),
        "error": done.stderr.strip().splitlines()[-1] if done.returncode else "",
    }


def main() -> int:
    if len(sys.argv) >= 4 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]))))
        return 0
    names = sys.argv[1:] or [case.name for case in CASES]
    print(
        f"{'case':<22} {'MiB in':>7} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MiB':>9} "
        f"{'pages':>6} marker"
    )
    worst_s = worst_mib = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            # One measuring process per case, so ru_maxrss of its children is this case's alone.
            done = subprocess.run(
                [sys.executable, __file__, "--one", name, tmp], capture_output=True, text=True, check=True
            )
            row = json.loads(done.stdout)
            worst_s = max(worst_s, row["wall_s"])
            worst_mib = max(worst_mib, row["peak_mib"])
            print(
                f"{row['case']:<22} {row['evidence_mib']:>7.1f} {row['exit']:>4} {row['wall_s']:>7.1f} "
                f"{row['cpu_s']:>6.1f} {row['peak_mib']:>9.0f} {row['pages']!s:>6} "
                f"{row['marker']:>6} {row['error']}"
            )
    ok = worst_s < 60 and worst_mib < 1024
    print(
        f"worst: {worst_s:.1f} s, {worst_mib:.0f} MiB; goals (< 60 s, < 1 GiB): "
        + ("met" if ok else "NOT met")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
