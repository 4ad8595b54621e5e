"""State check kinds are modules: the shipped schema is what they declare, and a kind from
another installed package is part of the spec format with no change to labcheck."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from labcheck.checks.registry import BUILT_IN, state_kinds
from labcheck.spec.schema_kinds import with_kinds
from tests.check_kind_plugin import install_kind_plugin, spec_using_it

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "labcheck" / "spec" / "schema.json"


def test_the_shipped_schema_holds_exactly_the_built_in_kinds() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert list(state_kinds()) == [module.rsplit(".", 1)[1] for module in BUILT_IN]
    assert with_kinds(shipped, state_kinds().values()) == shipped


def _labcheck(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labcheck", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_a_kind_from_another_package_validates_and_its_mistakes_are_named(tmp_path: Path) -> None:
    env = install_kind_plugin(tmp_path / "site")
    spec = spec_using_it(tmp_path / "lab")
    done = _labcheck(env, "validate", str(spec))
    assert done.returncode == 0, done.stdout + done.stderr
    # Its own schema is enforced, with the file, line and key of the mistake.
    spec.write_text(spec.read_text().replace("os_contains", "os_contain"), encoding="utf-8")
    done = _labcheck(env, "validate", str(spec))
    assert done.returncode == 2
    assert f"{spec}:14" in done.stderr and "engine_os" in done.stderr and "Traceback" not in done.stderr


def test_without_the_package_the_kind_is_unknown(tmp_path: Path) -> None:
    spec = spec_using_it(tmp_path / "lab")
    done = _labcheck(dict(os.environ), "validate", str(spec))
    assert done.returncode == 2 and "engine_os" in done.stderr


def test_a_broken_kind_is_named_not_a_traceback(tmp_path: Path) -> None:
    env = install_kind_plugin(tmp_path / "site")
    (tmp_path / "site" / "labcheck_engine_os.py").write_text("KIND = 'not a kind'\n", encoding="utf-8")
    done = _labcheck(env, "validate", str(spec_using_it(tmp_path / "lab")))
    assert done.returncode == 2, done.stdout + done.stderr
    assert (
        "labcheck_engine_os:KIND (entry point 'engine_os') is not a labcheck.checks.kinds.StateKind"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


_PHRASES = (
    "from labcheck.checks.phrases import state_phrase\n"
    "from labcheck.i18n import translator\n"
    "for language in ('en', 'es'):\n"
    "    print(state_phrase('engine_os', {'os_contains': 'Debian'}, translator(language)))\n"
)


def test_a_kind_reads_in_each_language_by_its_own_words(tmp_path: Path) -> None:
    env = install_kind_plugin(tmp_path / "site")
    done = subprocess.run([sys.executable, "-c", _PHRASES], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "the engine's system: contains 'Debian'",
        "el sistema del motor: contiene «Debian»",
    ]


def test_a_kind_without_english_words_reads_right_in_english_and_spanish_stays_spanish(
    tmp_path: Path,
) -> None:
    env = install_kind_plugin(tmp_path / "site", english=False)
    done = subprocess.run([sys.executable, "-c", _PHRASES], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    # English made of the kind's own names; the Spanish report keeps the kind's Spanish.
    said = ["the engine os: os contains Debian", "el sistema del motor: contiene «Debian»"]
    assert done.stdout.splitlines() == said
