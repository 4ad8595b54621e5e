"""PyYAML's syntax errors in the command line's language.

PyYAML says what is wrong in English ("mapping values are not allowed here"), from a finite set of
sentences in its scanner, parser and composer, a few with a value put in ("found character %r that
cannot start any token"). `PROBLEMS` and `CONTEXTS` map each of them, keyed by PyYAML's own
wording as its source writes it, to labcheck's message; the values PyYAML puts in (a character, a
token's name such as '<block end>') are worded too, so a Spanish line holds no English word of the
parser. A problem this table does not know (a newer PyYAML's) is said as the parser's own words,
introduced as such in the user's language: never an English sentence passed off as labcheck's.

tests/unit/test_yaml_words.py reads the installed PyYAML's sources and fails when a sentence mapped
here is gone from them, or when they hold one that is neither mapped nor deliberately left out.
The constructor's sentences are left out: labcheck builds the data itself (yaml_lines._Builder),
and replaces a scalar's construction error with its own words.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache

import yaml

from labcheck import i18n
from labcheck.i18n import N_


@dataclass(frozen=True)
class Wording:
    """labcheck's message for one of PyYAML's sentences; `fields` names, in order, the values
    PyYAML's sentence puts in (`found`: a character, `token`: a token's id, both worded; `count`: a
    number; any other name: shown as PyYAML quotes it)."""

    msgid: str
    fields: tuple[str, ...] = ()


_FOUND = ("found",)
_TOKEN = ("token",)

# What went wrong (MarkedYAMLError.problem), at the line labcheck names.
PROBLEMS: dict[str, Wording] = {
    # scanner.py
    "found character %r that cannot start any token": Wording(
        N_("{found} cannot begin anything here"), _FOUND
    ),
    "expected alphabetic or numeric character, but found %r": Wording(
        N_("a letter or a digit was expected, but there is {found}"), _FOUND
    ),
    "expected a digit or '.', but found %r": Wording(
        N_("a digit or '.' was expected, but there is {found}"), _FOUND
    ),
    "expected a digit or ' ', but found %r": Wording(
        N_("a digit or a space was expected, but there is {found}"), _FOUND
    ),
    "expected a digit, but found %r": Wording(N_("a digit was expected, but there is {found}"), _FOUND),
    "expected ' ', but found %r": Wording(N_("a space was expected, but there is {found}"), _FOUND),
    "expected a comment or a line break, but found %r": Wording(
        N_("a comment or the end of the line was expected, but there is {found}"), _FOUND
    ),
    "expected chomping or indentation indicators, but found %r": Wording(
        N_("after '|' or '>' only '+', '-' or an indentation digit may follow, but there is {found}"),
        _FOUND,
    ),
    "expected '!', but found %r": Wording(N_("a '!' was expected, but there is {found}"), _FOUND),
    "expected URI, but found %r": Wording(
        N_("a tag's name (a URI) was expected, but there is {found}"), _FOUND
    ),
    "expected '>', but found %r": Wording(
        N_("a '>' closing the tag was expected, but there is {found}"), _FOUND
    ),
    "expected URI escape sequence of 2 hexadecimal numbers, but found %r": Wording(
        N_("an escape in the tag ('%' and two hexadecimal digits) was expected, but there is {found}"),
        _FOUND,
    ),
    "found unknown escape character %r": Wording(
        N_(
            "{found} after '\\' is no escape YAML knows inside double quotes; write '\\\\' for a "
            "backslash, or use single quotes"
        ),
        _FOUND,
    ),
    "expected escape sequence of %d hexadecimal numbers, but found %r": Wording(
        N_("an escape of {count} hexadecimal digits was expected, but there is {found}"),
        ("count", "found"),
    ),
    "found unexpected end of stream": Wording(N_("the file ends before the quotes are closed")),
    "found unexpected document separator": Wording(
        N_("a document separator ('---' or '...') begins a line inside quoted text")
    ),
    "could not find expected ':'": Wording(N_("the ':' after the key is missing")),
    "sequence entries are not allowed here": Wording(N_("a list item ('- ') is not allowed here")),
    "mapping keys are not allowed here": Wording(N_("a complex key ('? ') is not allowed here")),
    "mapping values are not allowed here": Wording(
        N_(
            "a key's value (': ') is not allowed here: a value that holds ': ' must be quoted, "
            "or the key is indented wrongly"
        )
    ),
    "expected indentation indicator in the range 1-9, but found 0": Wording(
        N_("the indentation digit after '|' or '>' must be 1 to 9, not 0")
    ),
    # parser.py
    "expected <block end>, but found %r": Wording(
        N_("the indentation does not match: the block above should end here, but there is {token}"),
        _TOKEN,
    ),
    "expected '<document start>', but found %r": Wording(
        N_("a new document ('---') was expected, but there is {token}"), _TOKEN
    ),
    "found duplicate YAML directive": Wording(N_("the %YAML directive appears twice")),
    "found incompatible YAML document (version 1.* is required)": Wording(
        N_("the %YAML directive names a version other than 1.x")
    ),
    "expected ',' or ']', but got %r": Wording(
        N_("a ',' or a ']' was expected in the list, but there is {token}"), _TOKEN
    ),
    "expected ',' or '}', but got %r": Wording(
        N_("a ',' or a '}}' was expected in the mapping, but there is {token}"), _TOKEN
    ),
    "duplicate tag handle %r": Wording(N_("the tag handle {handle} is declared twice"), ("handle",)),
    "found undefined tag handle %r": Wording(N_("the tag handle {handle} is not declared"), ("handle",)),
    "expected the node content, but found %r": Wording(
        N_("a value was expected, but there is {token}"), _TOKEN
    ),
    # composer.py
    "but found another document": Wording(
        N_("a second document begins here: a spec is one document (remove the '---' or '...')")
    ),
    "found undefined alias %r": Wording(N_("the alias {alias} names no anchor"), ("alias",)),
    "second occurrence": Wording(N_("the anchor is defined a second time here")),
}

_QUOTED_TEXT = Wording(N_("the quoted text begins on line {line}"))
_TAG = Wording(N_("the tag begins on line {line}"))
_TAG_OR_DIRECTIVE = Wording(N_("the tag or directive begins on line {line}"))
_VALUE = Wording(N_("the value begins on line {line}"))

# Where the thing being read began (MarkedYAMLError.context), said with its line when that is not
# the problem's own line (an unclosed quote is found at the end of the file).
CONTEXTS: dict[str, Wording] = {
    # scanner.py
    "while scanning for the next token": Wording(N_("the element begins on line {line}")),
    "while scanning a simple key": Wording(N_("the key begins on line {line}")),
    "while scanning a directive": Wording(N_("the directive begins on line {line}")),
    "while scanning an %s": Wording(N_("the anchor or alias begins on line {line}")),
    "while parsing a tag": _TAG,
    "while scanning a tag": _TAG,
    "while scanning a %s": _TAG_OR_DIRECTIVE,
    "while parsing a %s": _TAG_OR_DIRECTIVE,
    "while scanning a block scalar": Wording(N_("the block text ('|' or '>') begins on line {line}")),
    "while scanning a quoted scalar": _QUOTED_TEXT,
    "while scanning a double-quoted scalar": _QUOTED_TEXT,
    # parser.py
    "while parsing a block collection": Wording(N_("the list or mapping begins on line {line}")),
    "while parsing a block mapping": Wording(N_("the mapping begins on line {line}")),
    "while parsing a flow sequence": Wording(N_("the list ('[') begins on line {line}")),
    "while parsing a flow mapping": Wording(N_("the mapping ('{{') begins on line {line}")),
    "while parsing a node": _VALUE,
    "while parsing a %s node": _VALUE,
    # composer.py
    "expected a single document in the stream": Wording(N_("the first document begins on line {line}")),
    "found duplicate anchor %r; first occurrence": Wording(N_("the anchor was first defined on line {line}")),
}

# The tokens the parser names by their id (tokens.py); other one-character ids (':', '[') are said
# as the characters they are. A '?' token is any key, written with '?' or not.
_TOKENS = {
    "?": N_("a key"),
    "-": N_("a list item ('-')"),
    "<directive>": N_("a directive ('%')"),
    "<document start>": N_("the start of a document ('---')"),
    "<document end>": N_("the end of a document ('...')"),
    "<stream start>": N_("the start of the file"),
    "<stream end>": N_("the end of the file"),
    "<block sequence start>": N_("the start of a list"),
    "<block mapping start>": N_("the start of a mapping"),
    "<block end>": N_("the end of a block"),
    "<alias>": N_("an alias ('*')"),
    "<anchor>": N_("an anchor ('&')"),
    "<tag>": N_("a tag ('!')"),
    "<scalar>": N_("a value"),
}
# The scanner reads '\0' past the end of the text; these are the line breaks it knows.
_CHARACTERS = {
    "\t": N_("a tab"),
    " ": N_("a space"),
    "\0": N_("the end of the file"),
    **dict.fromkeys(("\n", "\r", "\x85", "\u2028", "\u2029"), N_("the end of the line")),
}
_TAB_HINT = N_("YAML indents with spaces, never with tabs")

_PLACEHOLDER = re.compile(r"%[rsd]")
_PLACEHOLDER_VALUE = {
    "%r": r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")",  # a Python repr of text
    "%d": r"(\d+)",
    "%s": r"(.+?)",
}


@cache
def _pattern(pyyaml_format: str) -> re.Pattern[str]:
    """A regular expression matching what PyYAML's sentence becomes once its values are in."""
    literals = _PLACEHOLDER.split(pyyaml_format)
    placeholders = _PLACEHOLDER.findall(pyyaml_format)
    regex = re.escape(literals[0])
    for placeholder, literal in zip(placeholders, literals[1:], strict=True):
        regex += _PLACEHOLDER_VALUE[placeholder] + re.escape(literal)
    return re.compile(regex)


