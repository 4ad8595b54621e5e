"""A container: its status, exit code, image, and a path among its file changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from labcheck.checks.kinds import Baseline, Observation, StateKind
from labcheck.checks.kinds.engine import same_image

if TYPE_CHECKING:
    import docker

SCHEMA = {
    "type": "object",
    "required": ["ref"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "ref": {"$ref": "#/$defs/text"},
        "status": {"enum": ["created", "running", "paused", "restarting", "removing", "exited", "dead"]},
        "exit_code": {"type": "integer"},
        "image": {"$ref": "#/$defs/text"},
        "diff_contains": {"$ref": "#/$defs/text"},
    },
}


def probe(client: docker.DockerClient, p: Mapping[str, object], _: Baseline) -> Observation:
    import docker.errors

    expected = {k: v for k, v in p.items() if k != "ref"}
    try:
        container = client.containers.get(str(p["ref"]))
    except docker.errors.NotFound:
        return Observation(False, expected, {"exists": False})
    state = container.attrs.get("State", {})
    observed: dict[str, object] = {"status": container.status, "exit_code": state.get("ExitCode")}
    ok = True
    if "status" in expected:
        ok = ok and container.status == expected["status"]
    if "exit_code" in expected:
        ok = ok and state.get("ExitCode") == expected["exit_code"]
    if "image" in expected:
        observed["image"] = container.attrs.get("Config", {}).get("Image")
        ok = ok and same_image(str(expected["image"]), str(observed["image"]))
    if "diff_contains" in expected:
        paths = {change["Path"] for change in client.api.diff(container.id) or []}
        observed["diff_contains"] = expected["diff_contains"] in paths
        observed["changes"] = len(paths)
        ok = ok and expected["diff_contains"] in paths
        observed = {k: v for k, v in observed.items() if k in expected or k == "changes"}
    return Observation(ok, expected, observed)


KIND = StateKind(
    name="container",
    schema=SCHEMA,
    probe=probe,
    subject_es="el contenedor {}",
    subject_key="ref",
    words_es={"diff_contains": "sus cambios incluyen {}", "image": "imagen {}"},
)
