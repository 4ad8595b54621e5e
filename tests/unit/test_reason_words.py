"""Every reason the evidence stores (a code and its facts) reads as a sentence in each language,
from the catalogs: none falls back to naming its code, none carries the other language's words,
and counts agree (one container, two containers)."""

from __future__ import annotations

import pytest

from labcheck.checks.reason_words import not_run_words, reason_words
from labcheck.evidence import reasons as r
from labcheck.evidence import selection as sel
from labcheck.evidence.model import Reason
from tests.catalog_words import other_language_in

EVERY_REASON = [
    r.timed_out(5),
    r.timed_out(2.5, ["c1"]),
    r.timed_out(5, ["c1", "c2"]),
    r.interrupted("SIGTERM", ["c1"]),
    r.interrupted("SIGHUP", while_checking=True),
    Reason(code=r.NEEDS, params={"step": "greet", "outcome": "failed"}),
    Reason(code=r.NEEDS, params={"step": "greet", "outcome": "error"}),
    Reason(code=r.NEEDS, params={"step": "greet", "outcome": None}),
    Reason(
        code=r.CAPABILITY_MISSING,
        params={"capability": "routing_mesh", "because": {"code": r.NO_IPVS, "params": {}}},
    ),
    Reason(code=r.MISSING_VALUE, params={"name": "container_id"}),
    Reason(code=r.ENGINE_ERROR, params={"node": "node1", "error": "conflict"}),
    Reason(code=r.ENGINE_ERROR, params={"node": "node1", "error": None, "timeout": True}),
    Reason(code=r.ENGINE_ERROR, params={"node": "node1", "error": None}),
    Reason(code=r.INTERNAL_ERROR, params={"error": "KeyError: 'x'"}),
    Reason(code=r.PYTEST_TIMEOUT, params={"timeout_s": 20}),
    Reason(code=r.UNEXPECTED_STOP, params={"error": "OSError: boom"}),
    Reason(code=r.PATTERN_TIMEOUT, params={"pattern": "(a|aa)+$", "timeout_s": 0.5, "characters": 1}),
    Reason(code=r.STOPPED_WHEN_SEEN, params={"after_s": 3}),
    Reason(code=r.NO_IPVS, params={}),
    Reason(code=r.STANDIN_IMAGES, params={}),
    Reason(code=r.LOCAL_NODES, params={}),
    Reason(code=r.USER_ENGINE, params={}),
    Reason(code=r.KIT_SAYS, params={"detail": "gpu: none"}),
]


@pytest.mark.parametrize("reason", EVERY_REASON, ids=lambda reason: reason.code)
def test_every_reason_is_a_sentence_in_each_language(reason: Reason) -> None:
    spanish, english = reason_words(reason, "es"), reason_words(reason, "en")
    assert spanish != english
    assert not spanish.startswith("motivo «") and not english.startswith("reason '")  # no fallback
    assert other_language_in(spanish, "es") == [] and other_language_in(english, "en") == []


def test_counts_and_numbers_agree_in_each_language() -> None:
    assert reason_words(r.timed_out(2.5, ["c1"]), "es") == (
        "se agotó el tiempo (2,5 s): se detuvo la orden y se guardó su salida parcial; "
        "se detuvo y se quitó el contenedor que había creado (c1)"
    )
    assert reason_words(r.timed_out(5, ["c1", "c2"]), "en") == (
        "timed out (5 s): stopped, partial output kept; the 2 containers it had started were "
        "stopped and removed (c1, c2)"
    )
    timeout = Reason(code=r.PATTERN_TIMEOUT, params={"pattern": "x", "timeout_s": 0.5, "characters": 1})
    assert "en una salida de 1 carácter y se abandonó" in reason_words(timeout, "es")


def test_a_code_of_a_newer_labcheck_is_named_not_dropped() -> None:
    newer = Reason(code="quantum_flux", params={})
    assert reason_words(newer, "es") == "motivo «quantum_flux»"
    assert reason_words(newer, "en") == "reason 'quantum_flux'"


@pytest.mark.parametrize(
    ("reason", "facts", "spanish", "english"),
    [
        (
            sel.STOPPED,
            {"by": "--maxfail", "maxfail": "2"},
            "la ejecución se detuvo antes (--maxfail 2: tras 2 fallos)",
            "the run stopped early before it (--maxfail 2: after 2 failures)",
        ),
        (
            sel.DESELECTED,
            {"-k": "not swarm"},
            "fuera de la selección de esta ejecución (-k «not swarm»)",
            "left out by the run's pytest selection (-k «not swarm»)",
        ),
        (sel.INTERRUPTED, {}, "la ejecución se interrumpió antes", "the run was interrupted before it"),
    ],
)
def test_steps_not_run_say_why_in_each_language(
    reason: str, facts: dict[str, str], spanish: str, english: str
) -> None:
    assert not_run_words(reason, facts, "es") == spanish
    assert not_run_words(reason, facts, "en") == english