def _matched(said: str, table: dict[str, Wording]) -> tuple[Wording, tuple[str, ...]] | None:
    """The wording of PyYAML's sentence and the values put in it; a sentence written out whole
    comes before the patterns ("while scanning a quoted scalar" is no "while scanning a %s")."""
    if said in table:
        return table[said], ()
    for pyyaml_format, wording in table.items():
        if not _PLACEHOLDER.search(pyyaml_format):
            continue
        match = _pattern(pyyaml_format).fullmatch(said)
        if match is not None:
            return wording, match.groups()
    return None


def _found(shown: str, t: i18n.Translator, *, token: bool) -> str:
    """A character, or a token's id, PyYAML shows as a repr ("'\\t'", "'<block end>'"), in t's
    words."""
    value = ast.literal_eval(shown)
    if token and value in _TOKENS:
        return t.gettext(_TOKENS[value])
    if value in _CHARACTERS:
        return t.gettext(_CHARACTERS[value])
    return t.format("the character {character}", character=shown)


def _worded(wording: Wording, values: tuple[str, ...], t: i18n.Translator) -> str:
    filled = {
        name: _found(value, t, token=name == "token") if name in ("found", "token") else value
        for name, value in zip(wording.fields, values, strict=True)
    }
    said = t.format(wording.msgid, **filled)
    if wording.fields == _FOUND and ast.literal_eval(values[0]) == "\t":
        said += "; " + t.gettext(_TAB_HINT)
    return said


def parser_said(words: str, t: i18n.Translator | None = None) -> str:
    """Words of PyYAML's that labcheck has no translation for, introduced as the parser's."""
    return (t or i18n.cli()).format("the YAML parser says: “{words}”", words=words)


def syntax_problem(error: yaml.MarkedYAMLError, t: i18n.Translator | None = None) -> str:
    """What is wrong, in t's language (the command line's by default): the problem, then where the
    thing being read began when that is another line. An unknown problem is the parser's words."""
    t = t or i18n.cli()
    problem = _matched(error.problem or "", PROBLEMS) if error.problem else None
    if problem is None:
        own = "; ".join(part for part in (error.context, error.problem) if part) or str(error)
        return parser_said(own, t)
    said = _worded(*problem, t)
    context = _matched(error.context, CONTEXTS) if error.context else None
    context_mark, problem_mark = error.context_mark, error.problem_mark
    if (
        context is not None
        and context_mark is not None
        and (problem_mark is None or context_mark.line != problem_mark.line)
    ):
        said += "; " + t.format(context[0].msgid, line=context_mark.line + 1)
    # An unknown context is only left out: the problem and its line already say what to fix.
    return said
