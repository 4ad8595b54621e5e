"""What the lines of a code block are: commands (joined continuations, prompts taken off), their
printed output, and what a command says about the lab (interactive, which image, which folder)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

# The first words of lines that are commands a student types, not output they read.
COMMAND_WORDS = frozenset(
    "docker docker-compose git cd cat echo ls curl wget apt-get apt apk yum mkdir rm cp mv touch vi vim "
    "nano export sudo ping figlet exit bash sh ash node npm python python3 pip jq chmod chown kubectl "
    "sleep for while ps hostname uname whoami pwd id env head tail grep sed awk tee find ssh printf "
    "history clear man which type source set unset systemctl service ip ifconfig netstat ss nslookup dig "
    "tar unzip zip make gcc go java mvn gradle dotnet powershell pwsh Get-ChildItem Set-Location "
    "New-Item Remove-Item Write-Output iwr Invoke-WebRequest".split()
)
SHELLS = frozenset("sh bash ash zsh dash powershell pwsh cmd".split())
_PROMPT = re.compile(r"^\s*(?:\$|PS(?: [^>\n]*)?>|[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:[^$#\n]*[$#])\s+(\S.*)$")
_TTY_FLAGS = frozenset({"-it", "-ti", "-i", "-t", "--interactive", "--tty", "-itd"})
# Options of `docker run` that take a value, so the image is found after them.
_VALUED_OPTIONS = frozenset(
    "-p -v -e -w -u -h -l -m --name --network --net --mount --env --env-file --publish --volume "
    "--workdir --user --hostname --entrypoint --label --cap-add --cap-drop --restart --memory --cpus "
    "--log-driver --log-opt --add-host --dns --device --volumes-from --link --ip --platform --pid "
    "--ipc --security-opt --ulimit --tmpfs --expose --health-cmd --stop-signal --cidfile -c --cpu-shares "
    "--format -f --filter".split()
)
_SHORT_FLAGS = re.compile(r"^-(?![a-z]*d)(?=[a-z]*i)(?=[a-z]*t)[a-z]{2,5}$")  # -it, -dit, -ti
_RUN = re.compile(r"^docker\s+(?:container\s+)?(run|create|exec)\b")


@dataclass(frozen=True)
class CommandLine:
    text: str
    output: tuple[str, ...] = ()  # lines printed after it, when the block shows prompts


def words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=False)
    except ValueError:  # an unbalanced quote: the student's line still splits on blanks
        return command.split()


def looks_like_command(line: str) -> bool:
    stripped = line.strip()
    if _PROMPT.match(line):
        return True
    first = stripped.split(" ", 1)[0] if stripped else ""
    return first in COMMAND_WORDS or first.startswith(("./", "/bin/", "/usr/bin/"))


def has_prompts(text: str) -> bool:
    return any(_PROMPT.match(line) for line in text.split("\n"))


def _joined(text: str) -> list[str]:
    """Lines with their backslash continuations joined (as the shell reads them)."""
    lines: list[str] = []
    pending = ""
    for raw in text.split("\n"):
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1].rstrip() + " "
            continue
        lines.append(pending + raw.strip() if pending else raw)
        pending = ""
    if pending.strip():
        lines.append(pending.strip())
    return lines


def command_lines(text: str) -> list[CommandLine]:
    """The commands of a block: with prompts, the prompted lines (the rest is their output);
    without, every line that is not blank nor a shell comment."""
    lines = _joined(text)
    if not any(_PROMPT.match(line) for line in lines):
        return [
            CommandLine(line.strip()) for line in lines if line.strip() and not line.strip().startswith("#")
        ]
    commands: list[CommandLine] = []
    output: list[str] = []
    for line in lines:
        match = _PROMPT.match(line)
        if match:
            if commands:
                commands[-1] = CommandLine(commands[-1].text, tuple(output))
            commands.append(CommandLine(match.group(1).strip()))
            output = []
        elif commands:
            output.append(line)
    if commands:
        commands[-1] = CommandLine(commands[-1].text, tuple(output))
    return commands


def _after_options(args: list[str]) -> list[str]:
    """What follows a `docker run`'s options: the image and its command."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return args[index + 1 :]
        if not arg.startswith("-") or arg == "-":
            return args[index:]
        if arg in _VALUED_OPTIONS and "=" not in arg:
            index += 1
        index += 1
    return []


def run_image(command: str) -> str | None:
    """The image a `docker run`/`create` starts (None for other commands)."""
    match = _RUN.match(command)
    if match is None or match.group(1) == "exec":
        return None
    rest = _after_options(words(command)[2 if " container " in f" {command} " else 1 :][1:])
    return rest[0] if rest else None


def opens_session(command: str) -> bool:
    """A command after which the student types inside a shell until `exit`."""
    parts = words(command)
    if parts and parts[0] in SHELLS and len(parts) == 1:
        return True
    if _RUN.match(command) is None:
        return False
    tty = any(part in _TTY_FLAGS or _SHORT_FLAGS.match(part) for part in parts)
    if not tty:
        return False
    rest = _after_options(parts[2 if parts[1:2] == ["container"] else 1 :][1:])
    started = rest[1:]  # after the image (or the container, for exec)
    return not started or started[0].rsplit("/", 1)[-1] in SHELLS


def pulled_image(command: str) -> str | None:
    parts = words(command)
    if parts[:3] == ["docker", "image", "pull"] or parts[:2] == ["docker", "pull"]:
        rest = [part for part in parts[2 if parts[1] == "pull" else 3 :] if not part.startswith("-")]
        return rest[0] if rest else None
    return None


def built_tag(command: str) -> str | None:
    """The tag a `docker build -t REF` / `docker image build --tag REF` gives its image."""
    parts = words(command)
    if not (parts[:3] == ["docker", "image", "build"] or parts[:2] == ["docker", "build"]):
        return None
    for index, part in enumerate(parts):
        if part in ("-t", "--tag") and index + 1 < len(parts):
            return parts[index + 1]
        if part.startswith("--tag="):
            return part.split("=", 1)[1]
    return None


def tagged_ref(command: str) -> str | None:
    """The new name a `docker image tag SOURCE TARGET` gives."""
    parts = words(command)
    if parts[:3] == ["docker", "image", "tag"] or parts[:2] == ["docker", "tag"]:
        rest = parts[3 if parts[1] == "image" else 2 :]
        return rest[1] if len(rest) == 2 else None
    return None


def cloned_repository(command: str) -> str | None:
    parts = words(command)
    if parts[:2] == ["git", "clone"]:
        rest = [part for part in parts[2:] if not part.startswith("-")]
        return rest[0] if rest else None
    return None


def cloned_folder(url: str) -> str:
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def changed_folder(command: str) -> str | None:
    parts = words(command)
    if len(parts) == 2 and parts[0] == "cd":
        return parts[1]
    return None
