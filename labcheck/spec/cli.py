"""`labcheck validate SPEC...`: check specs without running them."""

from __future__ import annotations

import argparse
import re
import sys

from labcheck import i18n
from labcheck.bundled import spec_argument
from labcheck.errors import SpecInvalid
from labcheck.spec.loader import load_lab
from labcheck.spec.model import Lab

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """A spec's keys and values quoted in a message are shown, never executed by the terminal."""
    return _CONTROL.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser("validate", help=t.gettext("check lab specs without running them"))
    parser.add_argument(
        "specs",
        nargs="+",
        metavar="SPEC",
        help=t.gettext("bundled lab ids, spec files or folders holding lab.yaml"),
    )
    parser.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    t = i18n.cli()
    failed = 0
    for text in args.specs:
        try:
            lab = load_lab(spec_argument(text))
        except SpecInvalid as error:
            failed += 1
            for problem in error.problems:
                print(visible(str(problem)), file=sys.stderr)
            continue
        unserved = _kit_problems(lab)
        if unserved:
            failed += 1
            for message in unserved:
                print(visible(message), file=sys.stderr)
            continue
        steps = t.counted(len(lab.steps), "step", "steps")
        said = t.format(
            "ok: {path} ({id} {version}, {steps})", path=lab.path, id=lab.id, version=lab.version, steps=steps
        )
        print(said)
    return 2 if failed else 0  # an invalid spec is a spec error, as for every command


def _kit_problems(lab: Lab) -> list[str]:
    """With the offline kit up, the images the lab pulls that the kit's registry cannot serve."""
    from labcheck.kit import paths, registry_client, state
    from labcheck.runner.preflight import kit_image_problems

    record = state.load()
    if record is None or record.mode != "offline" or not registry_client.answers(paths.HOST_REGISTRY, 2.0):
        return []
    return kit_image_problems(lab)
