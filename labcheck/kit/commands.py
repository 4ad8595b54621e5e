"""What each `labcheck kit` command does; labcheck/kit/cli.py only parses its line, so the
engine's client loads for a kit command and never for verify or report."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import docker.errors

from labcheck.bundled import spec_argument
from labcheck.errors import KitError
from labcheck.i18n import cli as cli_words
from labcheck.kit import api, export, export_reader, online_needs
from labcheck.kit.status import built_words, render_table
from labcheck.kit.transport import parse_mode
from labcheck.spec.loader import load_lab


def up(args: argparse.Namespace) -> int:
    labs = [load_lab(spec_argument(text)) for text in args.labs] if args.labs else None
    status = api.kit_up(
        labs=labs,
        online=args.online,
        registry_url=args.registry,
        nodes=args.nodes,
        transport=parse_mode(args.transport),
    )
    print(json.dumps(status.to_json(), indent=2) if args.json else render_table(status))
    return 0 if status.up else 2  # a kit that did not come up is a set-up error


def down(args: argparse.Namespace) -> int:
    api.kit_down(purge=args.purge)
    words = cli_words()
    if args.purge:
        print(words.gettext("kit is down"))
    else:
        print(words.gettext("kit is down (data kept for a fast next `kit up`; --purge deletes it)"))
    return 0


def status(args: argparse.Namespace) -> int:
    if args.online or args.dry_run:
        if not (args.online and args.dry_run):
            raise KitError(
                cli_words().gettext(
                    "`kit status --online --dry-run` lists what `kit up --online` needs: give both"
                )
            )
        needs = online_needs.online_needs(api.bundled_lab_specs())
        print(json.dumps([n.to_json() for n in needs], indent=2) if args.json else online_needs.render(needs))
        return 0
    status = api.kit_status()
    print(json.dumps(status.to_json(), indent=2) if args.json else render_table(status))
    return 0 if status.up else 1


def _say(message: str) -> None:
    print(f"kit: {message}", file=sys.stderr, flush=True)


def export_command(args: argparse.Namespace) -> int:
    written = export.export_kit(Path(args.file), _say)
    words = cli_words()
    print(
        words.ngettext(
            "{file}: the kit for {labs} ({size} MB, {count} entry with its digest)",
            "{file}: the kit for {labs} ({size} MB, {count} entries with their digests)",
            written.entries,
        ).format(
            file=args.file,
            labs=", ".join(written.labs) or "-",
            size=words.number(written.total_size // 10**6),
            count=words.number(written.entries),
        )
    )
    return 0


def import_command(args: argparse.Namespace) -> int:
    manifest = export_reader.import_kit(Path(args.file), _say)
    labs, elsewhere = export_reader.served_labs(manifest)
    words = cli_words()
    if elsewhere:
        _say(words.format("not bundled here, not served: {labs}", labs=", ".join(elsewhere)))
    status = api.kit_up(labs=labs, nodes=manifest.nodes or None, progress=_say)
    done = status.last_up.built if status.last_up is not None else ()
    built = [item for item in done if not item.startswith("node ")]
    if built:
        items = ", ".join(built_words(item, words) for item in built)
        _say(words.format("built here, the export lacked it: {items}", items=items))
    print(render_table(status))
    return 0 if status.up else 2


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Engine API failures become a one-line KitError, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except docker.errors.DockerException as exc:
            raise KitError(
                cli_words().format("the Docker engine refused a kit operation: {error}", error=exc)
            ) from exc

    return run
