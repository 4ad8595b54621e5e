"""Placeholders a lab asks the student to fill (`<container ID>`, `CONTAINER_ID`, `<IMAGE_ID>`,
`<token>`) become `${{ name }}` captures of the step that produces the value, for the author to
confirm; a placeholder with no producer is left for the author."""

from __future__ import annotations

import re

from labcheck import i18n
from labcheck.authoring.draft import DraftCapture, DraftStep
from labcheck.authoring.shell_lines import built_tag, run_image, words

_ANGLE = re.compile(r"<([A-Za-z][A-Za-z0-9 _.-]{0,38})>")
_UPPER = re.compile(r"\b[A-Z][A-Z0-9]*_(?:ID|TOKEN|NAME|HASH)\b")
_SWARM_TOKEN = re.compile(r"\bSWMTKN-[0-9A-Za-z.-]*")
_CREATES_CONTAINER = re.compile(r"^docker\s+(?:container\s+)?(?:run|create)\b")
_COMMITS = re.compile(r"^docker\s+(?:container\s+)?commit\b")
_SWARM_INIT = re.compile(r"^docker\s+swarm\s+init\b")


def placeholders(command: str) -> list[str]:
    """The placeholders in a command, as written, in order."""
    angles = list(_ANGLE.finditer(command))
    found = [m.group(0) for m in angles]
    for other in (*_UPPER.finditer(command), *_SWARM_TOKEN.finditer(command)):
        if not any(a.start() <= other.start() < a.end() for a in angles):
            found.append(other.group(0))
    return sorted(set(found), key=command.index)


def kind_of(placeholder: str) -> str | None:
    text = placeholder.strip("<>").lower().replace("_", " ")
    if "token" in text or text.startswith("swmtkn"):
        return "swarm_token"
    if "container" in text and ("id" in text.split() or "name" in text):
        return "container"
    if "image" in text and ("id" in text.split() or "hash" in text):
        return "image"
    return None


def _variable(stem: str, suffix: str, taken: set[str]) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")[:24].strip("_")
    if not name or not name[0].isalpha():
        name = f"lab_{name}".strip("_")
    candidate, n = f"{name}_{suffix}", 2
    while candidate in taken:
        candidate, n = f"{name}_{suffix}_{n}", n + 1
    return candidate


def _capture_for(kind: str, producer: DraftStep, placeholder: str, taken: set[str]) -> DraftCapture | None:
    command = producer.command
    if kind == "container" and _CREATES_CONTAINER.match(command):
        stem = (run_image(command) or "lab").rsplit("/", 1)[-1].split(":")[0]
        name = _variable(stem, "container", taken)
        return DraftCapture(name, "created_container", placeholder, short=True)
    if kind == "image" and _COMMITS.match(command):
        name = _variable("committed", "image", taken)
        return DraftCapture(name, "output", placeholder, pattern="sha256:([0-9a-f]{12})")
    if kind == "image" and (tag := built_tag(command)):
        name = _variable(tag, "image", taken)
        return DraftCapture(name, "image_id", placeholder, ref=tag, short=True)
    if kind == "swarm_token" and _SWARM_INIT.match(command):
        return DraftCapture("worker_token", "swarm_join_token", placeholder, role="worker")
    return None


def wire(command: str, earlier: list[DraftStep], line: int, left: list[str]) -> str:
    """The command with each placeholder it can wire put as `${{ name }}` (the producer's capture
    added, marked for the author); the others stay as written and are listed in `left`."""
    for placeholder in placeholders(command):
        kind = kind_of(placeholder)
        capture = None
        producer = None
        taken = {c.name for step in earlier for c in step.captures}
        # A container the lab asks for is the one the student last worked in, if any.
        ordered = [s for s in reversed(earlier) if s.session] if kind == "container" else []
        if kind is not None:
            for candidate in [*ordered, *reversed(earlier)]:
                capture = _capture_for(kind, candidate, placeholder, taken)
                if capture is None:
                    continue
                reused = next((c for c in candidate.captures if c.source == capture.source), None)
                capture, producer = reused or capture, candidate
                break
        if capture is None or producer is None:
            said = i18n.cli().format(
                "line {line}: «{placeholder}» in «{command}»: no earlier step gives it; fill it in",
                line=line,
                placeholder=placeholder,
                command=command,
            )
            left.append(said)
            continue
        existing = next((c for c in producer.captures if c.name == capture.name), None)
        if existing is None:
            capture.note = f"TODO confirm: the lab's «{placeholder}» (line {line}) is this step's value"
            producer.captures.append(capture)
        command = command.replace(placeholder, f"${{{{ {capture.name} }}}}")
    return command


def join_command(earlier: list[DraftStep]) -> str | None:
    """The `docker swarm join` a lab tells the student to paste, wired to `swarm init`'s output."""
    producer = next((step for step in reversed(earlier) if _SWARM_INIT.match(step.command)), None)
    if producer is None:
        return None
    if not any(c.name == "worker_token" for c in producer.captures):
        producer.captures.append(
            DraftCapture(
                "worker_token",
                "swarm_join_token",
                "SWMTKN-...",
                role="worker",
                note="TODO confirm: the join token the lab has the student paste on another node",
            )
        )
    if not any(c.name == "manager_address" for c in producer.captures):
        producer.captures.append(
            DraftCapture(
                "manager_address",
                "output",
                "<host>",
                pattern="([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+:2377)",
                note="TODO confirm: the manager's address:port printed in the join command",
            )
        )
    return "docker swarm join --token ${{ worker_token }} ${{ manager_address }}"


def mentions_command(text: str) -> bool:
    return bool(words(text)) and words(text)[0] in ("docker", "git")
