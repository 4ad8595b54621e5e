"""`labcheck keygen`, and the signing key handed to `labcheck run` / `pytest --labcheck`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.cli import main
from labcheck.signing.keys import SIGNING_KEY_ENV, PrivateKey, read_public_key

ROOT = Path(__file__).resolve().parents[2]


def test_keygen_writes_a_pair_with_a_private_half_only_its_owner_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    private, public = tmp_path / "course.key", tmp_path / "course.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    key = PrivateKey.from_pem(private.read_bytes(), "course.key")
    assert key.public == read_public_key(public)
    assert f"key id:      {key.public.key_id}" in out
    message = b"evidence"
    assert read_public_key(public).verifies(key.sign(message), message)


def test_keygen_never_overwrites_a_key_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "-o", str(tmp_path)]) == 0
    first = (tmp_path / "course.key").read_bytes()
    assert main(["keygen", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "course.key: already exists" in err and "--force" in err and "Traceback" not in err
    assert (tmp_path / "course.key").read_bytes() == first
    (tmp_path / "course.key").chmod(0o644)
    assert main(["keygen", "-o", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "course.key").read_bytes() != first
    assert stat.S_IMODE((tmp_path / "course.key").stat().st_mode) == 0o600
    assert main(["keygen", "-o", str(tmp_path / "nowhere")]) == 2


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({SIGNING_KEY_ENV: "not a key"}, [], f"the signing key in ${SIGNING_KEY_ENV}: not an unencrypted"),
        ({}, ["--signing-key-env", "COURSE_KEY_X"], "COURSE_KEY_X: that environment variable is not set"),
    ],
)
def test_run_with_a_bad_signing_key_stops_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    env: dict[str, str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["run", str(ROOT / "specs" / "ops-stage1"), "--out", str(tmp_path / "out"), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert "not a key" not in err  # a secret pasted by mistake is never echoed
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], f"the signing key in ${SIGNING_KEY_ENV}: not an unencrypted private key in PEM"),
        (
            ["--labcheck-signing-key-env", "NO_SUCH_KEY_X"],
            "NO_SUCH_KEY_X: that environment variable is not set",
        ),
    ],
)
def test_pytest_labcheck_with_a_bad_signing_key_is_a_usage_error(args: list[str], message: str) -> None:
    env = {**os.environ, SIGNING_KEY_ENV: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}
    command = [sys.executable, "-m", "pytest", "--labcheck", "-p", "no:cacheprovider", "--collect-only", "-q"]
    done = subprocess.run(
        [*command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert message in done.stderr and "AAAA" not in done.stderr


PROBE = """
import os


def pytest_collection_finish(session):
    print("key still in the environment:", "COURSE_PEM" in os.environ)
"""


def test_a_key_in_a_variable_of_any_name_is_gone_before_any_step(tmp_path: Path) -> None:
    """Steps get the environment minus secrets by name; a key variable named COURSE_PEM would pass
    that filter, so the plugin drops it once the key is read."""
    (tmp_path / "probe_env.py").write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "COURSE_PEM": PrivateKey.generate().pem().decode(), "PYTHONPATH": str(tmp_path)}
    env.pop(SIGNING_KEY_ENV, None)
    base = [sys.executable, "-m", "pytest", "--labcheck", "-p", "no:cacheprovider", "-p", "probe_env", "-s"]
    for extra, still_there in ((["--labcheck-signing-key-env", "COURSE_PEM"], False), ([], True)):
        done = subprocess.run(
            [*base, "--collect-only", "-q", *extra],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert f"key still in the environment: {still_there}" in done.stdout, done.stdout + done.stderr
