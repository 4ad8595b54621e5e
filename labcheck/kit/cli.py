"""`labcheck kit up|down|status`: the offline classroom kit from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from labcheck import i18n
from labcheck.argparse_words import argparse_in_locale
from labcheck.errors import LabcheckError
from labcheck.kit.transport import MODES


def _nodes_arg(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        # In the locale's language, as the rest of argparse's line ("error: argument --nodes: ...").
        raise argparse.ArgumentTypeError(i18n.cli().gettext("give at least one node name, e.g. node1,node2"))
    return names


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from labcheck.kit import commands

        handler: Callable[[argparse.Namespace], int] = getattr(commands, name)
        return commands.guarded(handler)(args)

    return run


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = i18n.cli()
    kit = subparsers.add_parser(
        "kit", help=t.gettext("the offline classroom kit: local registry, stand-in images, Swarm nodes")
    )
    actions = kit.add_subparsers(dest="kit_command", required=True, metavar="{up,down,status,export,import}")

    up = actions.add_parser(
        "up",
        help=t.gettext("bring the kit up for these labs (idempotent, reuses what is built)"),
        description=t.gettext(
            "Provide what the given labs need (default: every bundled lab): their stand-in "
            "images, git repositories and node tools, read from each lab pack's spec. Labs served "
            "before stay served; only what is new is built."
        ),
    )
    up.add_argument(
        "labs",
        nargs="*",
        metavar="LAB",
        help=t.gettext("bundled lab ids or lab pack folders (default: every bundled lab)"),
    )
    up.add_argument(
        "--online",
        action="store_true",
        help=t.gettext("feed the nodes from Docker Hub and GitHub instead of stand-ins"),
    )
    up.add_argument(
        "--registry",
        metavar="URL",
        default=None,
        help=t.gettext(
            "feed the nodes from this registry (http://HOST:PORT or https://HOST), their Docker Hub mirror"
        ),
    )
    up.add_argument(
        "--nodes",
        type=_nodes_arg,
        default=None,
        help=t.gettext("comma-separated node names (default: the nodes the labs name)"),
    )
    up.add_argument(
        "--transport",
        choices=MODES,
        default="auto",
        help=t.gettext(
            "how labcheck reaches the nodes' engines: their socket, TLS on a loopback port, or "
            "docker exec (default auto: the socket where sockets work, TLS otherwise)"
        ),
    )
    up.add_argument("--json", action="store_true", help=t.gettext("print the resulting status as JSON"))
    up.set_defaults(handler=_command("up"))

    down = actions.add_parser("down", help=t.gettext("remove what the kit made and restore the engine"))
    down.add_argument(
        "--purge",
        action="store_true",
        help=t.gettext("also delete the kit's data dir (registry data, root filesystem)"),
    )
    down.set_defaults(handler=_command("down"))

    export_parser = actions.add_parser(
        "export",
        help=t.gettext("write everything the kit built into one tar, with a manifest of digests"),
        description=t.gettext(
            "Write the registry's data, the git mirrors, the node image, the stand-in records, "
            "the Debian root filesystem and the package repository into FILE, for `labcheck kit import` "
            "on a machine with no network. The kit must be up (offline)."
        ),
    )
    export_parser.add_argument("file", metavar="FILE", help=t.gettext("the tar to write, e.g. kit.tar"))
    export_parser.set_defaults(handler=_command("export_command"))

    import_parser = actions.add_parser(
        "import",
        help=t.gettext("make the kit ready from an export: nothing built, nothing fetched"),
        description=t.gettext(
            "Check FILE (written by `labcheck kit export`) entry by entry against its manifest's "
            "digests, put its data in place and bring the kit up for the bundled labs it serves. A corrupt "
            "or foreign file is refused, naming what does not match. The kit must be down."
        ),
    )
    import_parser.add_argument("file", metavar="FILE", help=t.gettext("the tar `labcheck kit export` wrote"))
    import_parser.set_defaults(handler=_command("import_command"))

    status = actions.add_parser("status", help=t.gettext("show what is up (exit 1 if the kit is not up)"))
    status.add_argument("--json", action="store_true", help=t.gettext("print JSON instead of a table"))
    status.add_argument(
        "--online",
        action="store_true",
        help=t.gettext("with --dry-run: what `kit up --online` needs from Docker Hub"),
    )
    status.add_argument(
        "--dry-run",
        action="store_true",
        help=t.gettext("with --online: list it for the bundled labs, touching nothing"),
    )
    status.set_defaults(handler=_command("status"))


def main(argv: list[str] | None = None) -> int:
    """Run only the kit command (`python -m labcheck.kit.cli up`); labcheck's CLI embeds it."""
    with argparse_in_locale():
        parser = argparse.ArgumentParser(prog="labcheck")
        register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["kit", *(sys.argv[1:] if argv is None else argv)])
        try:
            return int(args.handler(args))
        except LabcheckError as exc:
            print(f"labcheck: {exc}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    raise SystemExit(main())
