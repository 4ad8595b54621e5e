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
