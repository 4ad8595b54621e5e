"""Rules said in words: regular expressions a reader can read are phrased, others are not pretended."""

from __future__ import annotations

import pytest

from labcheck.checks.phrases import output_phrase, regex_phrase


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("(?m)^FROM alpine$", "una línea de la salida es «FROM alpine»"),
        (
            "(?m)^alpine +latest +[0-9a-f]{12}",
            "una línea de la salida empieza por «alpine latest ‹12 cifras hexadecimales›»",
        ),
        ("^hello from [0-9a-f]{12}$", "la salida es «hello from ‹12 cifras hexadecimales›»"),
        ("(?m) bin$", "una línea de la salida termina en «bin»"),
        ("Exited \\(0\\)", "la salida contiene «Exited (0)»"),
        (
            "Successfully tagged hello:v0.1|naming to hello:v0.1",
            "la salida contiene «Successfully tagged hello:v0.1» o «naming to hello:v0.1»",
        ),
        ("(?m)^total [0-9]+$", "una línea de la salida es «total ‹un número›»"),
    ],
)
def test_readable_patterns_are_phrased(pattern: str, said: str) -> None:
    assert regex_phrase("la salida", pattern) == said


@pytest.mark.parametrize("pattern", ["node[12] +Running", "(a|b)+c", "x{2,}", "[^a]"])
def test_other_patterns_are_not_pretended(pattern: str) -> None:
    assert regex_phrase("la salida", pattern) is None
    rule = {"stream": "output", "matches": pattern}
    assert output_phrase(rule, words_only=True) is None
    # Without words_only the expression is shown as itself: for the «Detalles» appendix and the CLI.
    assert output_phrase(rule) == f"la salida coincide con /{pattern}/"


def test_a_negated_rule_says_no() -> None:
    assert regex_phrase("la salida", "(?m)^etc$", negated=True) == "ninguna línea de la salida es «etc»"
    assert (
        output_phrase({"stream": "output", "not_contains": "hello.txt"})
        == "la salida no contiene «hello.txt»"
    )


@pytest.mark.parametrize(
    ("rule", "spanish_words", "english_words"),
    [
        (
            {"network": {"name": "web", "driver": "overlay", "scope": "swarm", "attached": "c1"}},
            "la red web: controlador «overlay», ámbito «swarm» y con el contenedor c1 conectado",
            "the network web: driver «overlay», scope «swarm» and with the container c1 attached",
        ),
        (
            {"secret": {"name": "clave", "used_by": "srv"}},
            "el secreto clave: en uso por el servicio srv",
            "the secret clave: in use by the service srv",
        ),
        (
            {"config": {"name": "ajuste", "exists": False}},
            "la configuración ajuste: no existe",
            "the config ajuste: does not exist",
        ),
        (
            {"node": {"name": "node2", "availability": "drain", "role": "worker"}},
            "el nodo node2: disponibilidad «drain» y rol «worker»",
            "the node node2: availability «drain» and role «worker»",
        ),
        (
            {"service": {"name": "app", "running": 4, "running_on": ["n1", "n3"], "not_on": "n2"}},
            "el servicio app: 4 en marcha, tareas en marcha en n1, n3 y ninguna tarea en marcha en n2",
            "the service app: 4 running, tasks running on n1, n3 and no task running on n2",
        ),
    ],
)
def test_the_swarm_object_checks_are_said_in_both_languages(
    rule: dict[str, object], spanish_words: str, english_words: str
) -> None:
    from labcheck.checks.phrases import rule_phrase
    from labcheck.i18n import translator

    assert rule_phrase(rule) == spanish_words
    assert rule_phrase(rule, translator("en")) == english_words
