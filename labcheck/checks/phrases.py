"""Rules said in words (Spanish or English): what the runner records and what the report prints.

One place phrases every rule a spec can carry (exit code, output, engine state) from the rule as the
evidence stores it, so a report phrases old evidence the way it phrases new, and a regular
expression is turned into words when its pieces are ones a reader knows (columns of text,
hexadecimal identifiers, numbers); one it cannot say returns None and the report keeps the
expression for its «Detalles» appendix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from labcheck.checks.registry import state_kinds
from labcheck.i18n import N_, N_plural, Translator, spanish
from labcheck.json_values import as_int

STREAM_NAMES = {
    "output": N_("the output"),
    "stdout": N_("the standard output"),
    "stderr": N_("the error output"),
}
OUTPUT_KINDS = ("contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches")
# The built-in kinds' objects, in the catalogs; any other kind (a new module, another package's) is
# named by its own words in each language (labcheck.checks.kinds.StateKind.subject_template).
BUILT_IN_SUBJECTS = {
    "image": N_("the image {name}"),
    "container": N_("the container {name}"),
    "containers": N_("the containers of {name} the lab created"),
    "swarm": N_("the Swarm"),
    "stack": N_("the stack {name}"),
    "service": N_("the service {name}"),
    "volume": N_("the volume {name}"),
    "network": N_("the network {name}"),
    "secret": N_("the secret {name}"),
    "config": N_("the config {name}"),
    "node": N_("the node {name}"),
}


def stream_name(stream: str | None, t: Translator | None = None) -> str:
    """ "la salida", "the standard output": what a rule reads, in the reader's language."""
    t = t or spanish()
    return t.gettext(STREAM_NAMES.get(str(stream or "output"), STREAM_NAMES["output"]))


def joined(parts: Sequence[str], t: Translator | None = None) -> str:
    """ "a", "a y b", "a, b y c"."""
    t = t or spanish()
    if len(parts) <= 1:
        return "".join(parts)
    return t.format("{first} and {last}", first=", ".join(parts[:-1]), last=parts[-1])


# ---------------------------------------------------------------- exit code


def exit_code_phrase(expected: object, t: Translator | None = None) -> str:
    t = t or spanish()
    if expected == 0:
        return t.gettext("the command ends well (exit code 0)")
    return t.format("the command ends with exit code {code}", code=expected)


# ---------------------------------------------------------------- regular expressions in words

# Pieces of a pattern a reader knows, each with how it reads. Order matters: longest first.
_PIECES: tuple[tuple[re.Pattern[str], Any], ...] = (
    (
        re.compile(r"\[0-9a-f\]\{(\d+)\}"),
        lambda m, t: "‹" + t.format("{count} hexadecimal digits", count=m.group(1)) + "›",
    ),
    (re.compile(r"\[0-9\]\+"), lambda m, t: "‹" + t.gettext("a number") + "›"),
    (re.compile(r"\[0-9a-z\]\+"), lambda m, t: "‹" + t.gettext("an identifier") + "›"),
    (re.compile(r"\\b"), lambda m, t: ""),
    (re.compile(r"\[rwx-\]\{9\}"), lambda m, t: "‹" + t.gettext("permissions") + "›"),
    (re.compile(r" ?\.\* ?"), lambda m, t: " … "),
    (re.compile(r"\\s\*"), lambda m, t: ""),
    (re.compile(r" \*"), lambda m, t: ""),
    (re.compile(r" \+"), lambda m, t: " "),
    (re.compile(r"\\([^A-Za-z0-9])"), lambda m, t: m.group(1)),
    # A dot between letters or digits is, for a reader, the dot of "v0.1" or "hello.txt".
    (re.compile(r"(?<=[A-Za-z0-9])\.(?=[A-Za-z0-9])"), lambda m, t: "."),
    (re.compile(r"[^\\\[\](){}.*+?|^$]"), lambda m, t: m.group(0)),
)


_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")


def _pattern_words(pattern: str, t: Translator) -> str | None:
    """A pattern without anchors or alternation, as words; None when a piece has no plain reading."""
    out: list[str] = []
    at = 0
    while at < len(pattern):
        for piece, reading in _PIECES:
            match = piece.match(pattern, at)
            if match:
                out.append(reading(match, t))
                at = match.end()
                break
        else:
            return None
    text = "".join(out).strip()
    return text or None


