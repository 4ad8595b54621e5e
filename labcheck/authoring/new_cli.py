"""`labcheck new LAB-ID [-o DIR]`: a starter lab pack that validates and runs green on the kit."""

from __future__ import annotations

import argparse
from pathlib import Path

from labcheck import i18n
from labcheck.authoring.starter import LAB_ID, MESSAGE, starter_yaml
from labcheck.authoring.yaml_text import comment_text
from labcheck.errors import LabcheckError, SpecInvalid
from labcheck.spec.loader import load_lab


class NewRefused(LabcheckError):
    """`labcheck new` was asked for a pack it cannot write (nothing is written)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser("new", help=t.gettext("write a starter lab pack to edit"))
    parser.add_argument(
        "lab_id", metavar="LAB-ID", help=t.gettext("the new lab's id (a-z, 0-9, '.', '_', '-')")
    )
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=t.gettext("the pack's folder (default: ./LAB-ID)"),
    )
    parser.set_defaults(handler=_new)


def write_starter(lab_id: str, folder: Path) -> Path:
    t = i18n.cli()
    if not LAB_ID.fullmatch(lab_id):
        raise NewRefused(
            t.format(
                "'{lab_id}' is not a lab id: lowercase letters, digits, '.', '_' and '-', "
                "starting with a letter or a digit (nothing written)",
                lab_id=lab_id,
            )
        )
    spec, message = folder / "lab.yaml", folder / "message.txt"
    if folder.exists() and not folder.is_dir():
        raise NewRefused(t.format("{path}: is not a folder (nothing written)", path=folder))
    for path in (spec, message):
        if path.exists() or path.is_symlink():
            raise NewRefused(
                t.format("{path} already exists: give another folder with -o (nothing written)", path=path)
            )
    folder.mkdir(parents=True, exist_ok=True)
    message.write_text(MESSAGE, encoding="utf-8")
    spec.write_text(starter_yaml(lab_id, comment_text(str(folder))), encoding="utf-8")
    try:
        load_lab(spec)
    except SpecInvalid as error:  # a bug of labcheck's template: said, with the file kept to look at
        raise NewRefused(
            t.format("the pack written to {path} does not validate:\n{error}", path=spec, error=error)
        ) from None
    return spec


def _new(args: argparse.Namespace) -> int:
    t = i18n.cli()
    folder = args.out if args.out is not None else Path(args.lab_id)
    spec = write_starter(args.lab_id, folder)
    print(t.format("wrote {path}", path=spec))
    print(t.format("  next: labcheck validate {folder} && labcheck run {folder}", folder=folder))
    return 0
