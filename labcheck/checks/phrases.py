"""Rules said in Spanish words: what the runner records and what the report prints.

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
from labcheck.plurals import counted, number

STREAM_NAMES = {"output": "la salida", "stdout": "la salida estándar", "stderr": "la salida de errores"}
OUTPUT_KINDS = ("contains", "not_contains", "matches", "not_matches", "equals", "lines", "distinct_matches")


def joined(parts: Sequence[str]) -> str:
    """ "a", "a y b", "a, b y c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " y " + parts[-1]


# ---------------------------------------------------------------- exit code


def exit_code_phrase(expected: Any) -> str:
    if expected == 0:
        return "el comando termina bien (código de salida 0)"
    return f"el comando termina con el código de salida {expected}"


# ---------------------------------------------------------------- regular expressions in words

# Pieces of a pattern a reader knows, each with how it reads. Order matters: longest first.
_PIECES: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"\[0-9a-f\]\{(\d+)\}"), lambda m: f"‹{m.group(1)} cifras hexadecimales›"),
    (re.compile(r"\[0-9\]\+"), lambda m: "‹un número›"),
    (re.compile(r"\[0-9a-z\]\+"), lambda m: "‹un identificador›"),
    (re.compile(r"\\b"), lambda m: ""),
    (re.compile(r"\[rwx-\]\{9\}"), lambda m: "‹permisos›"),
    (re.compile(r" ?\.\* ?"), lambda m: " … "),
    (re.compile(r"\\s\*"), lambda m: ""),
    (re.compile(r" \*"), lambda m: ""),
    (re.compile(r" \+"), lambda m: " "),
    (re.compile(r"\\([^A-Za-z0-9])"), lambda m: m.group(1)),
    # A dot between letters or digits is, for a reader, the dot of "v0.1" or "hello.txt".
    (re.compile(r"(?<=[A-Za-z0-9])\.(?=[A-Za-z0-9])"), lambda m: "."),
    (re.compile(r"[^\\\[\](){}.*+?|^$]"), lambda m: m.group(0)),
)


_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")


def _pattern_words(pattern: str) -> str | None:
    """A pattern without anchors or alternation, as words; None when a piece has no plain reading."""
    out: list[str] = []
    at = 0
    while at < len(pattern):
        for piece, reading in _PIECES:
            match = piece.match(pattern, at)
            if match:
                out.append(reading(match))
                at = match.end()
                break
        else:
            return None
    text = "".join(out).strip()
    return text or None


def regex_phrase(said: str, pattern: str, *, negated: bool = False) -> str | None:
    """'una línea de la salida empieza por «alpine latest ‹12 cifras hexadecimales›»', or None."""
    multiline = pattern.startswith("(?m)")
    body = pattern.removeprefix("(?m)")
    alternatives = _UNESCAPED_BAR.split(body) if "(" not in body.replace("\\(", "") else [body]
    phrases: list[str] = []
    for alternative in alternatives:
        start = alternative.startswith("^")
        end = alternative.endswith("$") and not alternative.endswith("\\$")
        words = _pattern_words(alternative[int(start) : len(alternative) - int(end)])
        if words is None:
            return None
        phrases.append(f"«{words}»")
    shown = " o ".join(phrases)
    start = body.startswith("^")
    end = body.endswith("$") and len(alternatives) == 1
    where = f"una línea de {said}" if multiline else said
    if start and end:
        verb = "es" if not negated else "no es"
        if multiline:
            return f"{'ninguna' if negated else 'una'} línea de {said} es {shown}"
        return f"{said} {verb} {shown}"
    if start:
        if negated:
            return f"{'ninguna línea de ' + said if multiline else said} empieza por {shown}"
        return f"{where} empieza por {shown}"
    if end:
        if negated:
            return f"{'ninguna línea de ' + said if multiline else said} termina en {shown}"
        return f"{where} termina en {shown}"
    return f"{said} {'no ' if negated else ''}contiene {shown}"


# ---------------------------------------------------------------- output rules


def output_kind(rule: Mapping[str, Any]) -> str | None:
    return next((key for key in OUTPUT_KINDS if key in rule), None)


def _lines_phrase(said: str, bounds: Mapping[str, Any]) -> str:
    if bounds.get("equals") == 0 or bounds.get("max") == 0:
        return f"{said} está vacía"
    if "equals" in bounds:
        return f"{said} tiene exactamente {counted(int(bounds['equals']), 'línea', 'líneas')}"
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None:
        return f"{said} tiene entre {number(int(low))} y {counted(int(high), 'línea', 'líneas')}"
    if low is not None:
        return f"{said} tiene al menos {counted(int(low), 'línea', 'líneas')}"
    return f"{said} tiene como mucho {counted(int(high or 0), 'línea', 'líneas')}"


