"""The images a lab pulls: read from its commands and its Dockerfiles, before anything runs.

Only what the lab takes from a registry counts: images a step builds, commits or tags are the
lab's own, and a reference with a placeholder (`${{ name }}`) or a shell variable is not known
until the lab runs. Images a stack file names are the stack's business (the kit carries them),
except in a Compose file a step writes itself (`echo '...image: alpine...' > docker-compose.yml`):
the lab deploys what it wrote, so its `image:` lines are pulls of that step.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from labcheck import i18n
from labcheck.spec.model import Lab

# `docker run` options that take a value (as a separate word): the image is the first word after them.
_RUN_OPTIONS_WITH_VALUE = frozenset(
    "-a --attach --add-host --cidfile --cpus --cpu-shares -c --device --dns --entrypoint -e --env "
    "--env-file --expose --gpus -h --hostname --ip --label -l --log-driver --log-opt -m --memory "
    "--mount --name --network --net --network-alias --pid --platform -p --publish --restart "
    "--runtime --security-opt --shm-size --stop-signal --stop-timeout --tmpfs -u --user --ulimit "
    "-v --volume --volumes-from -w --workdir --pull --cap-add --cap-drop --health-cmd "
    "--health-interval --ipc --isolation --link --mac-address --userns --uts --group-add "
    "--replicas --mode --constraint --publish-add --secret --config --with-registry-auth".split()
)
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE | re.MULTILINE)
# An `image:` line of a Compose file, once the shell has taken its quotes away.
_COMPOSE_IMAGE = re.compile(r"^\s*image:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
_WRITES_YAML = re.compile(r">\s*\S+\.ya?ml\s*$")


@dataclass(frozen=True)
class ImagePull:
    """An image the lab pulls, and where: the step (file:line) or the Dockerfile that names it."""

    ref: str
    where: str


def images_pulled(lab: Lab) -> list[str]:
    """Image references the lab pulls, in the order first met, without the ones it makes."""
    return [pull.ref for pull in image_pulls(lab)]


def image_pulls(lab: Lab) -> list[ImagePull]:
    """Each image the lab pulls, once, with the first place that pulls it."""
    pulled: list[ImagePull] = []
    made: set[str] = set()
    t = i18n.cli()  # the place is part of the command line's messages (pre-flight, validate, kit)
    for step in lab.steps:
        where = t.format("{location} (step {step})", location=step.location, step=step.id)
        for words in _docker_commands(step.run):
            kind, refs = _refs_of(words)
            if kind == "made":
                made.update(refs)
            else:
                pulled.extend(ImagePull(ref, where) for ref in refs)
        pulled.extend(ImagePull(ref, where) for ref in _written_compose(step.run))
    for lab_file in lab.files:
        if lab_file.path.rsplit("/", 1)[-1].lower().startswith("dockerfile") and lab_file.source.is_file():
            text = lab_file.source.read_text(errors="replace")
            stages = {m.group(1).lower() for m in re.finditer(r"\bAS\s+(\S+)", text, re.IGNORECASE)}
            for match in _FROM.finditer(text):
                if match.group(1).lower() not in stages:
                    line = text.count("\n", 0, match.start(1)) + 1
                    pulled.append(ImagePull(match.group(1), f"{lab_file.source}:{line} (FROM)"))
    first: dict[str, ImagePull] = {}
    for pull in pulled:
        if "$" not in pull.ref and pull.ref not in made and pull.ref != "scratch":
            first.setdefault(pull.ref, pull)
    return list(first.values())


def _written_compose(command: str) -> list[str]:
    """The images of a Compose file the command writes with the shell (`echo '...' > x.yml`)."""
    if not _WRITES_YAML.search(command.strip()):
        return []
    try:
        words = shlex.split(command, comments=False)
    except ValueError:
        return []
    return [match.group(1) for word in words for match in _COMPOSE_IMAGE.finditer(word)]


def _docker_commands(command: str) -> list[list[str]]:
    # A placeholder is one word whose value is not known yet ("$" keeps it out of the results).
    command = re.sub(r"\$\{\{.*?\}\}", "$value", command)
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return []
    commands: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", "||", ";", "|"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [c[1:] for c in commands if c and c[0] == "docker"]


def _refs_of(words: list[str]) -> tuple[str, list[str]]:
    """("pulled" | "made", references) for one `docker ...` command's words."""
    if words[:1] == ["container"] or words[:1] == ["image"]:
        words = words[1:]
    if not words:
        return "pulled", []
    verb, rest = words[0], words[1:]
    if verb in ("run", "create", "pull"):
        image = _first_positional(rest)
        return "pulled", [image] if image else []
    if verb == "service" and rest[:1] == ["create"]:
        image = _first_positional(rest[1:])
        return "pulled", [image] if image else []
    if verb == "build":
        return "made", [rest[i + 1] for i, w in enumerate(rest[:-1]) if w in ("-t", "--tag")]
    if verb == "commit":
        positional = [w for w in rest if not w.startswith("-")]
        return "made", positional[1:2]
    if verb == "tag":
        return "made", rest[1:2]
    return "pulled", []


def _first_positional(words: list[str]) -> str | None:
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _RUN_OPTIONS_WITH_VALUE
            continue
        return word
    return None
