"""A reason of the evidence (`labcheck.evidence.reasons`) in words: Spanish for the student's
terminal and a Spanish report, English for `labcheck verify`'s findings and an English report
(`reason_words` picks by the reader's language).

One function per language, one branch per code; a code this labcheck does not know (evidence of
a newer one) is named as it is, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from labcheck.evidence import reasons as r
from labcheck.evidence import selection as sel
from labcheck.evidence.model import Reason
from labcheck.json_values import as_int
from labcheck.plurals import counted

_SIGNALS_ES = {
    "SIGINT": "interrumpido (Ctrl-C)",
    "SIGTERM": "interrumpido (SIGTERM: se canceló la ejecución)",
    "SIGHUP": "interrumpido (SIGHUP: se cerró el terminal)",
}
_OUTCOMES_ES = {"failed": "falló", "skipped": "se omitió", "error": "dio un error"}
_CAPABILITIES_ES = {
    r.NO_IPVS: "el núcleo de este equipo no tiene IPVS, así que la malla de enrutamiento (routing mesh) "
    "del Swarm no lleva tráfico a los puertos publicados",
    r.STANDIN_IMAGES: "las imágenes vienen del registro local del kit sin conexión: son sustitutas "
    "etiquetadas (io.labcheck.standin=true), no las de Docker Hub",
    r.LOCAL_NODES: "los nodos son locales: los pasos se ejecutan en este equipo, sin motor Docker",
    r.USER_ENGINE: "se supone disponible en un motor indicado por el usuario",
}
_CAPABILITIES_EN = {
    r.NO_IPVS: "this kernel has no IPVS, so Swarm's routing mesh carries no traffic to published ports",
    r.STANDIN_IMAGES: "images come from the offline kit's registry: labelled stand-ins, not Docker Hub's",
    r.LOCAL_NODES: "the nodes are local: steps run on this machine, with no Docker engine",
    r.USER_ENGINE: "assumed available on an engine the user named",
}


def _removed_es(removed: object) -> str:
    ids = (
        [str(item) for item in removed]
        if isinstance(removed, Sequence) and not isinstance(removed, str)
        else []
    )
    if not ids:
        return ""
    if len(ids) == 1:
        return f"; se detuvo y se quitó el contenedor que había creado ({ids[0]})"
    return f"; se detuvieron y se quitaron los {len(ids)} contenedores que había creado ({', '.join(ids)})"


def _removed_en(removed: object) -> str:
    ids = (
        [str(item) for item in removed]
        if isinstance(removed, Sequence) and not isinstance(removed, str)
        else []
    )
    if not ids:
        return ""
    started = counted(len(ids), "container", "containers", language="en")
    return f"; the {started} it had started stopped and removed ({', '.join(ids)})"


def _seconds(value: object) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) and not isinstance(value, bool) else "?"


def reason_es(reason: Reason) -> str:
    p: Mapping[str, object] = reason.params
    code = reason.code
    if code == r.TIMED_OUT:
        return (
            f"se agotó el tiempo ({_seconds(p.get('timeout_s'))} s): se detuvo la orden y se guardó su "
            f"salida parcial{_removed_es(p.get('removed'))}"
        )
    if code == r.INTERRUPTED:
        said = _SIGNALS_ES.get(str(p.get("signal")), _SIGNALS_ES["SIGINT"])
        if p.get("while") == "checking":
            return f"{said} mientras se comprobaba el paso"
        return f"{said}: se detuvo la orden y se guardó su salida parcial{_removed_es(p.get('removed'))}"
    if code == r.NEEDS:
        state = _OUTCOMES_ES.get(str(p.get("outcome")), "no se ejecutó")
        return f"omitido: depende del paso «{p.get('step')}», que {state}"
    if code == r.CAPABILITY_MISSING:
        because = r.nested(p.get("because"))
        why = f": {reason_es(because)}" if because is not None else ""
        return f"omitido: este motor no ofrece «{p.get('capability')}»{why}"
    if code == r.MISSING_VALUE:
        return f"falta el valor «{p.get('name')}», que debía dar un paso anterior"
    if code == r.ENGINE_ERROR:
        node = p.get("node")
        if p.get("error"):
            return f"el motor de Docker del nodo {node} devolvió un error: «{p.get('error')}»"
        if p.get("timeout"):
            return f"el nodo {node} dejó de responder: su motor de Docker no contestó a tiempo"
        return f"el nodo {node} dejó de responder: su motor de Docker no contesta"
    if code == r.INTERNAL_ERROR:
        return f"error interno al ejecutar el paso: {p.get('error')}"
    if code == r.PYTEST_TIMEOUT:
        return f"pytest-timeout detuvo el paso a los {_seconds(p.get('timeout_s'))} s (--timeout)"
    if code == r.UNEXPECTED_STOP:
        return f"el paso se detuvo por un error inesperado: {p.get('error')}"
    if code == r.PATTERN_TIMEOUT:
        characters = p.get("characters") if isinstance(p.get("characters"), int) else 0
        return (
            f"la expresión regular /{p.get('pattern')}/ tardó más de {_seconds(p.get('timeout_s'))} s "
            f"en una salida de {counted(as_int(characters or 0), 'carácter', 'caracteres')} y se abandonó"
        )
    if code == r.STOPPED_WHEN_SEEN:
        return f"labcheck detuvo la orden a los {_seconds(p.get('after_s'))} s, al ver lo que esperaba"
    if code in _CAPABILITIES_ES:
        return _CAPABILITIES_ES[code]
    if code == r.KIT_SAYS:
        return f"el kit dice: {p.get('detail')}"
    return f"motivo «{code}»"


def reason_en(reason: Reason) -> str:
    p: Mapping[str, object] = reason.params
    code = reason.code
    if code == r.TIMED_OUT:
        removed = _removed_en(p.get("removed"))
        return f"timed out ({_seconds(p.get('timeout_s'))} s): stopped, partial output kept{removed}"
    if code == r.INTERRUPTED:
        during = "while it was being checked" if p.get("while") == "checking" else "while it ran"
        return f"interrupted ({p.get('signal')}) {during}{_removed_en(p.get('removed'))}"
    if code == r.NEEDS:
        outcome = p.get("outcome")
        return f"skipped: it needs step {p.get('step')!r}, which {outcome or 'did not run'}"
    if code == r.CAPABILITY_MISSING:
        because = r.nested(p.get("because"))
        why = f": {reason_en(because)}" if because is not None else ""
        return f"skipped: this engine has no {p.get('capability')!r}{why}"
    if code == r.MISSING_VALUE:
        return f"the value {p.get('name')!r}, to be captured by an earlier step, is missing"
    if code == r.ENGINE_ERROR:
        node = p.get("node")
        if p.get("error"):
            return f"node {node}'s Docker engine returned an error: {p.get('error')}"
        return f"node {node} stopped answering"
    if code == r.INTERNAL_ERROR:
        return f"internal error while running the step: {p.get('error')}"
    if code == r.PYTEST_TIMEOUT:
        return f"pytest-timeout stopped the step after {_seconds(p.get('timeout_s'))} s"
    if code == r.UNEXPECTED_STOP:
        return f"the step stopped on an unexpected error: {p.get('error')}"
    if code == r.PATTERN_TIMEOUT:
        seconds = _seconds(p.get("timeout_s"))
        return f"the pattern /{p.get('pattern')}/ took more than {seconds} s and was abandoned"
    if code == r.STOPPED_WHEN_SEEN:
        seconds = _seconds(p.get("after_s"))
        return f"labcheck stopped the command after {seconds} s, once what it waited for was seen"
    if code in _CAPABILITIES_EN:
        return _CAPABILITIES_EN[code]
    if code == r.KIT_SAYS:
        return f"the kit says: {p.get('detail')}"
    return f"reason {code!r}"


# ---------------------------------------------------------------- steps a run did not run

_STOPPED_BY_ES = {
    "session-timeout": "se agotó el tiempo de la sesión, --session-timeout",
    "-x": "-x: tras el primer fallo",
    "--stepwise": "--stepwise: tras el primer fallo",
}
_NOT_RUN_EN = {
    sel.DESELECTED: "left out by the run's pytest selection",
    sel.LAST_FAILED: "left out by --lf (only the last run's failures were run)",
    sel.STOPPED: "the run stopped early before it",
    sel.INTERRUPTED: "the run was interrupted before it",
    sel.NOT_REACHED: "the run ended before it",
}


def not_run_es(reason: str, facts: Mapping[str, str]) -> str:
    """Worded to read both as a step's reason and as the heading of a list of steps."""
    if reason == sel.DESELECTED:
        shown = {**facts, "--stepwise": "pasos ya superados"} if "--stepwise" in facts else facts
        named = [f"{flag} «{value}»" for flag, value in shown.items()]
        return "fuera de la selección de esta ejecución" + (f" ({', '.join(named)})" if named else "")
    if reason == sel.LAST_FAILED:
        return "con --lf solo se repitieron los pasos que fallaron la vez anterior"
    if reason == sel.STOPPED:
        by = facts.get("by")
        if by == "--maxfail":
            maxfail = int(facts.get("maxfail", "0") or 0)
            why: str | None = f"--maxfail {maxfail}: tras {counted(maxfail, 'fallo', 'fallos')}"
        else:
            why = _STOPPED_BY_ES.get(by or "")
        return "la ejecución se detuvo antes" + (f" ({why})" if why else "")
    if reason == sel.INTERRUPTED:
        return "la ejecución se interrumpió antes"
    return "la ejecución terminó antes"


def not_run_en(reason: str, facts: Mapping[str, str] | None = None) -> str:
    said = _NOT_RUN_EN.get(reason, reason)
    if reason == sel.DESELECTED and facts:
        shown = {**facts, "--stepwise": "steps already passed"} if "--stepwise" in facts else facts
        said += " (" + ", ".join(f"{flag} «{value}»" for flag, value in shown.items()) + ")"
    return said


def reason_words(reason: Reason, language: str) -> str:
    """A reason in the reader's language: Spanish for "es", English for any other."""
    return reason_es(reason) if language == "es" else reason_en(reason)


def not_run_words(reason: str, facts: Mapping[str, str], language: str) -> str:
    return not_run_es(reason, facts) if language == "es" else not_run_en(reason, facts)
