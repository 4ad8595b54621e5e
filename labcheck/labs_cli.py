"""`labcheck labs [--json]`: the labs that ship with labcheck, runnable by their id."""

from __future__ import annotations

import argparse
import json

from labcheck import i18n
from labcheck.bundled import BundledLab, bundled_labs, bundled_root
from labcheck.errors import LabNotFound
from labcheck.i18n import N_
from labcheck.spec.texts import in_language

COLUMNS = (N_("ID"), N_("TITLE"), N_("NODES"), N_("STEPS"), N_("VERSION"))  # headings, in the locale's words


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "labs",
        help=t.gettext("list the bundled labs (run one with `labcheck run ID`)"),
        description=t.gettext("List the labs that ship with labcheck: id, title, nodes, steps and version."),
    )
    parser.add_argument("--json", action="store_true", help=t.gettext("print JSON instead of a table"))
    parser.set_defaults(handler=_labs)


def _row(lab: BundledLab) -> tuple[str, ...]:
    # The title in the locale's language when the spec gives it, as the table's headings are.
    title = in_language(lab.title, i18n.cli().language) or lab.title
    return (lab.id, title, ", ".join(lab.nodes), str(lab.steps), lab.version)


def render_table(labs: list[BundledLab]) -> str:
    t = i18n.cli()
    rows = [tuple(t.gettext(heading) for heading in COLUMNS), *(_row(lab) for lab in labs)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _labs(args: argparse.Namespace) -> int:
    labs = bundled_labs()
    if not labs:
        raise LabNotFound(
            i18n.cli().format("no bundled lab in this install (looked in {folder})", folder=bundled_root())
        )
    if args.json:
        print(json.dumps([lab.to_json() for lab in labs], indent=2, ensure_ascii=False))
    else:
        print(render_table(labs))
    return 0
