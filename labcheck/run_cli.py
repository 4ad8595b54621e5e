"""`labcheck run`: the bundled lab (or the specs given) through `pytest --labcheck`.

One code path for both entry points: this command only builds pytest's arguments, and maps
pytest's exit codes onto labcheck's own (0 passed, 1 a step failed, 2 usage, spec or set-up
error, 130 interrupted).
"""

from __future__ import annotations

import argparse
import gettext
from pathlib import Path

from labcheck import i18n
from labcheck.argparse_words import argparse_of_others
from labcheck.bundled import LIST_HINT, bundled_root, bundled_spec_files, run_argument
from labcheck.errors import LabcheckError, LabNotFound
from labcheck.i18n import N_
from labcheck.kit.transport import MODES
from labcheck.signing.keys import SIGNING_KEY_ENV, private_key_from_env

# The command lines as typed; their comments, in words.
EXAMPLES = (
    ("  labcheck run my-lab                           ", N_("a bundled lab, by its id (labcheck labs)")),
    ("  labcheck run course/specs/my-lab --workspace student --out out --student-id ana \\", None),
    ("      -- --junitxml=out/labcheck.xml            ", N_("after --: arguments for pytest")),
)


def examples(t: i18n.Translator) -> str:
    lines = [line if comment is None else f"{line}# {t.gettext(comment)}" for line, comment in EXAMPLES]
    return "\n".join([t.gettext("examples:"), *lines]) + "\n"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "run",
        help=t.gettext("run a lab (the bundled ones by default) and write evidence and report"),
        description=t.gettext(
            "Run a lab's steps on real engines (fresh kit nodes unless --target names one) and write "
            "the evidence and the report. Options go anywhere on the line; only what follows `--` "
            "goes to pytest."
        ),
        epilog=examples(t),
    )
    parser.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help=t.gettext("bundled lab id, spec file or folder (default: every bundled lab)"),
    )
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=DOCKER_HOST",
        help=t.gettext("run node NAME on this engine instead of a fresh kit node"),
    )
    parser.add_argument(
        "--node-transport",
        choices=MODES,
        default=None,
        help=t.gettext(
            "how labcheck reaches the kit nodes' engines (default auto: their socket where it "
            "works, else TLS on a loopback port; exec: through docker exec)"
        ),
    )
    parser.add_argument("--workspace", type=Path, help=t.gettext("folder with the student's own lab files"))
    parser.add_argument("--out", type=Path, help=t.gettext("output folder (default: reports/<lab-id>)"))
    parser.add_argument("--keep", action="store_true", help=t.gettext("keep what the lab created"))
    parser.add_argument(
        "--no-wait", action="store_true", help=t.gettext("if another run holds the engines, exit 2 naming it")
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=t.gettext("let a partial run (-k, -x...) replace a complete evidence"),
    )
    parser.add_argument(
        "--signing-key-env",
        metavar="VAR",
        help=t.format(
            "sign the evidence with the private key (PEM) in this variable (default: {variable})",
            variable=SIGNING_KEY_ENV,
        ),
    )
    parser.add_argument("--student-id", help=t.gettext("student identifier the evidence is bound to"))
    parser.add_argument("--student-name", help=t.gettext("name printed on the report's cover"))
    parser.add_argument("--group", help=t.gettext("group printed on the report's cover"))
    parser.add_argument("--images", action="store_true", help=t.gettext("terminal pictures in the report"))
    parser.set_defaults(handler=_run, command="run", pytest_args=[])
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Options anywhere among the spec paths; everything after the first `--` is pytest's."""
    if "--" in argv:
        cut = argv.index("--")
        ours, for_pytest = argv[:cut], argv[cut + 1 :]
    else:
        ours, for_pytest = argv, []
    if parser.usage is None:
        # parse_intermixed_args keeps its usage line as format_usage()[7:], cutting len("usage: ")
        # whatever the heading's language ("uso: labcheck run" lost "la"): it is kept here, whole.
        parser.usage = parser.format_usage().removeprefix(gettext.gettext("usage: "))
    args = parser.parse_intermixed_args(ours)
    args.pytest_args = for_pytest
    return args


def _spec_paths(specs: list[str]) -> list[str]:
    if specs:
        return [str(run_argument(text)) for text in specs]
    if not bundled_spec_files():
        t = i18n.cli()
        raise LabNotFound(
            t.format(
                "no lab to run: none given and no bundled lab found in {folder}; "
                "give a spec (labcheck run path/to/lab.yaml) or a lab id ({hint})",
                folder=bundled_root(),
                hint=t.gettext(LIST_HINT),
            )
        )
    return []  # the plugin runs the bundled labs


def _run(args: argparse.Namespace) -> int:
    from labcheck.runner.targets import parse_target_options

    try:
        parse_target_options(args.target)
    except ValueError as error:  # named as this command's option, not the plugin's it becomes
        raise LabcheckError(f"--target: {error}") from None
    argv = ["--labcheck", "-p", "no:cacheprovider", "-q", "-rfEs", *_spec_paths(args.specs)]
    for target in args.target:
        argv += ["--labcheck-target", target]
    for flag, value in (
        ("--labcheck-workspace", args.workspace),
        ("--labcheck-out", args.out),
        ("--labcheck-student-id", args.student_id),
        ("--labcheck-student-name", args.student_name),
        ("--labcheck-group", args.group),
        ("--labcheck-node-transport", args.node_transport),
    ):
        if value:
            argv += [flag, str(value)]
    if args.keep:
        argv.append("--labcheck-keep")
    if args.no_wait:
        argv.append("--labcheck-no-wait")
    if args.force:
        argv.append("--labcheck-force")
    if args.images:
        argv.append("--labcheck-images")
    private_key_from_env(args.signing_key_env)  # a bad key is a usage error (exit 2) before anything runs
    if args.signing_key_env:
        argv += ["--labcheck-signing-key-env", args.signing_key_env]
    if not any("junit_logging" in arg for arg in args.pytest_args):
        # Each step's transcript is its captured stdout: --junitxml keeps it in system-out.
        argv += ["-o", "junit_logging=system-out"]
    # pytest is imported for a run only: the other commands (verify above all) start without it.
    import pytest

    from labcheck.run_outcome import SessionOutcome

    outcome = SessionOutcome()
    with argparse_of_others():  # pytest's own usage errors, in pytest's words
        code = pytest.main([*argv, *args.pytest_args], plugins=[outcome])
    t = i18n.cli()
    for pdf in outcome.pdf_paths:  # the run ends with where its report is
        print(t.format("PDF report: {path}", path=pdf))
    return outcome.exit_code(int(code))
