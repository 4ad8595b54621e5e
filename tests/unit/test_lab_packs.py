"""Lab packs declare their environment (node tools, images, repositories) in the spec: what the
loader accepts and refuses, what the kit derives from a set of packs, and that labcheck's code
names no lab."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from labcheck.bundled import bundled_labs
from labcheck.errors import KitError, SpecInvalid
from labcheck.kit import packs
from labcheck.kit.library import LIBRARY_STANDINS
from labcheck.runner.lab_images import image_pulls
from labcheck.spec.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]

PACK = """\
labcheck: 1
lab: {id: web-lab, title: Un servidor web, language: es, version: "1"}
nodes:
  - {name: node1, tools: [curl, jq]}
images:
  - {ref: alpine, standin: {library: alpine}}
  - {ref: "example/web:2.1", standin: {build: standins/web, args: {PORT: 8081}}}
repositories:
  - {url: "https://git.example.org/teacher/web-lab", content: repo}
sections:
  - number: "1"
    title: Uno
    steps:
      - id: pull-web
        title: Descargar la imagen
        run: docker image pull example/web:2.1
        expect: {exit_code: 0}
      - id: run-nginx
        title: Arrancar nginx
        run: docker container run -d nginx
        expect: {exit_code: 0}
"""


def make_pack(folder: Path, text: str = PACK, *, dockerfile: bool = True) -> Path:
    (folder / "standins" / "web").mkdir(parents=True, exist_ok=True)
    if dockerfile:
        (folder / "standins" / "web" / "Dockerfile").write_text("ARG ALPINE\nFROM ${ALPINE}\n")
    (folder / "repo").mkdir(exist_ok=True)
    (folder / "repo" / "README.md").write_text("hola\n")
    (folder / "lab.yaml").write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SpecInvalid) as caught:
        load_lab(folder)
    return [(p.line, p.key, p.message) for p in caught.value.problems]


def test_a_pack_declares_tools_images_and_repositories(tmp_path: Path) -> None:
    lab = load_lab(make_pack(tmp_path))
    assert lab.tools == ("curl", "jq")
    assert [(i.ref, i.library) for i in lab.images] == [
        ("alpine:latest", "alpine"),
        ("example/web:2.1", None),
    ]
    web = lab.images[1]
    assert web.build_dir == (tmp_path / "standins/web").resolve() and web.build_args == (("PORT", "8081"),)
    assert web.location.endswith("lab.yaml:7")
    assert [(r.url, r.content_dir.name) for r in lab.repositories] == [
        ("https://git.example.org/teacher/web-lab", "repo")
    ]


@pytest.mark.parametrize(
    ("edit", "line", "key", "words"),
    [
        (("library: alpine", "library: alpne"), 6, "images[0].standin.library", "did you mean 'alpine'"),
        (("build: standins/web", "build: standins/none"), 7, "images[1].standin.build", "is not in the pack"),
        (("build: standins/web", "build: ../elsewhere"), 7, "images[1].standin.build", "goes up with '..'"),
        (("content: repo", "content: nothing"), 9, "repositories[0].content", "is not in the pack"),
        (
            ("tools: [curl, jq]", "tools: [curl, 'jq; rm -rf /']"),
            4,
            "nodes[0].tools[1]",
            "does not have the expected form",
        ),
        (
            ('url: "https://git', 'url: "ftp://git'),
            9,
            "repositories[0].url",
            "does not have the expected form",
        ),
    ],
)
def test_a_bad_environment_names_file_line_and_key(
    tmp_path: Path, edit: tuple[str, str], line: int, key: str, words: str
) -> None:
    make_pack(tmp_path, PACK.replace(*edit))
    found = problems(tmp_path)
    assert any(p[0] == line and p[1] == key and words in p[2] for p in found), found


def test_a_build_folder_needs_a_dockerfile(tmp_path: Path) -> None:
    make_pack(tmp_path, dockerfile=False)
    ((line, key, message),) = problems(tmp_path)
    assert (line, key) == (7, "images[1].standin.build") and "has no Dockerfile" in message


def test_an_image_declared_twice_names_the_first_place(tmp_path: Path) -> None:
    make_pack(
        tmp_path, PACK.replace("images:\n", "images:\n  - {ref: alpine:latest, standin: {library: ubuntu}}\n")
    )
    found = problems(tmp_path)
    assert any(
        p[1] == "images[1].ref" and "already declared at" in p[2] and "lab.yaml:6" in p[2] for p in found
    )


def test_a_build_folder_may_not_lead_out_of_the_pack(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    (tmp_path / "secret").write_text("host file\n")
    (pack / "standins" / "web" / "stolen").symlink_to(tmp_path / "secret")
    ((_line, key, message),) = problems(pack)
    assert key == "images[1].standin.build" and "symlink out of the pack" in message


def test_validate_says_file_line_and_key_and_exits_2(tmp_path: Path) -> None:
    make_pack(tmp_path, PACK.replace("library: alpine", "library: debian"))
    proc = subprocess.run(
        [sys.executable, "-m", "labcheck", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{tmp_path / 'lab.yaml'}:6: images[0].standin.library:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_kit_needs_of_two_packs_share_stand_ins_and_add_build_bases(tmp_path: Path) -> None:
    first = load_lab(make_pack(tmp_path / "a"))
    second = load_lab(make_pack(tmp_path / "b", PACK.replace("id: web-lab", "id: other-lab")))
    needs = packs.needs_of([first, second])
    by_ref = {s.replaces: s for s in needs.standins}
    assert set(by_ref) == {"alpine:latest", "example/web:2.1"}
    assert by_ref["example/web:2.1"].labs == ("web-lab", "other-lab")  # built once for both
    assert by_ref["example/web:2.1"].bases == ("alpine",)
    assert needs.standins[0].library == "alpine", "library stand-ins come first: builds start from them"
    assert [r.labs for r in needs.repositories] == [("web-lab", "other-lab")]
    assert needs.tools == ("curl", "jq") and needs.nodes == ("node1",)
    # A build that starts from ${UBUNTU} brings the library's ubuntu along, undeclared.
    (tmp_path / "a" / "standins" / "web" / "Dockerfile").write_text("ARG UBUNTU\nFROM $UBUNTU\n")
    lone = packs.needs_of([load_lab(tmp_path / "a")])
    assert {s.replaces for s in lone.standins} == {"alpine:latest", "ubuntu:latest", "example/web:2.1"}


def test_two_packs_declaring_one_image_differently_is_an_error_naming_both(tmp_path: Path) -> None:
    first = load_lab(make_pack(tmp_path / "a"))
    other = make_pack(tmp_path / "b", PACK.replace("id: web-lab", "id: other-lab").replace("8081", "9090"))
    with pytest.raises(KitError) as caught:
        packs.needs_of([first, load_lab(other)])
    message = str(caught.value)
    assert "other-lab" in message and "web-lab" in message and str(tmp_path / "a" / "lab.yaml") in message
    assert "example/web:2.1" in message


def test_an_image_no_one_declares_is_named_with_its_lab_line_and_the_way_to_add_it(tmp_path: Path) -> None:
    lab = load_lab(make_pack(tmp_path))
    missing = packs.undeclared_pulls(lab, served=set())
    assert [pull.ref for pull in missing] == ["nginx"]
    message = packs.cannot_provide(lab, missing[0])
    assert message.startswith(f"{tmp_path / 'lab.yaml'}:18 (step run-nginx): lab web-lab pulls nginx,")
    assert "`images:`" in message and "{ref: nginx, standin: {build: standins/nginx}}" in message
    assert "{library: alpine}" in message and f"labcheck kit up {tmp_path}" in message
    # Served by the registry (another lab declared it): nothing to say.
    assert packs.undeclared_pulls(lab, served={"nginx:latest"}) == []


def test_image_pulls_say_where_a_dockerfile_names_its_base(tmp_path: Path) -> None:
    text = PACK.replace("nodes:", "files: [{path: Dockerfile}]\nnodes:")
    make_pack(tmp_path, text)
    (tmp_path / "Dockerfile").write_text("# a comment\nFROM debian:bookworm AS build\nFROM build\n")
    pulls = {pull.ref: pull.where for pull in image_pulls(load_lab(tmp_path))}
    assert pulls["debian:bookworm"] == f"{tmp_path / 'Dockerfile'}:2 (FROM)"
    assert "build" not in pulls


def _lab_terms() -> dict[str, str]:
    """What names a bundled lab: its id, the images its own stand-ins replace, its repositories,
    and the ports and titles its stand-ins are given; each mapped to the lab."""
    terms: dict[str, str] = {}
    for bundled in bundled_labs():
        lab = load_lab(bundled.path)
        terms[lab.id] = lab.id
        for image in lab.images:
            repository, _ = packs.split_ref(image.ref)
            if image.library is None and repository.removeprefix("library/") not in LIBRARY_STANDINS:
                terms[image.ref.removesuffix(":latest")] = lab.id
                terms[repository] = lab.id
            for _, value in image.build_args:
                if value.isdigit() or " " in value:
                    terms[value] = lab.id
        for repo in lab.repositories:
            terms[repo.url] = lab.id
            terms[repo.url.split("/", 3)[-1]] = lab.id
    return terms


def test_no_lab_is_named_in_labcheck_s_code() -> None:
    """The kit and the runner know no lab: a lab's name, images, repositories and ports live in
    its pack only (specs/, or labcheck/bundled_specs/ in an install)."""
    terms = _lab_terms()
    assert "ops-stage1" in terms and "https://github.com/docker/example-voting-app" in terms
    assert "8080" in terms, "the visualizer stand-in's port is one of the terms"
    found = []
    for path in sorted((ROOT / "labcheck").rglob("*")):
        if not path.is_file() or {"bundled_specs", "__pycache__", "locale"} & set(path.parts):
            continue
        text = path.read_text(errors="replace")
        for term, lab_id in terms.items():
            for match in re.finditer(r"(?<![\w.-])" + re.escape(term) + r"(?![\w-])", text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {term!r} (lab {lab_id})")
    assert not found, "\n".join(found)


def test_a_volume_check_says_what_it_checks_and_needs_something_to_check(tmp_path: Path) -> None:
    from labcheck.checks.phrases import rule_phrase

    phrase = rule_phrase(
        {"volume": {"name": "html", "driver": "local", "mounted_by": "www", "contains": "a"}}
    )
    assert phrase == "el volumen html: controlador «local», lo monta el contenedor www y contiene a"
    text = PACK.replace(
        "expect: {exit_code: 0}\n      - id: run-nginx",
        "expect: {state: [{volume: {name: html}}]}\n      - id: run-nginx",
    )
    make_pack(tmp_path, text)
    found = problems(tmp_path)
    assert any(p[0] == 17 and "volume" in p[1] for p in found), found


def test_a_compose_file_a_step_writes_is_read_for_the_images_it_pulls(tmp_path: Path) -> None:
    compose = (
        "      - id: write-compose\n"
        "        title: Escribir la pila\n"
        "        run: |-\n"
        "          echo 'services:\n"
        "              web:\n"
        "                  image: '\\''example/web:2.1'\\''\n"
        "              db:\n"
        '                  image: "redis:7"\n'
        "          ' > stack.yml\n"
        "        expect: {exit_code: 0}\n"
        "      - id: run-nginx"
    )
    make_pack(tmp_path, PACK.replace("      - id: run-nginx", compose))
    pulls = {pull.ref: pull.where for pull in image_pulls(load_lab(tmp_path))}
    assert pulls["redis:7"] == f"{tmp_path / 'lab.yaml'}:18 (step write-compose)"
    assert list(pulls) == ["example/web:2.1", "redis:7", "nginx"]
