"""`labcheck import`: Markdown written for the tests in, a lab pack that validates out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from labcheck.spec.loader import load_lab
from tests.authoring.labs import PWD_STYLE, STUDENT_STYLE


def _import(
    tmp_path: Path, text: str | bytes, name: str = "lab.md", *extra: str
) -> subprocess.CompletedProcess[str]:
    source = tmp_path / name
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    argv = [sys.executable, "-m", "labcheck", "import", str(source), "-o", str(tmp_path / "pack"), *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def test_a_play_with_docker_lab_becomes_a_pack_that_validates(tmp_path: Path) -> None:
    done = _import(tmp_path, PWD_STYLE, "2024-05-01-two-shells.markdown")
    assert done.returncode == 0, done.stderr
    lab = load_lab(tmp_path / "pack")
    assert lab.id == "two-shells"
    assert lab.nodes == ("node1", "node2")
    runs = [step.run for step in lab.steps]
    shell = lab.steps[0]
    # The interactive run takes the next block's lines as typed input, up to exit.
    assert shell.run == "docker container run -it alpine sh"
    assert [line.send for line in shell.input] == ['echo "kept" > note.txt', "ls", "exit"]
    # The placeholder is wired to the container of the shell step, marked for the author.
    (capture,) = shell.captures
    assert capture.source == "created_container" and capture.placeholder == "<container ID>"
    assert runs[1] == f"docker container start ${{{{ {capture.name} }}}}"
    # Liquid is rendered as the site showed it.
    assert 'docker image inspect --format "{{ json .RootFS.Layers }}" alpine' in runs
    # The file the student writes is in the pack, and a step shows it.
    assert (tmp_path / "pack" / "app.txt").read_text(encoding="utf-8") == "greetings from the lab\n"
    assert "cat app.txt" in runs
    # The join exists only in the prose: proposed on node2, from swarm init's captures.
    join = next(step for step in lab.steps if step.run.startswith("docker swarm join"))
    assert join.node == "node2"
    init = next(step for step in lab.steps if step.run.startswith("docker swarm init"))
    assert {c.name for c in init.captures} == {"worker_token", "manager_address"}
    assert lab.steps[-1].node == "node2" and lab.steps[-1].run == "docker info"
    assert "left for the author:" in done.stdout and "only in the prose" in done.stdout


def test_sample_output_becomes_generalised_candidate_rules(tmp_path: Path) -> None:
    assert _import(tmp_path, PWD_STYLE).returncode == 0
    lab = load_lab(tmp_path / "pack")
    image_ls = next(step for step in lab.steps if step.run == "docker image ls")
    patterns = [matcher.value for matcher in image_ls.matchers]
    assert patterns[0] == "REPOSITORY +TAG +IMAGE +ID +CREATED +SIZE"
    row = patterns[1]
    # The sample's ID, age and size are volatile: any value of their kind passes, the names stay.
    assert "5f3e8b2a91cc" not in row and "[0-9a-f]{12}" in row and row.startswith("alpine +latest")
    from labcheck import patterns as lab_patterns

    assert lab_patterns.search(row, "alpine    latest    0123456789ab   2 days ago   8.1MB")
    assert not lab_patterns.search(row, "ubuntu    latest    0123456789ab   2 days ago   8.1MB")
    # The gap `...` is never a rule.
    assert all("\\.\\.\\." not in value for value in patterns)


def test_the_pack_keeps_the_labs_words_as_comments_and_lists_the_environment(tmp_path: Path) -> None:
    assert _import(tmp_path, PWD_STYLE).returncode == 0
    text = (tmp_path / "pack" / "lab.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    first = data["sections"][0]["steps"][0]
    assert first["explanation"] == "TODO"
    assert "#   Open a shell inside a fresh container:" in text
    # The lab's environment as the pack's real keys; what nothing provides is commented, marked missing.
    assert data["images"] == [{"ref": "alpine", "standin": {"library": "alpine"}}]
    assert "repositories" not in data
    assert (
        '#   - {url: "https://github.com/example/sample-stack", content: repos/TODO}  # missing: its files'
        in text
    )
    lab = load_lab(tmp_path / "pack")
    assert [(image.ref, image.library) for image in lab.images] == [("alpine:latest", "alpine")]  # normalised


def test_what_a_bundled_pack_provides_is_declared_and_copied_into_the_new_pack(tmp_path: Path) -> None:
    markdown = """# Voting, by hand

