"""First contact: labcheck built from a clean clone and installed with pip into a new virtualenv,
used from a folder that is not the checkout, does what the README says, on the kit."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import labcheck
from labcheck.spec.loader import load_lab
from tests.bundled_lab import bundled_step_ids

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _run(
    *command: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with labcheck installed from a wheel built (through an sdist) from a clean clone."""
    base = tmp_path_factory.mktemp("first-contact")
    clone = base / "clone"
    _run("git", "clone", "--quiet", "--no-local", ROOT, clone, cwd=base)
    dist = base / "dist"
    # python -m build makes the sdist, then the wheel from that sdist: both must carry the labs.
    _run(sys.executable, "-m", "build", "--outdir", dist, clone, cwd=base)
    (sdist,) = dist.glob("labcheck-*.tar.gz")
    (wheel,) = dist.glob("labcheck-*.whl")
    with tarfile.open(sdist) as archive:
        assert any(name.endswith("/specs/ops-stage1/lab.yaml") for name in archive.getnames())
    with zipfile.ZipFile(wheel) as archive:
        assert "labcheck/bundled_specs/ops-stage1/lab.yaml" in archive.namelist()
    venv = base / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=base)
    _run(venv / "bin" / "pip", "install", "-q", wheel, cwd=base, timeout=900)
    return venv


def _env(venv: Path) -> dict[str, str]:
    # The CLI follows the locale: this test reads its English, whatever the machine's LANG.
    path = f"{venv / 'bin'}:{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "COLUMNS": "200", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


def test_an_installed_wheel_runs_the_bundled_lab_from_anywhere(installed: Path, tmp_path: Path) -> None:
    env = _env(installed)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    version = _run("labcheck", "--version", cwd=elsewhere, env=env).stdout
    assert version.strip() == f"labcheck {labcheck.__version__}"
    located = _run(
        installed / "bin" / "python", "-c", "import labcheck; print(labcheck.__file__)", cwd=elsewhere
    )
    assert str(installed) in located.stdout and str(ROOT) not in located.stdout  # not the checkout's

    labs = _run("labcheck", "labs", cwd=elsewhere, env=env).stdout
    steps = len(bundled_step_ids())
    assert "ops-stage1" in labs and f" {steps} " in labs

    assert f"{steps} steps" in _run("labcheck", "validate", "ops-stage1", cwd=elsewhere, env=env).stdout

    collected = _run(
        "pytest", "--labcheck", "--collect-only", "-q", "-p", "no:cacheprovider", cwd=elsewhere, env=env
    )
    specs = sorted((ROOT / "specs").glob("*/lab.yaml"))
    every_bundled_step = sum(len(load_lab(spec).steps) for spec in specs)
    assert f"{every_bundled_step} tests collected" in collected.stdout  # every bundled lab
    assert "PytestAssertRewriteWarning" not in collected.stdout + collected.stderr

    ran = _run("labcheck", "run", "ops-stage1", cwd=elsewhere, env=env, timeout=2400)
    assert "PytestAssertRewriteWarning" not in ran.stdout + ran.stderr and "Traceback" not in ran.stdout
    assert ran.stdout.rstrip().splitlines()[-1] == "PDF report: reports/ops-stage1/informe.pdf"
    assert (elsewhere / "reports" / "ops-stage1" / "informe.pdf").stat().st_size > 10_000


def test_an_installed_wheel_gives_hints_without_the_checkouts_scripts(
    installed: Path, tmp_path: Path
) -> None:
    env = {**_env(installed), "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    done = subprocess.run(
        ["labcheck", "kit", "status"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "no Docker engine answers" in done.stderr and "systemctl start docker" in done.stderr
    assert "engine-up.sh" not in done.stderr and "Traceback" not in done.stderr
