"""A real run on the kit signed with the course's key, checked by `labcheck verify --pubkey`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from labcheck.signing.keys import SIGNING_KEY_ENV, PrivateKey
from tests.cli_process import run_labcheck
from tests.locale_env import ENGLISH, locale_env

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]
RUN_TIMEOUT_S = 600  # a real run on the kit

HELLO = """\
labcheck: 1
lab: {id: signed-hello, title: Hola con firma, language: es, version: "1"}
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Hola desde un contenedor
        run: docker container run hello-world
        expect:
          exit_code: 0
          output: [{contains: "Hello from Docker!"}]
          state:
            - image: {ref: "hello-world:latest", exists: true}
"""


def test_signed_run_on_the_kit_verifies_and_an_edit_is_caught(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "lab.yaml"
    spec.parent.mkdir()
    spec.write_text(HELLO, encoding="utf-8")
    key = PrivateKey.generate()
    (tmp_path / "course.pub").write_bytes(key.public.pem())
    env = {k: v for k, v in locale_env(ENGLISH).items() if k != SIGNING_KEY_ENV}
    env["COURSE_SIGNING_KEY"] = key.pem().decode()
    out = tmp_path / "out"
    done = run_labcheck(
        "run", "--signing-key-env", "COURSE_SIGNING_KEY", "--student-id", "ana", "--out", str(out),
        str(spec), env=env, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert f"signature: {out / 'evidence.intoto.jsonl'} (key {key.public.key_id[:16]}…)" in done.stdout
    envelope = json.loads((out / "evidence.intoto.jsonl").read_text(encoding="utf-8"))
    assert envelope["signatures"][0]["keyid"] == key.public.key_id
    verify = ["verify", str(out), "--spec", str(spec), "--student-id", "ana"]
    checked = run_labcheck(*verify, "--pubkey", str(tmp_path / "course.pub"))
    assert checked.returncode == 0, checked.stdout
    assert f"signed (key {key.public.key_id[:16]}…)" in checked.stdout
    assert "Firmada con Ed25519 por la clave" in (out / "informe.html").read_text(encoding="utf-8")

    copied = tmp_path / "copia"
    shutil.copytree(out, copied)
    evidence = copied / "evidence.json"
    evidence.write_bytes(evidence.read_bytes().replace(b"Hello from Docker!", b"Hello from Dockex!", 1))
    checked = run_labcheck(
        "verify", str(copied), "--spec", str(spec), "--pubkey", str(tmp_path / "course.pub")
    )
    assert checked.returncode == 1 and "the signature is for another evidence file" in checked.stdout
    (copied / "evidence.intoto.jsonl").unlink()
    checked = run_labcheck(
        "verify", str(copied), "--spec", str(spec), "--pubkey", str(tmp_path / "course.pub")
    )
    assert checked.returncode == 1 and "not signed" in checked.stdout
