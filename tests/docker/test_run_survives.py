"""Runs that meet what real runs meet: a second run, SIGTERM, a double Ctrl-C, SIGKILL, a step's
timeout, an engine that stops answering, an `eventually` cut short. Small specs, real kit nodes."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from labcheck.kit import api as kit
from labcheck.kit.engine_lock import holder_of, kit_nodes_lock
from tests.docker.labrun import (
    ROOT,
    assert_chain_intact,
    labcheck_command,
    run_labcheck,
    verify,
    wait_for_kit_nodes,
)
from tests.docker.survive import (
    assert_nodes_pristine,
    evidence_of,
    start_run,
    step_processes_on_host,
    wait_until,
    write_spec,
)
from tests.evidence_words import said

pytestmark = [pytest.mark.docker, pytest.mark.kit, pytest.mark.slow]

HEAD = 'labcheck: 1\nlab: {id: survive, title: Resistir, language: es, version: "1"}\n'
TWO_NODES = "nodes: [{name: node1}, {name: node2}]\n"

SLOW = (
    HEAD
    + """\
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        run: echo hola
        expect: {output: [{contains: hola}]}
      - id: slow
        title: Una orden lenta
        run: sleep 6; echo despierto
        expect: {output: [{contains: despierto}]}
"""
)


def test_a_second_run_waits_for_the_first_and_both_evidence_files_verify(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SLOW)
    first = start_run(tmp_path / "first", spec)
    wait_until(lambda: holder_of(kit_nodes_lock()) is not None, "the first run to hold the nodes", run=first)
    second = start_run(tmp_path / "second", spec)
    _, first_err = first.communicate(timeout=300)
    _, second_err = second.communicate(timeout=300)
    wait_for_kit_nodes()
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert f"waiting for the engines, in use by pid {first.pid}" in second_err
    # The second started only once the first had ended: their steps never overlap.
    first_end = evidence_of(tmp_path / "first")["run"]["finished_at"]
    assert evidence_of(tmp_path / "second")["steps"][0]["started_at"] > first_end
    for out in (tmp_path / "first", tmp_path / "second"):
        assert verify(out, spec)["verdict"] == "consistent"


def test_with_no_wait_a_second_run_is_refused_naming_the_holder(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", SLOW)
    first = start_run(tmp_path / "first", spec)
    wait_until(lambda: holder_of(kit_nodes_lock()) is not None, "the first run to hold the nodes", run=first)
    refused = run_labcheck(tmp_path / "second", "--labcheck-no-wait", str(spec))
    first.communicate(timeout=300)
    wait_for_kit_nodes()
    assert refused.returncode == 2
    output = refused.stdout + refused.stderr
    assert output.count(f"en uso por pid {first.pid}") == 1, output  # run_labcheck: a Spanish locale
    assert "Traceback" not in output
    assert not (tmp_path / "second" / "evidence.json").exists()
    assert first.returncode == 0
    assert verify(tmp_path / "first", spec)["verdict"] == "consistent"


INTERACTIVE = (
    HEAD
    + """\
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: shell
        title: Un shell dentro de un contenedor
        run: docker container run -it alpine /bin/sh
        input: ['echo "dentro del contenedor"', sleep 600, exit]
        timeout: 5m
        expect: {exit_code: 0}
"""
)

BUILD = (
    HEAD
    + """\
