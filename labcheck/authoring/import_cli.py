"""`labcheck import LAB.md [-o DIR]`: a lab pack skeleton from a lab written in Markdown."""

from __future__ import annotations

import argparse
from pathlib import Path

from labcheck import i18n
from labcheck.safe_text import visible


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "import",
        help=t.gettext("turn a lab written in Markdown into a lab pack to complete"),
    )
    parser.add_argument("markdown", metavar="LAB.md", type=Path, help=t.gettext("the lab's Markdown file"))
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=t.gettext("the pack's folder (default: ./LAB-ID)"),
    )
    parser.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from labcheck.authoring.importer import import_lab  # its Markdown parser, for this command only

    t = i18n.cli()
    result = import_lab(args.markdown, args.out)
    summary = result.summary
    print(t.format("wrote {path}", path=result.spec))
    print(
        t.format(
            "  {steps}, {nodes}, {captures}, {rules}, {left}",
            steps=t.counted(summary.steps, "step", "steps"),
            nodes=t.counted(summary.nodes, "node", "nodes"),
            captures=t.counted(summary.captures_to_confirm, "capture to confirm", "captures to confirm"),
            rules=t.counted(summary.rules_proposed, "output rule proposed", "output rules proposed"),
            left=t.counted(summary.items_left, "item left for the author", "items left for the author"),
        )
    )
    if result.left:
        print(t.gettext("left for the author:"))
        for item in result.left:
            print(f"  - {visible(item)}")
    return 0
