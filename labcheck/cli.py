"""The `labcheck` command line: run, labs, validate, report, verify and the offline kit.

Every command exits the same way: 0 success, 1 the lab or a verification failed, 2 a usage,
spec or set-up error (printed once, no traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from labcheck import __version__, i18n, labs_cli, run_cli
from labcheck.argparse_words import argparse_in_locale
from labcheck.authoring import import_cli, lint_cli, new_cli, record_cli
from labcheck.errors import LabcheckError
from labcheck.i18n import N_
from labcheck.kit import cli as kit_cli
from labcheck.os_error_words import os_error_words
from labcheck.report import cli as report_cli
from labcheck.runner import interrupts
from labcheck.safe_text import visible
from labcheck.signing import cli as signing_cli
from labcheck.spec import cli as spec_cli
from labcheck.verify import cli as verify_cli

# What each exit code means, for the end of every --help (marked here, said in the locale's language).
EXIT_MEANINGS = (
    (0, N_("success")),
    (1, N_("the lab or a verification failed")),
    (2, N_("usage, spec or set-up error")),
    (130, N_("interrupted (Ctrl-C or a signal)")),
)


def exit_codes(t: i18n.Translator) -> str:
    rows = "".join(f"  {code:<5}{t.gettext(meaning)}\n" for code, meaning in EXIT_MEANINGS)
    return f"{t.gettext('exit codes (every command):')}\n{rows}"


def example(t: i18n.Translator, command_line: str) -> str:
    """An epilog's example: the heading in words, the command line as typed."""
    return f"{t.gettext('example:')}\n  {command_line}\n\n{exit_codes(t)}"


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


class Help(argparse.HelpFormatter):
    """argparse's help, wrapped to the terminal, with two differences: a word is never split at its
    hyphen (`--accept-unsigned`, `.labcheck-student.yaml` stay whole), and a paragraph that holds
    line breaks of its own (examples, the exit codes) is kept as written."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(
            paragraph
            if "\n" in paragraph.strip("\n")
            else textwrap.fill(
                " ".join(paragraph.split()),
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
            for paragraph in text.split("\n\n")
        )


def _add_examples(t: i18n.Translator, parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    for name, sub in subcommand_parsers(parser).items():
        here = (*path, name)
        if here in EXAMPLES:
            sub.epilog = example(t, EXAMPLES[here])
        elif sub.epilog:
            sub.epilog = f"{sub.epilog}\n{exit_codes(t)}"
        sub.formatter_class = Help
        _add_examples(t, sub, here)


def build_parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The whole command line, and the `run` command's own parser (it parses its line itself).

    Its words are the locale's: argparse's own too when built inside `argparse_in_locale()`."""
    t = i18n.cli()
    parser = argparse.ArgumentParser(
        prog="labcheck",
        description=t.gettext("Check Docker lab steps against a real engine."),
        epilog=example(t, "labcheck run my-lab"),
        formatter_class=Help,
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"labcheck {__version__}",
        help=t.gettext("show program's version number and exit"),  # argparse's words, not translated by it
    )
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
    _add_examples(t, parser)
    return parser, run_parser


def build_parser() -> argparse.ArgumentParser:
    return build_parsers()[0]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser, run_parser = build_parsers()
    if argv and argv[0] == "run":
        return run_cli.parse(run_parser, argv[1:])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        # The command itself (the console script, python -m labcheck), not a caller that goes on:
        # the process ends when this returns.
        interrupts.command_owns_process()
    # argparse's words in the locale's language while labcheck builds, parses and runs (a handler
    # may still say a usage error through argparse); the previous gettext domain after.
    with argparse_in_locale():
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        return int(args.handler(args))
    except LabcheckError as exc:
        # Messages name files and values others chose: their control characters are shown, not run.
        print(f"labcheck: {visible(str(exc), keep_newlines=True)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the user named that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"labcheck: {visible(where + os_error_words(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"labcheck: {i18n.cli().gettext('interrupted by the user')}", file=sys.stderr)
        return 130
