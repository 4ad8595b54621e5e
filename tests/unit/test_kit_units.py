"""The kit's pure parts: names, paths, git environment, status rendering."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from labcheck.bundled import bundled_labs
from labcheck.errors import KitError
from labcheck.kit import api, gitmirror, packs, paths
from labcheck.kit.capabilities import Capability
from labcheck.kit.state import LastUp
from labcheck.kit.status import (
    EngineStatus,
    GitMirrorStatus,
    KitStatus,
    NodeImageStatus,
    NodeStatus,
    RegistryStatus,
    StandInStatus,
    render_table,
)
from labcheck.runner import preflight
from labcheck.runner.lab_images import images_pulled
from labcheck.spec.loader import load_lab


def _bundled_standins() -> tuple[packs.StandIn, ...]:
    """The stand-ins the bundled lab packs declare (and the library bases their builds start from)."""
    return packs.needs_of(api.bundled_lab_specs()).standins


def test_kit_home_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LABCHECK_KIT_HOME", str(tmp_path))
    assert paths.kit_home() == tmp_path
    assert paths.node_socket("node1") == tmp_path / "nodes/node1/docker.sock"
    assert paths.node_container("node1") == "labcheck-node1"


def test_git_with_the_mirror_environment_clones_github_from_the_mirror(tmp_path: Path) -> None:
    """A real git, given only this environment, fetches a github.com URL from the mirror folder."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    mirror_root = tmp_path / "mirror"
    work = tmp_path / "work"
    work.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=work, env=clean, check=True)
    (work / "app.js").write_text("console.log('del espejo')\n", encoding="utf-8")
    subprocess.run([*git, "add", "app.js"], cwd=work, env=clean, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=work, env=clean, check=True)
    bare = mirror_root / "github.com" / "someone" / "lab.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], env=clean, check=True)

    env = {**clean, **gitmirror.insteadof_env(f"{mirror_root}/")}
    cloned = tmp_path / "cloned"
    result = subprocess.run(
        ["git", "clone", "-q", "https://github.com/someone/lab.git", str(cloned)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (cloned / "app.js").read_text(encoding="utf-8") == "console.log('del espejo')\n"
    # Without it, the same URL would go to github.com: the environment is what redirects it.
    plain = subprocess.run(
        ["git", "ls-remote", "--get-url", "https://github.com/someone/lab.git"],
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    assert plain.stdout.strip() == "https://github.com/someone/lab.git"


@pytest.mark.parametrize("bad", [[""], ["node 1"], ["a/b"], []])
def test_bad_node_names_are_refused(bad: list[str]) -> None:
    with pytest.raises(KitError):
        api._validate_names(bad)


def test_every_image_a_bundled_lab_pulls_is_one_the_kit_serves() -> None:
    """What pre-flight asks the kit's registry for, for each bundled lab, is a stand-in the kit
    builds and pushes: a lab that starts pulling another image fails here, not in a classroom."""
    served = {(s.repository, s.tag) for s in _bundled_standins()}
    for bundled in bundled_labs():
        lab = load_lab(bundled.path)
        pulled = [ref for ref in images_pulled(lab) if preflight._registry_of(ref) is None]
        assert pulled, f"{lab.id}: no pulled image found, so this test would check nothing"
        missing = [ref for ref in pulled if packs.split_ref(ref) not in served]
        assert not missing, f"{lab.id} pulls {missing}, which the offline kit does not serve"


def _stack_files() -> list[tuple[str, Path]]:
    found = []
    for bundled in bundled_labs():
        lab = load_lab(bundled.path)
        for repo in lab.repositories:
            found += [(lab.id, path) for path in repo.content_dir.rglob("*stack*.yml")]
    return found


def test_every_image_of_a_mirrored_stack_file_is_one_its_lab_declares() -> None:
    """A stack a lab deploys from a repository the kit serves: each of its images must be one of
    the lab's stand-ins, or `docker stack deploy` waits forever for an image nobody serves."""
    stacks = _stack_files()
    assert stacks, "no bundled lab serves a stack file, so this test would check nothing"
    for lab_id, path in stacks:
        lab = load_lab(next(b.path for b in bundled_labs() if b.id == lab_id))
        images = [service["image"] for service in yaml.safe_load(path.read_text())["services"].values()]
        assert images
        missing = [ref for ref in images if packs.declared(lab, ref) is None]
        assert not missing, f"{path} runs {missing}, which lab {lab_id} does not declare"


def test_the_voting_stack_places_db_worker_and_visualizer_on_the_manager() -> None:
    """As upstream's docker-stack.yml of the lab's time (2017) does."""
    (stack,) = [path for _, path in _stack_files() if path.parent.name == "example-voting-app"]
    services = yaml.safe_load(stack.read_text())["services"]
    on_manager = {
        name
        for name, service in services.items()
        if "node.role == manager" in service.get("deploy", {}).get("placement", {}).get("constraints", [])
    }
    assert on_manager == {"db", "worker", "visualizer"}


def _status(mirror: bool) -> KitStatus:
    return KitStatus(
        mode="offline",
        data_dir="/k",
        engine=EngineStatus("default socket", "20.10", mirror),
        registry=RegistryStatus("127.0.0.1:5000", True, "172.30.0.1:5000", True, "/k/registry"),
        standins=(StandInStatus("alpine", "127.0.0.1:5000/library/alpine:latest", "sha256:ab"),),
        git_mirrors=(GitMirrorStatus("https://example.org/someone/lab", "/k/git", "abc123"),),
        node_image=NodeImageStatus(paths.NODE_IMAGE, "sha256:ff"),
        nodes=(
            NodeStatus(
                "node1",
                "labcheck-node1",
                True,
                True,
                "inactive",
                "unix:///k/nodes/node1/docker.sock",
                "172.30.0.2",
            ),
        ),
        capabilities=(Capability("routing_mesh", False, "this kernel has no IPVS"),),
        last_up=LastUp((), ("alpine",), 0.2),
    )


def test_status_is_up_only_with_the_mirror_in_use() -> None:
    assert _status(True).up
    assert not _status(False).up


def test_status_json_and_table() -> None:
    data = _status(True).to_json()
    assert data["up"] is True
    assert data["capabilities"]["routing_mesh"]["available"] is False
    assert data["nodes"][0]["docker_host"].startswith("unix://")
    table = render_table(_status(True))
    assert "node node1" in table and "no IPVS" in table and "built: nothing" in table