# How an anchored (or not) pattern reads: (multiline, negated) -> message, per anchoring.
_WHOLE = {
    (True, False): N_("a line of {said} is {shown}"),
    (True, True): N_("no line of {said} is {shown}"),
    (False, False): N_("{said} is {shown}"),
    (False, True): N_("{said} is not {shown}"),
}
_STARTS = {
    (True, False): N_("a line of {said} starts with {shown}"),
    (True, True): N_("no line of {said} starts with {shown}"),
    (False, False): N_("{said} starts with {shown}"),
    (False, True): N_("{said} does not start with {shown}"),
}
_ENDS = {
    (True, False): N_("a line of {said} ends with {shown}"),
    (True, True): N_("no line of {said} ends with {shown}"),
    (False, False): N_("{said} ends with {shown}"),
    (False, True): N_("{said} does not end with {shown}"),
}


def regex_phrase(
    said: str, pattern: str, *, negated: bool = False, t: Translator | None = None
) -> str | None:
    """'una línea de la salida empieza por «alpine latest ‹12 cifras hexadecimales›»', or None."""
    t = t or spanish()
    multiline = pattern.startswith("(?m)")
    body = pattern.removeprefix("(?m)")
    alternatives = _UNESCAPED_BAR.split(body) if "(" not in body.replace("\\(", "") else [body]
    phrases: list[str] = []
    for alternative in alternatives:
        start = alternative.startswith("^")
        end = alternative.endswith("$") and not alternative.endswith("\\$")
        words = _pattern_words(alternative[int(start) : len(alternative) - int(end)], t)
        if words is None:
            return None
        phrases.append(f"«{words}»")
    shown = phrases[0]
    for other in phrases[1:]:
        shown = t.format("{first} or {second}", first=shown, second=other)
    start = body.startswith("^")
    end = body.endswith("$") and len(alternatives) == 1
    if start and end:
        return t.format(_WHOLE[multiline, negated], said=said, shown=shown)
    if start:
        return t.format(_STARTS[multiline, negated], said=said, shown=shown)
    if end:
        return t.format(_ENDS[multiline, negated], said=said, shown=shown)
    if negated:
        return t.format("{said} does not contain {shown}", said=said, shown=shown)
    return t.format("{said} contains {shown}", said=said, shown=shown)


# ---------------------------------------------------------------- output rules


def output_kind(rule: Mapping[str, object]) -> str | None:
    return next((key for key in OUTPUT_KINDS if key in rule), None)


def _lines_phrase(said: str, bounds: Mapping[str, object], t: Translator) -> str:
    if bounds.get("equals") == 0 or bounds.get("max") == 0:
        return t.format("{said} is empty", said=said)
    if "equals" in bounds:
        lines = t.counted(as_int(bounds["equals"]), "line", "lines")
        return t.format("{said} has exactly {lines}", said=said, lines=lines)
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None:
        lines = t.counted(as_int(high), "line", "lines")
        low_said = t.number(as_int(low))
        return t.format("{said} has between {low} and {lines}", said=said, low=low_said, lines=lines)
    if low is not None:
        return t.format(
            "{said} has at least {lines}", said=said, lines=t.counted(as_int(low), "line", "lines")
        )
    lines = t.counted(as_int(high or 0), "line", "lines")
    return t.format("{said} has at most {lines}", said=said, lines=lines)


def output_phrase(
    rule: Mapping[str, object], *, words_only: bool = False, t: Translator | None = None
) -> str | None:
    """The rule in words. A regular expression with no plain reading is shown as itself, between
    slashes, unless words_only (then None: the caller says it another way)."""
    t = t or spanish()
    kind = output_kind(rule)
    if kind is None:
        return None
    said = stream_name(str(rule.get("stream", "output")), t)
    value = rule[kind]
    case = t.gettext(" (ignoring case)") if rule.get("ignore_case") else ""
    if kind == "contains":
        return t.format("{said} contains «{value}»", said=said, value=value) + case
    if kind == "not_contains":
        return t.format("{said} does not contain «{value}»", said=said, value=value) + case
    if kind == "equals":
        return t.format("{said} is exactly «{value}»", said=said, value=str(value).strip()) + case
    if kind == "lines" and isinstance(value, Mapping):
        return _lines_phrase(said, value, t)
    if kind in ("matches", "not_matches"):
        words = regex_phrase(said, str(value), negated=kind == "not_matches", t=t)
        if words is not None:
            return words + case
        if words_only:
            return None
        if kind == "matches":
            return t.format("{said} matches /{pattern}/", said=said, pattern=value) + case
        return t.format("{said} does not match /{pattern}/", said=said, pattern=value) + case
    if kind == "distinct_matches" and isinstance(value, Mapping):
        least = t.counted(int(value.get("min", 1)), "distinct value", "distinct values")
        if words_only:
            return t.format("{said} shows at least {count} of the expected form", said=said, count=least)
        pattern = value.get("pattern")
        return t.format(
            "{said} shows at least {count} of /{pattern}/", said=said, count=least, pattern=pattern
        )
    return None


