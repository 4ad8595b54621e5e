"""`labcheck kit up|down|status`: the offline classroom kit from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

import docker.errors

from labcheck.bundled import spec_argument
from labcheck.errors import KitError, LabcheckError
from labcheck.kit import api
from labcheck.kit.status import render_table
from labcheck.spec.loader import load_lab


def _nodes_arg(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise argparse.ArgumentTypeError("give at least one node name, e.g. node1,node2")
    return names


def _up(args: argparse.Namespace) -> int:
    labs = [load_lab(spec_argument(text)) for text in args.labs] if args.labs else None
    status = api.kit_up(labs=labs, online=args.online, nodes=args.nodes)
    print(json.dumps(status.to_json(), indent=2) if args.json else render_table(status))
    return 0 if status.up else 2  # a kit that did not come up is a set-up error


def _down(args: argparse.Namespace) -> int:
    api.kit_down(purge=args.purge)
    kept = "" if args.purge else " (data kept for a fast next `kit up`; --purge deletes it)"
    print(f"kit is down{kept}")
    return 0


def _status(args: argparse.Namespace) -> int:
    status = api.kit_status()
    print(json.dumps(status.to_json(), indent=2) if args.json else render_table(status))
    return 0 if status.up else 1


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Engine API failures become a one-line KitError, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except docker.errors.DockerException as exc:
            raise KitError(f"the Docker engine refused a kit operation: {exc}") from exc

    return run


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kit = subparsers.add_parser(
        "kit", help="the offline classroom kit: local registry, stand-in images, Swarm nodes"
    )
    actions = kit.add_subparsers(dest="kit_command", required=True, metavar="{up,down,status}")

    up = actions.add_parser(
        "up",
        help="bring the kit up for these labs (idempotent, reuses what is built)",
        description="Provide what the given labs need (default: every bundled lab): their stand-in "
        "images, git repositories and node tools, read from each lab pack's spec. Labs served "
        "before stay served; only what is new is built.",
    )
    up.add_argument(
        "labs",
        nargs="*",
        metavar="LAB",
        help="bundled lab ids or lab pack folders (default: every bundled lab)",
    )
    up.add_argument(
        "--online", action="store_true", help="feed the nodes from Docker Hub and GitHub instead of stand-ins"
    )
    up.add_argument(
        "--nodes",
        type=_nodes_arg,
        default=None,
        help="comma-separated node names (default: the nodes the labs name)",
    )
    up.add_argument("--json", action="store_true", help="print the resulting status as JSON")
    up.set_defaults(handler=_guarded(_up))

    down = actions.add_parser("down", help="remove what the kit made and restore the engine")
    down.add_argument(
        "--purge", action="store_true", help="also delete the kit's data dir (registry data, root filesystem)"
    )
    down.set_defaults(handler=_guarded(_down))

    status = actions.add_parser("status", help="show what is up (exit 1 if the kit is not up)")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.set_defaults(handler=_guarded(_status))


def main(argv: list[str] | None = None) -> int:
    """Run only the kit command (`python -m labcheck.kit.cli up`); labcheck's CLI embeds it."""
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
