"""The report's Spanish phrases agree with their counts on 0, 1 and 2 (the catalogs' nouns
themselves: tests/unit/test_catalogs.py)."""

from __future__ import annotations

import pytest

from labcheck.checks.phrases import output_phrase, state_expectation, state_phrase


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
