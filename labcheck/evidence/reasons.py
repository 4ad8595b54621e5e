"""Every reason the evidence can give, as a code and its facts; the words live in
`labcheck.checks.reason_words`, one entry per code and language.

A reason is data: the same evidence says "se agotó el tiempo (5 s)" in a Spanish report and
"timed out (5 s)" in an English one, and `verify` compares codes, never sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from labcheck.evidence.model import Reason

# Why a step did not pass or did not run.
TIMED_OUT = "timed_out"  # timeout_s, removed (the containers it had started, stopped and removed)
INTERRUPTED = "interrupted"  # signal (SIGINT, SIGTERM, SIGHUP), removed, while (running or checking)
NEEDS = "needs"  # step (the step it depends on), outcome (what happened to it, or None: not run)
CAPABILITY_MISSING = "capability_missing"  # capability, because (the capability's own reason)
MISSING_VALUE = "missing_value"  # name (the value an earlier step was to capture)
ENGINE_ERROR = "engine_error"  # node, error (the engine's own message, or None), timeout
INTERNAL_ERROR = "internal_error"  # error (type and message)
PYTEST_TIMEOUT = "pytest_timeout"  # timeout_s (pytest-timeout's --timeout)
UNEXPECTED_STOP = "unexpected_stop"  # error (type and message)
# Why a check failed or was not judged.
PATTERN_TIMEOUT = "pattern_timeout"  # pattern, timeout_s, characters
# Why a capture found no value (a pattern_timeout or an engine_error may say it too).
CAPTURE_NOT_FOUND = "capture_not_found"  # pattern (the capture's regular expression)
CAPTURE_CREATED = "capture_created"  # count (containers the step created, when one was expected)
CAPTURE_NEEDS_ENGINE = "capture_needs_engine"  # name, source (asked of a node with no engine)
CAPTURE_UNKNOWN_SOURCE = "capture_unknown_source"  # source
# How a step's `until` check ended its command: labcheck stopped it once the rule held (after_s).
STOPPED_WHEN_SEEN = "stopped_when_seen"
# Why an engine lacks a capability.
NO_IPVS = "no_ipvs"
STANDIN_IMAGES = "standin_images"
LOCAL_NODES = "local_nodes"
USER_ENGINE = "user_engine"  # available: an engine named by the user is assumed to have it
KIT_SAYS = "kit_says"  # detail (a capability the kit reports that labcheck has no words for)

STEP_CODES = (
    TIMED_OUT,
    INTERRUPTED,
    NEEDS,
    CAPABILITY_MISSING,
    MISSING_VALUE,
    ENGINE_ERROR,
    INTERNAL_ERROR,
    PYTEST_TIMEOUT,
    UNEXPECTED_STOP,
)
CAPABILITY_CODES = {"routing_mesh": NO_IPVS, "real_images": STANDIN_IMAGES}


def timed_out(timeout_s: float, removed: Sequence[str] = ()) -> Reason:
    return Reason(code=TIMED_OUT, params={"timeout_s": timeout_s, "removed": list(removed)})


def interrupted(signal_name: str, removed: Sequence[str] = (), *, while_checking: bool = False) -> Reason:
    return Reason(
        code=INTERRUPTED,
        params={
            "signal": signal_name,
            "removed": list(removed),
            "while": "checking" if while_checking else "running",
        },
    )


def needs(step_id: str, outcome: str | None) -> Reason:
    return Reason(code=NEEDS, params={"step": step_id, "outcome": outcome})


def capability_missing(capability: str, because: Reason | None) -> Reason:
    params: dict[str, object] = {"capability": capability}
    params["because"] = None if because is None else {"code": because.code, "params": dict(because.params)}
    return Reason(code=CAPABILITY_MISSING, params=params)


def missing_value(name: str) -> Reason:
    return Reason(code=MISSING_VALUE, params={"name": name})


def engine_error(node: str, error: str | None, *, timeout: bool) -> Reason:
    """An engine that answered with an error (`error`), or did not answer (in time: `timeout`)."""
    return Reason(code=ENGINE_ERROR, params={"node": node, "error": error, "timeout": timeout})


def internal_error(error: BaseException) -> Reason:
    return Reason(code=INTERNAL_ERROR, params={"error": f"{type(error).__name__}: {error}"})


def pytest_timeout(timeout_s: float) -> Reason:
    return Reason(code=PYTEST_TIMEOUT, params={"timeout_s": timeout_s})


def unexpected_stop(error: BaseException) -> Reason:
    return Reason(code=UNEXPECTED_STOP, params={"error": f"{type(error).__name__}: {error}"})


def pattern_timeout(pattern: str, timeout_s: float, characters: int) -> Reason:
    return Reason(
        code=PATTERN_TIMEOUT, params={"pattern": pattern, "timeout_s": timeout_s, "characters": characters}
    )


def nested(params: object) -> Reason | None:
    """A reason kept inside another's parameters (`because`), read back; None if it is not one."""
    if not isinstance(params, dict) or not isinstance(params.get("code"), str):
        return None
    inner = params.get("params")
    return Reason(code=params["code"], params=dict(inner) if isinstance(inner, dict) else {})


def stopped_when_seen(after_s: float) -> Reason:
    return Reason(code=STOPPED_WHEN_SEEN, params={"after_s": round(after_s, 3)})


def capture_not_found(pattern: str) -> Reason:
    return Reason(code=CAPTURE_NOT_FOUND, params={"pattern": pattern})


def capture_created(count: int) -> Reason:
    return Reason(code=CAPTURE_CREATED, params={"count": count})


def capture_needs_engine(name: str, source: str) -> Reason:
    return Reason(code=CAPTURE_NEEDS_ENGINE, params={"name": name, "source": source})


def capture_unknown_source(source: str) -> Reason:
    return Reason(code=CAPTURE_UNKNOWN_SOURCE, params={"source": source})
