"""A reason of the evidence (`labcheck.evidence.reasons`) in words, in the reader's language: the
student's terminal speaks the locale's, a report its own, `labcheck verify`'s findings English.

The evidence stores a code and its values, never a sentence; every sentence here is an English
msgid of the gettext catalogs (`labcheck/locale/`), so a language is one more catalog. A code this
labcheck does not know (evidence of a newer one) is named as it is, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from labcheck import i18n
from labcheck.evidence import reasons as r
from labcheck.evidence import selection as sel
from labcheck.evidence.model import Reason
from labcheck.i18n import N_, Translator

_SIGNALS = {
    "SIGINT": N_("interrupted (Ctrl-C)"),
    "SIGTERM": N_("interrupted (SIGTERM: the run was cancelled)"),
    "SIGHUP": N_("interrupted (SIGHUP: the terminal was closed)"),
}
# A step skipped because one it needs did not pass, by what became of that one.
_NEEDS = {
    "failed": N_("skipped: it needs step '{step}', which failed"),
    "skipped": N_("skipped: it needs step '{step}', which was skipped"),
    "error": N_("skipped: it needs step '{step}', which ended in an error"),
}
_NEEDS_NOT_RUN = N_("skipped: it needs step '{step}', which did not run")
_CAPABILITIES = {
    r.NO_IPVS: N_("this kernel has no IPVS, so Swarm's routing mesh carries no traffic to published ports"),
    r.STANDIN_IMAGES: N_(
        "images come from the offline kit's registry: labelled stand-ins (io.labcheck.standin=true), "
        "not Docker Hub's"
    ),
    r.LOCAL_NODES: N_("the nodes are local: steps run on this machine, with no Docker engine"),
    r.USER_ENGINE: N_("assumed available on an engine the user named"),
}


def _removed(removed: object, t: Translator) -> str:
    """What a stopped step's clean-up took away: the containers it had started."""
    ids = (
        [str(item) for item in removed]
        if isinstance(removed, Sequence) and not isinstance(removed, str)
        else []
    )
    if not ids:
        return ""
    return t.ngettext(
        "; the container it had started was stopped and removed ({ids})",
        "; the {count} containers it had started were stopped and removed ({ids})",
        len(ids),
    ).format(count=t.number(len(ids)), ids=", ".join(ids))