```.term1
git clone https://github.com/docker/example-voting-app
docker image pull dockersamples/examplevotingapp_vote:before
docker image pull nginx:1.25
```
"""
    done = _import(tmp_path, markdown)
    assert done.returncode == 0, done.stderr
    pack = tmp_path / "pack"
    lab = load_lab(pack)
    (vote,) = lab.images
    assert vote.ref == "dockersamples/examplevotingapp_vote:before"
    assert vote.build_dir == pack / "standins" / "voting" and (vote.build_dir / "Dockerfile").is_file()
    assert ("STANDIN_KIND", "web") in vote.build_args
    (repository,) = lab.repositories
    assert repository.url == "https://github.com/docker/example-voting-app"
    assert (repository.content_dir / "docker-stack.yml").is_file()
    assert repository.content_dir.is_relative_to(pack)
    text = (pack / "lab.yaml").read_text(encoding="utf-8")
    assert '  # - {ref: "nginx:1.25", standin: {build: standins/TODO}}  # missing:' in text
    assert "image «nginx:1.25»: no stand-in in the offline kit" in done.stdout


def test_a_students_markdown_with_prompts_and_shell_blocks(tmp_path: Path) -> None:
    done = _import(tmp_path, STUDENT_STYLE)
    assert done.returncode == 0, done.stderr
    lab = load_lab(tmp_path / "pack")
    assert [step.run for step in lab.steps] == [
        "docker container ls -a",
        "docker version",
        "docker image pull busybox",
    ]
    ls_rules = [matcher.value for matcher in lab.steps[0].matchers]
    assert any("Exited +\\(0\\)" in value and "[a-z]+_[a-z]+" in value for value in ls_rules)
    assert [m.value for m in lab.steps[2].matchers] == ["Using default tag: latest"]
    text = (tmp_path / "pack" / "lab.yaml").read_text(encoding="utf-8")
    assert '#   - {ref: "busybox", standin: {build: standins/TODO}}  # missing:' in text
    assert lab.images == ()  # so validate, with the kit up, names the pull of busybox


def test_the_labs_text_cannot_break_out_of_its_comments(tmp_path: Path) -> None:
    hostile = (
        "## 1 Evil\n\nLine one\r- id: injected\rrun: rm -rf /\u2028still a comment\u0085x\n\n"
        "```.term1\necho \"\\u0007 \x1b[31m\" '\u2029'\n```\n"
    )
    done = _import(tmp_path, hostile)
    assert done.returncode == 0, done.stderr
    lab = load_lab(tmp_path / "pack")
    assert [step.id for step in lab.steps] == ["echo-u0007-31m"]
    assert lab.steps[0].run == "echo \"\\u0007 \x1b[31m\" '\u2029'"


def test_bad_input_is_refused_in_plain_words(tmp_path: Path) -> None:
    not_text = _import(tmp_path, b"## 1\n\n```.term1\nls \xff\n```\n")
    assert not_text.returncode == 2
    assert "is not UTF-8 text" in not_text.stderr and "Traceback" not in not_text.stderr
    assert not (tmp_path / "pack").exists()
    fifo = tmp_path / "lab.fifo"
    os.mkfifo(fifo)
    argv = [sys.executable, "-m", "labcheck", "import", str(fifo), "-o", str(tmp_path / "other")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_an_existing_pack_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "lab.yaml").write_text("# the author's own\n", encoding="utf-8")
    done = _import(tmp_path, PWD_STYLE)
    assert done.returncode == 2 and "already exists" in done.stderr
    assert (tmp_path / "pack" / "lab.yaml").read_text(encoding="utf-8") == "# the author's own\n"
    assert not (tmp_path / "pack" / "app.txt").exists()
