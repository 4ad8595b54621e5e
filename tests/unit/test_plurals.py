"""Every counted noun of labcheck's Spanish, on 0, 1 and 2: one place (gettext's ngettext) agrees them."""

from __future__ import annotations

import pytest

from labcheck.checks.phrases import output_phrase, state_expectation, state_phrase
from labcheck.plurals import counted

NOUNS = [
    ("capa", "capas"),
    ("administrador", "administradores"),
    ("trabajador", "trabajadores"),
    ("nodo", "nodos"),
    ("servicio", "servicios"),
    ("réplica pedida", "réplicas pedidas"),
    ("listo", "listos"),
    ("omitido", "omitidos"),
    ("fallido", "fallidos"),
    ("superado", "superados"),
    ("paso", "pasos"),
    ("línea", "líneas"),
    ("intento", "intentos"),
    ("carácter más", "caracteres más"),
    ("byte más", "bytes más"),
    ("comprobación más", "comprobaciones más"),
    ("paso más", "pasos más"),
    ("valor distinto", "valores distintos"),
]


@pytest.mark.parametrize(("singular", "plural"), NOUNS)
def test_zero_one_and_two(singular: str, plural: str) -> None:
    assert counted(0, singular, plural) == f"0 {plural}"
    assert counted(1, singular, plural) == f"1 {singular}"
    assert counted(2, singular, plural) == f"2 {plural}"


def test_large_counts_are_grouped_the_spanish_way() -> None:
    assert counted(12_345, "línea", "líneas") == "12\u00a0345 líneas"
    assert counted(1_234, "línea", "líneas") == "1234 líneas"


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("layers", ("0 capas", "1 capa", "2 capas")),
        ("managers", ("0 administradores", "1 administrador", "2 administradores")),
        ("workers", ("0 trabajadores", "1 trabajador", "2 trabajadores")),
        ("nodes", ("0 nodos", "1 nodo", "2 nodos")),
        ("services", ("0 servicios", "1 servicio", "2 servicios")),
        ("replicas", ("0 réplicas pedidas", "1 réplica pedida", "2 réplicas pedidas")),
        ("ready", ("0 listos", "1 listo", "2 listos")),
    ],
)
def test_engine_state_counts_agree(key: str, values: tuple[str, str, str]) -> None:
    assert tuple(state_expectation(key, count) for count in (0, 1, 2)) == values


def test_shared_layers_agree() -> None:
    assert (
        state_expectation("shares_layers_with", {"ref": "a:1", "count": 1})
        == "comparte su primera capa con a:1"
    )
    assert (
        state_expectation("shares_layers_with", {"ref": "a:1", "count": 2})
        == "comparte sus 2 primeras capas con a:1"
    )


def test_a_swarm_reads_as_one_sentence() -> None:
    phrase = state_phrase("swarm", {"nodes": 2, "managers": 1, "workers": 1})
    assert phrase == "el Swarm: 2 nodos, 1 administrador y 1 trabajador"


@pytest.mark.parametrize(
    ("bounds", "said"),
    [
        ({"equals": 0}, "la salida está vacía"),
        ({"equals": 1}, "la salida tiene exactamente 1 línea"),
        ({"equals": 2}, "la salida tiene exactamente 2 líneas"),
        ({"min": 1}, "la salida tiene al menos 1 línea"),
        ({"max": 2}, "la salida tiene como mucho 2 líneas"),
    ],
)
def test_line_counts_agree(bounds: dict[str, int], said: str) -> None:
    assert output_phrase({"stream": "output", "lines": bounds}) == said