def _count(value: object) -> int:
    """A count of the reason's facts; 0 for anything that is not a whole number (edited evidence)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _seconds(value: object, t: Translator) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return t.short_decimal(float(value))
    return "?"


def _step_reason(reason: Reason, t: Translator) -> str | None:
    """The reasons a step was stopped, skipped or broke off; None for other codes."""
    p: Mapping[str, object] = reason.params
    code = reason.code
    if code == r.TIMED_OUT:
        return t.format(
            "timed out ({seconds} s): stopped, partial output kept{removed}",
            seconds=_seconds(p.get("timeout_s"), t),
            removed=_removed(p.get("removed"), t),
        )
    if code == r.INTERRUPTED:
        said = t.gettext(_SIGNALS.get(str(p.get("signal")), _SIGNALS["SIGINT"]))
        if p.get("while") == "checking":
            return t.format("{said} while the step was being checked", said=said)
        return t.format(
            "{said}: the command was stopped and its partial output kept{removed}",
            said=said,
            removed=_removed(p.get("removed"), t),
        )
    if code == r.NEEDS:
        return t.format(_NEEDS.get(str(p.get("outcome")), _NEEDS_NOT_RUN), step=p.get("step"))
    if code == r.CAPABILITY_MISSING:
        because = r.nested(p.get("because"))
        why = ": " + reason_text(because, t) if because is not None else ""
        return t.format(
            "skipped: this engine has no '{capability}'{why}", capability=p.get("capability"), why=why
        )
    if code == r.MISSING_VALUE:
        return t.format(
            "the value '{name}', to be captured by an earlier step, is missing", name=p.get("name")
        )
    return None


def _failure_reason(reason: Reason, t: Translator) -> str | None:
    """The reasons an engine, labcheck or a plugin broke a step or a check; None for other codes."""
    p: Mapping[str, object] = reason.params
    code = reason.code
    if code == r.ENGINE_ERROR:
        node = p.get("node")
        if p.get("error"):
            return t.format(
                "node {node}'s Docker engine returned an error: {error}", node=node, error=p.get("error")
            )
        if p.get("timeout"):
            return t.format(
                "node {node} stopped answering: its Docker engine did not answer in time", node=node
            )
        return t.format("node {node} stopped answering: its Docker engine does not answer", node=node)
    if code == r.INTERNAL_ERROR:
        return t.format("internal error while running the step: {error}", error=p.get("error"))
    if code == r.PYTEST_TIMEOUT:
        return t.format(
            "pytest-timeout stopped the step after {seconds} s (--timeout)",
            seconds=_seconds(p.get("timeout_s"), t),
        )
    if code == r.UNEXPECTED_STOP:
        return t.format("the step stopped on an unexpected error: {error}", error=p.get("error"))
    if code == r.PATTERN_TIMEOUT:
        characters = _count(p.get("characters"))
        return t.format(
            "the regular expression /{pattern}/ took more than {seconds} s on an output of {characters} "
            "and was given up",
            pattern=p.get("pattern"),
            seconds=_seconds(p.get("timeout_s"), t),
            characters=t.counted(characters, "character", "characters"),
        )
    if code == r.STOPPED_WHEN_SEEN:
        return t.format(
            "labcheck stopped the command after {seconds} s, once what it waited for was seen",
            seconds=_seconds(p.get("after_s"), t),
        )
    return None


def _capture_reason(reason: Reason, t: Translator) -> str | None:
    """Why a capture found no value; None for other codes."""
    p: Mapping[str, object] = reason.params
    code = reason.code
    if code == r.CAPTURE_NOT_FOUND:
        return t.format("/{pattern}/ is not in the output", pattern=p.get("pattern"))
    if code == r.CAPTURE_CREATED:
        count = _count(p.get("count"))
        created = t.counted(count, "container", "containers")
        return t.format(
            "the step was to create one container and it created {containers}", containers=created
        )
    if code == r.CAPTURE_NEEDS_ENGINE:
        return t.format(
            "the capture '{name}' ({source}) needs a Docker engine",
            name=p.get("name"),
            source=p.get("source"),
        )
    if code == r.CAPTURE_UNKNOWN_SOURCE:
        return t.format("unknown capture source '{source}'", source=p.get("source"))
    return None


def reason_text(reason: Reason, t: Translator) -> str:
    """A reason in t's language."""
    said = _step_reason(reason, t) or _failure_reason(reason, t) or _capture_reason(reason, t)
    if said is not None:
        return said
    if reason.code in _CAPABILITIES:
        return t.gettext(_CAPABILITIES[reason.code])
    if reason.code == r.KIT_SAYS:
        return t.format("the kit says: {detail}", detail=reason.params.get("detail"))
    return t.format("reason '{code}'", code=reason.code)


def reason_words(reason: Reason, language: str) -> str:
    """A reason in the reader's language ("es", "en"; any other is English)."""
    return reason_text(reason, i18n.translator(language))


# ---------------------------------------------------------------- steps a run did not run

_STOPPED_BY = {
    "session-timeout": N_("the session's time ran out, --session-timeout"),
    "-x": N_("-x: after the first failure"),
    "--stepwise": N_("--stepwise: after the first failure"),
}


def _why_stopped(facts: Mapping[str, str], t: Translator) -> str | None:
    by = facts.get("by")
    if by == "--maxfail":
        maxfail = int(facts.get("maxfail", "0") or 0)
        return t.format(
            "--maxfail {maxfail}: after {failures}",
            maxfail=maxfail,
            failures=t.counted(maxfail, "failure", "failures"),
        )
    known = _STOPPED_BY.get(by or "")
    return t.gettext(known) if known is not None else None


def not_run_text(reason: str, facts: Mapping[str, str], t: Translator) -> str:
    """Why a step was not run, in t's language: worded to read both as a step's reason and as the
    heading of a list of steps."""
    if reason == sel.DESELECTED:
        already = t.gettext("steps already passed")
        shown = {**facts, "--stepwise": already} if "--stepwise" in facts else facts
        named = ", ".join(f"{flag} «{value}»" for flag, value in shown.items())
        said = t.gettext("left out by the run's pytest selection")
        return said + (f" ({named})" if named else "")
    if reason == sel.LAST_FAILED:
        return t.gettext("left out by --lf (only the last run's failures were run)")
    if reason == sel.STOPPED:
        why = _why_stopped(facts, t)
        return t.gettext("the run stopped early before it") + (f" ({why})" if why else "")
    if reason == sel.INTERRUPTED:
        return t.gettext("the run was interrupted before it")
    return t.gettext("the run ended before it")


def not_run_words(reason: str, facts: Mapping[str, str], language: str) -> str:
    return not_run_text(reason, facts, i18n.translator(language))