def rule_pattern(rule: Mapping[str, object]) -> str | None:
    """The regular expression a rule holds, if any (what the «Detalles» appendix shows)."""
    kind = output_kind(rule)
    if kind in ("matches", "not_matches"):
        return str(rule[kind])
    value = rule.get(kind) if kind is not None else None
    if kind == "distinct_matches" and isinstance(value, Mapping):
        return str(value.get("pattern"))
    return None


# ---------------------------------------------------------------- engine state

_YES_NO = {
    "exists": (N_("exists"), N_("does not exist")),
    "untagged": (N_("untagged"), N_("tagged")),
    "active": (N_("active"), N_("inactive")),
}
_COUNTED = {
    "layers": N_plural("layer", "layers"),
    "count": N_plural("in total", "in total"),
    "running": N_plural("running", "running"),
    "nodes": N_plural("node", "nodes"),
    "managers": N_plural("manager", "managers"),
    "workers": N_plural("worker", "workers"),
    "ready": N_plural("ready", "ready"),
    "services": N_plural("service", "services"),
    "replicas": N_plural("requested replica", "requested replicas"),
}
_VALUED = {
    "first_layers_of": N_("starts with the layers of {value}"),
    "status": N_("status «{value}»"),
    "exit_code": N_("exit code {value}"),
    "image": N_("image {value}"),
    "diff_contains": N_("its changes include {value}"),
    "leader": N_("leader {value}"),
    "tags": N_("tags {value}"),
    "id": N_("identifier {value}"),
    "driver": N_("driver «{value}»"),
    "contains": N_("contains {value}"),
    "mounted_by": N_("mounted by the container {value}"),
    "scope": N_("scope «{value}»"),
    "attached": N_("with the container {value} attached"),
    "used_by": N_("in use by the service {value}"),
    "availability": N_("availability «{value}»"),
    "role": N_("role «{value}»"),
    "state": N_("state «{value}»"),
    "running_on": N_("tasks running on {value}"),
    "not_on": N_("no task running on {value}"),
}


def state_expectation(
    key: str, value: Any, kind_words: Mapping[str, str] | None = None, t: Translator | None = None
) -> str:
    """One expectation about the engine, in words: "1 capa", "estado «running»"."""
    t = t or spanish()
    if isinstance(value, bool) and key in _YES_NO:
        return t.gettext(_YES_NO[key][0 if value else 1])
    if key == "shares_layers_with" and isinstance(value, Mapping):
        count = int(value.get("count", 0))
        return t.ngettext(
            "shares its first layer with {ref}", "shares its first {count} layers with {ref}", count
        ).format(count=t.number(count), ref=value.get("ref"))
    if key in _COUNTED and isinstance(value, int) and not isinstance(value, bool):
        return t.counted(value, *_COUNTED[key])
    if key == "min" and isinstance(value, int):
        return t.format("at least {count}", count=t.number(value))
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value) or t.gettext("none")
    if key in _VALUED:
        return t.format(_VALUED[key], value=value)
    if kind_words and key in kind_words:  # a kind's own words for its own parameters
        return kind_words[key].format(value)
    if t.language == "en":  # "os_contains" reads "os contains" in English
        return f"{key.replace('_', ' ')} {value}"
    return f"{key} {value}"  # no words of the kind's in this language: the spec's key, no English


def state_subject(kind: str, params: Mapping[str, object], t: Translator | None = None) -> str:
    t = t or spanish()
    known = state_kinds().get(kind)
    if known is None:
        return kind
    template = BUILT_IN_SUBJECTS.get(kind)
    if template is None:  # a kind outside the catalogs: its own words
        return known.subject(params, t.language)
    name = params.get(known.subject_key, "") if known.subject_key else ""
    return t.format(template, name=name)


def state_phrase(kind: str, params: Mapping[str, object], t: Translator | None = None) -> str:
    t = t or spanish()
    known = state_kinds().get(kind)
    key, words = (known.subject_key, known.words(t.language)) if known is not None else ("", {})
    expected = [state_expectation(k, v, words, t) for k, v in params.items() if k != key]
    return f"{state_subject(kind, params, t)}: {joined(expected, t)}"


def rule_phrase(rule: Mapping[str, object], t: Translator | None = None) -> str | None:
    """Any rule as the evidence stores it, in words; None for a rule this version does not know."""
    t = t or spanish()
    if "exit_code" in rule and len(rule) == 1:
        return exit_code_phrase(rule["exit_code"], t)
    if "stream" in rule:
        return output_phrase(rule, t=t)
    for kind in state_kinds():
        if isinstance(params := rule.get(kind), Mapping):
            return state_phrase(kind, params, t)
    return None