nodes: [{name: node1}]
files: [{path: Dockerfile}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: build
        title: Construir una imagen lenta
        run: docker image build -t lenta .
        timeout: 5m
        expect: {exit_code: 0}
"""
)
SLOW_DOCKERFILE = 'FROM alpine\nRUN echo "construyendo" && sleep 600\n'

SWARM = (
    HEAD
    + TWO_NODES
    + """\
sections:
  - number: "1"
    title: Uno
    steps:
      - id: swarm-init
        title: Crear el enjambre
        run: docker swarm init --advertise-addr $(hostname -i)
        expect: {exit_code: 0}
      - id: service
        title: Un servicio que no acaba
        run: >-
          docker service create --detach --name eterno alpine sleep 601
          && echo "servicio creado" && sleep 600
        timeout: 5m
        expect: {exit_code: 0}
"""
)


@pytest.mark.parametrize(
    ("text", "files", "shown", "step_id", "sent"),
    [
        (INTERACTIVE, {}, "dentro del contenedor", "shell", signal.SIGTERM),
        (BUILD, {"Dockerfile": SLOW_DOCKERFILE}, "construyendo", "build", signal.SIGTERM),
        (SWARM, {}, "servicio creado", "service", signal.SIGTERM),
        (INTERACTIVE, {}, "dentro del contenedor", "shell", signal.SIGHUP),
    ],
    ids=["interactive", "build", "swarm", "interactive-sighup"],
)
def test_sigterm_ends_the_run_like_ctrl_c_and_leaves_nothing_behind(
    tmp_path: Path, text: str, files: dict[str, str], shown: str, step_id: str, sent: signal.Signals
) -> None:
    spec = write_spec(tmp_path / "spec", text, **files)
    out = tmp_path / "out"
    # With the report: a run ended by SIGTERM still ends with one.
    before = long_sleeps()
    process = subprocess.Popen(
        labcheck_command(out, str(spec)), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wait_for_a_new_long_sleep(before, f"the step {step_id} to reach its long sleep", process)
    process.send_signal(sent)
    stdout, stderr = process.communicate(timeout=180)
    wait_for_kit_nodes()
    assert process.returncode == 130, stdout[-2000:] + stderr[-2000:]
    evidence = evidence_of(out)
    assert evidence["run"]["status"] == "interrupted"
    last = evidence["steps"][-1]
    assert last["id"] == step_id and last["outcome"] == "error"
    assert last["reason"]["code"] == "interrupted" and last["reason"]["params"]["signal"] == sent.name
    assert sent.name in said(last["reason"]) and "salida parcial" in said(last["reason"])
    assert shown in last["transcript"]["text"]
    assert_chain_intact(evidence)
    assert verify(out, spec)["verdict"] != "tampered"
    assert (out / "informe.html").exists()
    assert step_processes_on_host() == ""
    assert not long_sleeps() - before
    assert_nodes_pristine()
    assert "Traceback" not in stdout + stderr


def long_sleeps() -> set[int]:
    """The pids of every `sleep 600` on this machine (in a node, in a container inside it)."""
    done = subprocess.run(["pgrep", "-x", "-f", "sleep 600"], capture_output=True, text=True, check=False)
    return {int(pid) for pid in done.stdout.split()}


def wait_for_a_new_long_sleep(before: set[int], what: str, run: subprocess.Popen[str]) -> None:
    """Only a `sleep 600` that was not there before the run counts: one another test (or another
    session on this machine) left a moment longer would otherwise send the signal while the run
    is still starting Python, before anything of labcheck is there to handle it."""
    wait_until(lambda: bool(long_sleeps() - before), what, timeout=180, run=run)


def test_a_double_ctrl_c_during_the_clean_up_leaves_the_kit_whole(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", INTERACTIVE)
    out = tmp_path / "out"
    before = long_sleeps()
    process = start_run(out, spec)
    wait_for_a_new_long_sleep(before, "the step to reach its long sleep", process)
    process.send_signal(signal.SIGINT)
    for _ in range(3):  # impatient: again and again while labcheck stops the step and cleans up
        time.sleep(0.15)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=180)
    wait_for_kit_nodes()
    assert process.returncode == 130, stderr
    evidence = evidence_of(out)
    assert evidence["run"]["status"] == "interrupted"
    assert evidence["steps"][-1]["outcome"] == "error" and "Ctrl-C" in said(evidence["steps"][-1]["reason"])
    assert_chain_intact(evidence)
    status = kit.kit_status()
    assert status.up, status.to_json()
    assert set(kit.existing_nodes(["node1", "node2"])) == {"node1", "node2"}
    assert_nodes_pristine()
    assert "Traceback" not in stdout + stderr


LEAVES_A_CONTAINER = (
    HEAD
    + """\
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: pull
        title: Traer alpine
        run: docker image pull alpine
        expect: {exit_code: 0}
      - id: runs-a-container
        title: Un contenedor que no acaba
        run: docker container run alpine sleep 600
        timeout: 1m
        expect: {exit_code: 0}
"""
)


def test_after_a_sigkill_the_next_run_takes_the_stale_lock_over_and_starts_clean(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", LEAVES_A_CONTAINER)
    before = long_sleeps()
    killed = start_run(tmp_path / "killed", spec)
    wait_for_a_new_long_sleep(before, "the container to run", killed)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    assert holder_of(kit_nodes_lock()) is None  # the kernel let the lock go with its holder
    # What SIGKILL could not stop: the step's client and its container on node1 (made fresh next).
    subprocess.run(["pkill", "-f", "labcheck-step.pid"], check=False)
    again = run_labcheck(tmp_path / "again", "--labcheck-no-report", "-k", "pull", str(spec))
    assert again.returncode == 0, again.stdout[-2000:]
    assert f"se tomó un cerrojo abandonado por pid {killed.pid}" in again.stderr  # a Spanish locale
    assert [s["outcome"] for s in evidence_of(tmp_path / "again")["steps"]] == ["passed"]
    assert_nodes_pristine(("node1",))


TIMEOUTS = (
    HEAD
    + """\
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: detached-sleeper
        title: Un contenedor que sigue corriendo
        run: docker container run alpine sh -c 'echo empieza; sleep 1000'
        timeout: 5s
        expect: {exit_code: 0}
      - id: none-after-it
        title: No queda ninguno
        run: docker container ls -aq | wc -l
        expect: {output: [{equals: "0"}]}
      - id: prompt-never-comes
        title: Una sesión -it que espera un texto que no llega
        run: docker container run -it alpine /bin/sh
        input: [{send: exit, wait_for: "nunca aparece"}]
        timeout: 5s
        expect: {exit_code: 0}
      - id: none-after-the-session
        title: Tampoco queda su contenedor
        run: docker container ls -aq | wc -l
        expect: {output: [{equals: "0"}]}
"""
)


def test_a_step_timeout_removes_the_containers_the_step_started_right_away(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", TIMEOUTS)
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    assert done.returncode == 1, done.stdout[-2000:]
    steps = {s["id"]: s for s in evidence_of(tmp_path / "out")["steps"]}
    for stopped in ("detached-sleeper", "prompt-never-comes"):
        assert steps[stopped]["timed_out"] and steps[stopped]["outcome"] == "failed"
        assert len(steps[stopped]["reason"]["params"]["removed"]) == 1
        assert "se detuvo y se quitó el contenedor que había creado" in said(steps[stopped]["reason"])
    assert steps["detached-sleeper"]["transcript"]["text"].endswith("empieza")
    # Checked inside the run, right after each timed-out step, not after the clean-up.
    assert steps["none-after-it"]["outcome"] == "passed"
    assert steps["none-after-the-session"]["outcome"] == "passed"


ENGINE_DIES = (
    HEAD
    + TWO_NODES
    + """\
sections:
  - number: "1"
    title: Uno
    steps:
      - id: stops-the-engine
        title: Parar el motor de node2
        node: node2
        run: echo "parando el motor"; kill $(pidof dockerd); sleep 3; echo hecho
        expect:
          output: [{contains: parando}]
          state: [{swarm: {active: false}}]
      - id: later
        title: Un paso después
        run: echo sigue
        expect: {output: [{contains: sigue}]}
"""
)


def test_an_engine_that_stops_answering_is_an_error_of_the_step_naming_the_node(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", ENGINE_DIES)
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    assert "Traceback" not in done.stdout + done.stderr
    evidence = evidence_of(tmp_path / "out")
    steps = {s["id"]: s for s in evidence["steps"]}
    assert len(evidence["steps"]) == 2  # never lost, never duplicated
    dead = steps["stops-the-engine"]
    assert dead["outcome"] == "error" and dead["attempts"] == 1
    assert dead["reason"]["code"] == "engine_error" and dead["reason"]["params"]["node"] == "node2"
    assert said(dead["reason"]).startswith("el nodo node2 dejó de responder")
    assert "parando el motor" in dead["transcript"]["text"]
    assert "ConnectionRefused" not in said(dead["reason"])
    assert steps["later"]["outcome"] == "passed"
    assert_chain_intact(evidence)


NEVER_TRUE = (
    HEAD
    + """\
nodes: [{name: node1}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: waits
        title: Esperar algo que no llega
        run: echo "todavía no"
        eventually: {timeout: 2m, interval: 1s}
        expect: {output: [{contains: "ya está"}]}
"""
)


def test_ctrl_c_during_eventually_keeps_the_step_with_its_attempts(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", NEVER_TRUE)
    out = tmp_path / "out"
    process = start_run(out, spec)
    wait_until(lambda: (out / "evidence.json").exists(), "the run to start", timeout=120, run=process)
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    wait_for_kit_nodes()
    evidence = evidence_of(out)
    assert evidence["run"]["status"] == "interrupted"
    [waits] = evidence["steps"]
    assert waits["outcome"] == "error" and "Ctrl-C" in said(waits["reason"])
    assert waits["attempts"] >= 2
    assert "todavía no" in waits["transcript"]["text"] or waits["transcript"]["text"] == ""
    assert_chain_intact(evidence)


NO_NODES = (
    HEAD
    + """\
sections:
  - number: "1"
    title: Uno
    steps:
      - id: hello
        title: Saludo
        run: docker container run --rm alpine echo hola
        expect: {output: [{contains: hola}]}
"""
)


def test_a_spec_without_nodes_runs_on_a_kit_node_and_leaves_no_extra_node(tmp_path: Path) -> None:
    kit.remove_nodes(["host"])  # left by older versions of labcheck
    spec = write_spec(tmp_path / "spec", NO_NODES)
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    assert done.returncode == 0, done.stdout[-2000:]
    target = evidence_of(tmp_path / "out")["targets"]["host"]
    assert target["kind"] == "kit-node"
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "labcheck-host" not in names


BAD_COPY = (
    HEAD
    + """\
nodes: [{name: node1}]
defaults: {workdir: /no/such/folder}
files: [{path: notes.txt}]
sections:
  - number: "1"
    title: Uno
    steps:
      - id: one
        title: Uno
        run: cat notes.txt
        expect: {exit_code: 0}
      - id: two
        title: Dos
        run: echo dos
        expect: {exit_code: 0}
"""
)


def test_a_failed_copy_is_one_clear_error_not_a_traceback(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec", BAD_COPY, **{"notes.txt": "notas\n"})
    done = run_labcheck(tmp_path / "out", "--labcheck-no-report", str(spec))
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "falló la copia de los ficheros del laboratorio al nodo node1" in output  # a Spanish locale
    assert "Traceback" not in output and "start() first" not in output and "CalledProcessError" not in output


ON_MY_ENGINE = (
    HEAD
    + """\
sections:
  - number: "1"
    title: Uno
    steps:
      - id: sleeper
        title: Un contenedor en mi propio motor
        run: docker container run -d --name labcheck-test-sleeper alpine sleep 601 && sleep 600
        timeout: 5m
        expect: {exit_code: 0}
"""
)


def test_sigterm_on_an_engine_the_user_names_removes_the_containers_the_lab_made(tmp_path: Path) -> None:
    import docker

    host = docker.from_env()
    spec = write_spec(tmp_path / "spec", ON_MY_ENGINE)
    before = long_sleeps()
    process = start_run(tmp_path / "out", spec, "--labcheck-target", "host=unix:///var/run/docker.sock")
    wait_for_a_new_long_sleep(before, "the step to reach its long sleep", process)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=180)
    assert process.returncode == 130, stdout[-2000:] + stderr[-2000:]
    assert host.containers.list(all=True, filters={"name": "labcheck-test-sleeper"}) == []
    evidence = evidence_of(tmp_path / "out")
    assert evidence["run"]["status"] == "interrupted"
    assert "SIGTERM" in said(evidence["steps"][-1]["reason"])
    assert not long_sleeps() - before
