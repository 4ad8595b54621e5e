"""The report's fixed wording and how it formats values, in the report's language (`labcheck.i18n`).

Tables hold English messages marked with N_; a report looks each up through its translator.
"""

from __future__ import annotations

from datetime import datetime

from labcheck.i18n import N_, Translator, spanish

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

OUTCOME_LABEL = {
    "passed": N_("Passed"),
    "failed": N_("Failed"),
    "skipped": N_("Skipped"),
    "error": N_("Error"),
}
OUTCOME_MARK = {"passed": "✔", "failed": "✘", "skipped": "–", "error": "!"}
SANDBOX = {
    "kit-nodes": N_("fresh Docker-in-Docker nodes of the offline kit"),
    "targets": N_("Docker engines the user named"),
}
ENGINELESS = N_("this machine's shell, with no Docker engine (local nodes)")
RUN_STATUS = {
    "complete": N_("complete"),
    "running": N_("unfinished (the file was written during the run)"),
    "interrupted": N_("interrupted"),
}
CAPABILITY = {
    "routing_mesh": N_(
        "Swarm's routing mesh is not available: the kernel has no IPVS, so the ports the "
        "services publish receive no traffic. Replicas, each node's tasks, *overlay* networks and "
        "the services' DNS do work."
    ),
    "real_images": N_(
        "The images come from the kit's local registry: they are labelled stand-ins "
        "(`io.labcheck.standin=true`), not Docker Hub's images."
    ),
}


def outcome_label(outcome: str, t: Translator | None = None) -> str:
    t = t or spanish()
    return t.gettext(OUTCOME_LABEL[outcome]) if outcome in OUTCOME_LABEL else outcome


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def long_date(value: str | None, t: Translator | None = None) -> str:
    t = t or spanish()
    moment = parse_time(value)
    if moment is None:
        return value or t.gettext("unknown date")
    zone = moment.strftime("%Z") or ""
    zone = " UTC" if zone in ("UTC", "UTC+00:00") else (f" {zone}" if zone else "")
    return t.format(
        "{day} {month} {year}, {time}",
        day=moment.day,
        month=t.gettext(MONTHS[moment.month - 1]),
        year=moment.year,
        time=f"{moment:%H:%M}{zone}",
    )


def duration(seconds: float | None, t: Translator | None = None) -> str:
    t = t or spanish()
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{t.decimal(seconds, 1)} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"
