"""Time `kit up` cold, warm, incremental (one new small lab) and `kit import` of an export.

For every bundled lab (whatever `labcheck labs` lists when it runs). Goals on a 2-core machine:
cold < 4 min, warm < 20 s, incremental for one new small lab < 30 s, import < 60 s.

- cold: `kit down --purge`, then `kit up` (debootstrap, node image, stand-ins, git mirrors, the
  package repository fetched from Debian's archive);
- warm: `kit down`, then `kit up` (data dir kept: the saved node image is loaded);
- incremental: `kit up` for a throw-away lab pack with one stand-in of its own and one repository;
- export: `kit export` to a temp file (its size is printed);
- import: `kit down`, then `kit import` into an empty data dir ("another machine": LABCHECK_KIT_HOME)
  and the kit up from it; then that kit is purged and this machine's kit brought up again.

Leaves the kit up for the bundled labs. Run: .venv/bin/python bench/kit_up.py [--skip-cold]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from labcheck.bundled import bundled_labs
from labcheck.kit import api, export, export_reader
from labcheck.spec.loader import load_lab

GOALS_S = {"cold_up_s": 240.0, "warm_up_s": 20.0, "incremental_up_s": 30.0, "import_s": 60.0}


def _progress(message: str) -> None:
    print(f"  kit: {message}", file=sys.stderr, flush=True)


def _timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def _small_pack(folder: Path) -> Path:
    token = secrets.token_hex(4)
    (folder / "standins/hello").mkdir(parents=True)
    (folder / "standins/hello/Dockerfile").write_text(
        'ARG ALPINE\nFROM ${ALPINE}\nRUN echo "hola" > /hola\nCMD ["cat", "/hola"]\n'
    )
    (folder / "repo").mkdir()
    (folder / "repo/notas.txt").write_text(f"notas {token}\n")
    (folder / "lab.yaml").write_text(
        f"""\
labcheck: 1
lab: {{id: bench-{token}, title: Banco, language: es, version: "1"}}
nodes: [{{name: node1}}]
images: [{{ref: "bench-{token}/hello:1", standin: {{build: standins/hello}}}}]
repositories: [{{url: "https://git.example.invalid/bench/notes-{token}", content: repo}}]
sections:
  - number: "1"
    title: Uno
    steps:
      - {{id: hello, title: Hola, run: "docker container run --rm bench-{token}/hello:1",
         expect: {{output: [{{contains: hola}}]}}}}
""",
        encoding="utf-8",
    )
    return folder


def _import_elsewhere(tar: Path, home: Path) -> float:
    """`kit import` into an empty data dir, timed; that kit is purged afterwards."""
    before = os.environ.get("LABCHECK_KIT_HOME")
    os.environ["LABCHECK_KIT_HOME"] = str(home)
    try:

        def bring_up() -> None:
            manifest = export_reader.import_kit(tar, _progress)
            labs, _ = export_reader.served_labs(manifest)
            status = api.kit_up(labs=labs, nodes=manifest.nodes or None, progress=_progress)
            assert status.up, status.to_json()
            built = status.last_up.built if status.last_up else ()
            print(f"  import built: {', '.join(built) or 'nothing'}", file=sys.stderr)

        return _timed(bring_up)
    finally:
        api.kit_down(purge=True)
        if before is None:
            os.environ.pop("LABCHECK_KIT_HOME", None)
        else:
            os.environ["LABCHECK_KIT_HOME"] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-cold", action="store_true", help="keep the data dir")
    args = parser.parse_args(argv)
    print(f"bundled labs: {', '.join(lab.id for lab in bundled_labs())}", file=sys.stderr)
    results: dict[str, float] = {}
    if not args.skip_cold:
        print("cold: kit down --purge, then kit up", file=sys.stderr)
        api.kit_down(purge=True)
        results["cold_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    print("warm: kit down, then kit up", file=sys.stderr)
    results["down_s"] = _timed(api.kit_down)
    results["warm_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    results["already_up_s"] = _timed(lambda: api.kit_up(progress=_progress))
    results["fresh_nodes_2_s"] = _timed(lambda: api.fresh_nodes(["node1", "node2"]))
    with tempfile.TemporaryDirectory(prefix="labcheck-bench-kit-") as tmp:
        work = Path(tmp)
        pack = load_lab(_small_pack(work / "pack"))
        print("incremental: kit up for one new small lab", file=sys.stderr)
        results["incremental_up_s"] = _timed(lambda: api.kit_up(labs=[pack], progress=_progress))
        print("export, then import into an empty data dir", file=sys.stderr)
        tar = work / "kit.tar"
        results["export_s"] = _timed(lambda: export.export_kit(tar, _progress))
        results["export_mb"] = tar.stat().st_size / 1e6
        api.kit_down()
        results["import_s"] = _import_elsewhere(tar, work / "other-machine")
    print("this machine's kit up again", file=sys.stderr)
    results["warm_up_again_s"] = _timed(lambda: api.kit_up(progress=_progress))
    for key, value in results.items():
        goal = GOALS_S.get(key)
        verdict = f"  (goal < {goal:.0f} s: {'met' if value < goal else 'MISSED'})" if goal else ""
        unit = "MB" if key.endswith("_mb") else "s"
        print(f"{key:<18} {value:8.1f} {unit}{verdict}")
    print(json.dumps({k: round(v, 2) for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
