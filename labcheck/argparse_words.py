"""argparse's own words ("usage: ", "options", its error messages) in the command line's language.

argparse looks its words up with gettext's module functions, in gettext's current default domain
(CPython's argparse howto, "How to translate the argparse output"). `argparse_in_locale()` makes
labcheck's catalog that domain while labcheck's command line is built, parsed and run, and puts the
previous domain back afterwards: a program that calls `labcheck.cli.main` in-process (pytest, whose
own options are argparse's too) keeps its words. gettext picks the catalog from the locale the way
`labcheck.i18n.locale_language` does, so argparse's words and labcheck's are one language.

The messages are listed here so that `python -m labcheck.catalogs` puts them in labcheck's catalogs;
tests/unit/test_argparse_words.py reads the running Python's argparse.py and fails when it asks for a
message the list lacks (a new Python's new words), unless it is one of `SKIPPED`.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager

from labcheck.catalogs import DOMAIN, LOCALE_DIR
from labcheck.i18n import N_, N_plural

# What argparse says to the person at the terminal: help's headings, usage errors.
MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
)
PLURAL_MESSAGES = (N_plural("expected %s argument", "expected %s arguments"),)

# argparse's messages to the programmer who built a parser wrongly (labcheck's own parsers never
# raise them; a test would): deliberately left English, and out of the catalogs.
SKIPPED = frozenset(
    {
        ".__call__() not defined",
        "'required' is an invalid argument for positionals",
        "mutually exclusive arguments must be optional",
        "%r is not callable",
        "cannot merge actions - two groups are named %r",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r",
        "dest= is required for options like %r",
        "invalid conflict_resolution value: %r",
        "cannot have multiple subparser arguments",
        "conflicting subparser: %s",
        "conflicting subparser alias: %s",
        "conflicting option string: %s",
        "conflicting option strings: %s",
        'argument "-" with mode %r',
    }
)

# The default domains of the calls in progress, innermost last (labcheck inside labcheck in tests).
_outer_domains: list[str] = []


@contextmanager
def argparse_in_locale() -> Iterator[None]:
    """argparse's words from labcheck's catalog (in the locale's language) until the block ends."""
    previous_domain = gettext.textdomain()
    previous_dir = gettext.bindtextdomain(DOMAIN)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    _outer_domains.append(previous_domain)
    try:
        yield
    finally:
        _outer_domains.pop()
        gettext.textdomain(previous_domain)
        gettext.bindtextdomain(DOMAIN, previous_dir)


@contextmanager
def argparse_of_others() -> Iterator[None]:
    """The domain from before labcheck's, for a block that runs another program's argparse in-process
    (`labcheck run` runs pytest, whose usage errors are its own, in its own language)."""
    if not _outer_domains:
        yield
        return
    ours = gettext.textdomain()
    gettext.textdomain(_outer_domains[-1])
    try:
        yield
    finally:
        gettext.textdomain(ours)