def output_phrase(rule: Mapping[str, Any], *, words_only: bool = False) -> str | None:
    """The rule in words. A regular expression with no plain reading is shown as itself, between
    slashes, unless words_only (then None: the caller says it another way)."""
    kind = output_kind(rule)
    if kind is None:
        return None
    said = STREAM_NAMES.get(str(rule.get("stream", "output")), "la salida")
    value = rule[kind]
    case = " (sin distinguir mayúsculas)" if rule.get("ignore_case") else ""
    if kind == "contains":
        return f"{said} contiene «{value}»{case}"
    if kind == "not_contains":
        return f"{said} no contiene «{value}»{case}"
    if kind == "equals":
        return f"{said} es exactamente «{str(value).strip()}»{case}"
    if kind == "lines" and isinstance(value, Mapping):
        return _lines_phrase(said, value)
    if kind in ("matches", "not_matches"):
        words = regex_phrase(said, str(value), negated=kind == "not_matches")
        if words is not None:
            return words + case
        if words_only:
            return None
        verb = "coincide con" if kind == "matches" else "no coincide con"
        return f"{said} {verb} /{value}/{case}"
    if kind == "distinct_matches" and isinstance(value, Mapping):
        least = counted(int(value.get("min", 1)), "valor distinto", "valores distintos")
        if words_only:
            return f"{said} muestra al menos {least} del formato esperado"
        return f"{said} muestra al menos {least} de /{value.get('pattern')}/"
    return None


def rule_pattern(rule: Mapping[str, Any]) -> str | None:
    """The regular expression a rule holds, if any (what the «Detalles» appendix shows)."""
    kind = output_kind(rule)
    if kind in ("matches", "not_matches"):
        return str(rule[kind])
    if kind == "distinct_matches" and isinstance(rule[kind], Mapping):
        return str(rule[kind].get("pattern"))
    return None


# ---------------------------------------------------------------- engine state


def state_expectation(key: str, value: Any, kind_words: Mapping[str, str] | None = None) -> str:
    """One expectation about the engine, in words: "1 capa", "estado «running»"."""
    if isinstance(value, bool):
        yes_no = {
            "exists": ("existe", "no existe"),
            "untagged": ("sin etiqueta", "con etiqueta"),
            "active": ("activo", "inactivo"),
        }
        if key in yes_no:
            return yes_no[key][0 if value else 1]
    if key == "shares_layers_with" and isinstance(value, Mapping):
        count = int(value.get("count", 0))
        first = "su primera capa" if count == 1 else f"sus {number(count)} primeras capas"
        return f"comparte {first} con {value.get('ref')}"
    nouns = {
        "layers": ("capa", "capas"),
        "count": ("en total", "en total"),
        "running": ("en marcha", "en marcha"),
        "nodes": ("nodo", "nodos"),
        "managers": ("administrador", "administradores"),
        "workers": ("trabajador", "trabajadores"),
        "ready": ("listo", "listos"),
        "services": ("servicio", "servicios"),
        "replicas": ("réplica pedida", "réplicas pedidas"),
    }
    if key in nouns and isinstance(value, int) and not isinstance(value, bool):
        return counted(value, *nouns[key])
    if key == "min" and isinstance(value, int):
        return f"al menos {number(value)}"
    phrases = {"status": "estado «{}»", "exit_code": "código de salida {}", **(kind_words or {})}
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value) or "ninguna"
    return phrases.get(key, key + " {}").format(value)


def state_subject(kind: str, params: Mapping[str, Any]) -> str:
    known = state_kinds().get(kind)
    return known.subject(params) if known is not None else kind


def state_phrase(kind: str, params: Mapping[str, Any]) -> str:
    known = state_kinds().get(kind)
    key, words = (known.subject_key, known.words_es) if known is not None else ("", {})
    expected = [state_expectation(k, v, words) for k, v in params.items() if k != key]
    return f"{state_subject(kind, params)}: {joined(expected)}"


def rule_phrase(rule: Mapping[str, Any]) -> str | None:
    """Any rule as the evidence stores it, in words; None for a rule this version does not know."""
    if "exit_code" in rule and len(rule) == 1:
        return exit_code_phrase(rule["exit_code"])
    if "stream" in rule:
        return output_phrase(rule)
    for kind in state_kinds():
        if isinstance(rule.get(kind), Mapping):
            return state_phrase(kind, rule[kind])
    return None
