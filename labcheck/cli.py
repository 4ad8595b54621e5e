"""The `labcheck` command line: run, labs, validate, report, verify and the offline kit.

Every command exits the same way: 0 success, 1 the lab or a verification failed, 2 a usage,
spec or set-up error (printed once, no traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from labcheck import __version__, i18n, labs_cli, run_cli
from labcheck.authoring import import_cli, lint_cli, new_cli, record_cli
from labcheck.errors import LabcheckError
from labcheck.kit import cli as kit_cli
from labcheck.report import cli as report_cli
from labcheck.safe_text import visible
from labcheck.signing import cli as signing_cli
from labcheck.spec import cli as spec_cli
from labcheck.verify import cli as verify_cli

EXIT_CODES = """\
exit codes (every command):
  0    success
  1    the lab or a verification failed
  2    usage, spec or set-up error
  130  interrupted
"""

# One example per command, shown by its --help (the run command keeps its own, longer one).
EXAMPLES: dict[tuple[str, ...], str] = {
    ("labs",): "labcheck labs --json",
    ("validate",): "labcheck validate my-lab specs/other-lab/lab.yaml",
    ("report",): "labcheck report reports/my-lab/evidence.json --from mi-informe.md",
    ("verify",): (
        "labcheck verify submissions/ --spec specs/my-lab --ids-from-names --pubkey course.pub "
        "--csv results.csv"
    ),
    ("keygen",): "labcheck keygen -o course-keys",
    ("kit",): "labcheck kit up && labcheck kit status",
    ("kit", "up"): "labcheck kit up my-lab path/to/another-lab-pack",
    ("kit", "down"): "labcheck kit down --purge",
    ("kit", "status"): "labcheck kit status --json",
    ("kit", "export"): "labcheck kit export kit.tar",
    ("kit", "import"): "labcheck kit import kit.tar",
    ("import",): "labcheck import ops-s1-hello.md -o specs/ops-s1-hello",
    ("lint",): "labcheck lint my-lab --evidence reports/my-lab/evidence.json",
    ("record",): "labcheck record specs/ops-s1-hello --runs 2",
    ("new",): "labcheck new my-lab -o specs/my-lab",
}


def subcommand_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parsers of a parser's subcommands, by name (argparse keeps them in its actions)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _add_examples(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    for name, sub in subcommand_parsers(parser).items():
        here = (*path, name)
        if here in EXAMPLES:
            sub.epilog = f"example:\n  {EXAMPLES[here]}\n\n{EXIT_CODES}"
            sub.formatter_class = argparse.RawDescriptionHelpFormatter
        elif sub.epilog:
            sub.epilog = f"{sub.epilog}\n{EXIT_CODES}"
        _add_examples(sub, here)


def build_parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The whole command line, and the `run` command's own parser (it parses its line itself)."""
    parser = argparse.ArgumentParser(
        prog="labcheck",
        description="Check Docker lab steps against a real engine.",
        epilog=f"example:\n  labcheck run my-lab\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"labcheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_parser = run_cli.register(subparsers)
    labs_cli.register(subparsers)
    spec_cli.register(subparsers)
    kit_cli.register(subparsers)
    report_cli.register(subparsers)
    verify_cli.register(subparsers)
    signing_cli.register(subparsers)
    import_cli.register(subparsers)
    lint_cli.register(subparsers)
    record_cli.register(subparsers)
    new_cli.register(subparsers)
    _add_examples(parser)
    return parser, run_parser


def build_parser() -> argparse.ArgumentParser:
    return build_parsers()[0]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser, run_parser = build_parsers()
    if argv and argv[0] == "run":
        return run_cli.parse(run_parser, argv[1:])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return int(args.handler(args))
    except LabcheckError as exc:
        # Messages name files and values others chose: their control characters are shown, not run.
        print(f"labcheck: {visible(str(exc), keep_newlines=True)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the user named that cannot be read or written
        print(f"labcheck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"labcheck: {i18n.cli().gettext('interrupted by the user')}", file=sys.stderr)
        return 130
