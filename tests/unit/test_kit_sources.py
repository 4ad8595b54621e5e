"""Where the kit's nodes pull from (--registry, --online), what --online needs, and a kit whose
host mirror was left alone (not root): all without an engine."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from labcheck.errors import KitError
from labcheck.kit import api, source
from labcheck.kit.packs import split_ref
from labcheck.kit.status import render_table
from tests.unit.test_kit_units import _status


def _labcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labcheck", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("given", "wanted"),
    [
        ("http://172.17.0.1:5055/", "http://172.17.0.1:5055"),
        ("172.17.0.1:5055", "http://172.17.0.1:5055"),
        ("https://registry.example.org", "https://registry.example.org"),
    ],
)
def test_a_registry_is_kept_as_its_base_url(given: str, wanted: str) -> None:
    feed = source.chosen(False, given)
    assert feed.mode == source.REGISTRY and feed.url == wanted and feed.node_mirror == wanted


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("http://127.0.0.1:5000", "loopback"),
        ("localhost:5000", "loopback"),
        ("ftp://registry.example.org", "http://HOST:PORT"),
        ("https://registry.example.org/v2/library", "no path"),
        ("https://user:pw@registry.example.org", "no path or login"),
        ("http://registry.example.org:99999", "port is not a number from 0 to 65535"),
    ],
)
def test_a_registry_the_nodes_cannot_use_is_refused_in_words(given: str, says: str) -> None:
    with pytest.raises(KitError, match=says):
        source.chosen(False, given)


def test_online_is_docker_hub_and_not_with_a_registry() -> None:
    assert source.chosen(True, None).node_mirror is None
    assert source.chosen(False, None).node_mirror == "172.30.0.1:5000"
    with pytest.raises(KitError, match="not both"):
        source.chosen(True, "http://172.17.0.1:5000")


def test_kit_up_with_a_bad_registry_exits_2_before_touching_anything() -> None:
    done = _labcheck("kit", "up", "--registry", "localhost:5000")
    assert done.returncode == 2, done.stderr
    assert "loopback" in done.stderr and "Traceback" not in done.stderr


def test_status_online_dry_run_lists_every_image_and_repository_of_the_bundled_labs() -> None:
    table = _labcheck("kit", "status", "--online", "--dry-run")
    assert table.returncode == 0, table.stderr
    listed = _labcheck("kit", "status", "--online", "--dry-run", "--json")
    needs = json.loads(listed.stdout)
    images = {f"{n['name']}:{n['tag']}": n["needed_by"] for n in needs if n["kind"] == "image"}
    repositories = {n["name"] for n in needs if n["kind"] == "repository"}
    for lab in api.bundled_lab_specs():
        for image in lab.images:
            name, tag = split_ref(image.ref)
            assert lab.id in images[f"{name}:{tag}"]
            assert f"{name}:{tag}" in table.stdout
        assert {repo.url for repo in lab.repositories} <= repositories
    assert images["library/debian:bookworm"] == ["node image"]
    assert "https://github.com/docker/example-voting-app" in table.stdout


def test_dry_run_goes_with_online() -> None:
    done = _labcheck("kit", "status", "--dry-run")
    assert done.returncode == 2 and "give both" in done.stderr


def test_an_offline_kit_whose_host_mirror_was_skipped_is_up_without_it() -> None:
    skipped = dataclasses.replace(_status(False), host_mirror=False)
    assert skipped.up
    assert "docker pull` on this host goes to Docker Hub" in render_table(skipped)
