"""The report's Spanish wording and formatting of values: one place to read and correct it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from labcheck.plurals import counted

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

OUTCOME_LABEL = {
    "passed": "Superado",
    "failed": "Fallido",
    "skipped": "Omitido",
    "error": "Error",
}
OUTCOME_MARK = {"passed": "✔", "failed": "✘", "skipped": "–", "error": "!"}
CHECK_KIND = {
    "exit_code": "código de salida",
    "output": "salida",
    "state": "estado del motor",
}
STREAM = {"stdout": "salida estándar", "stderr": "salida de error", "output": "salida"}
SANDBOX = {
    "kit-nodes": "nodos Docker-in-Docker nuevos del kit sin conexión",
    "targets": "motores Docker indicados por el usuario",
}
RUN_STATUS = {
    "complete": "completa",
    "running": "sin terminar (el archivo se escribió durante la ejecución)",
    "interrupted": "interrumpida",
}


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def long_date(value: str | None) -> str:
    moment = parse_time(value)
    if moment is None:
        return value or "fecha desconocida"
    zone = moment.strftime("%Z") or ""
    zone = " UTC" if zone in ("UTC", "UTC+00:00") else (f" {zone}" if zone else "")
    return f"{moment.day} de {MONTHS[moment.month - 1]} de {moment.year}, {moment:%H:%M}{zone}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms".replace(".", ",")
    if seconds < 60:
        return f"{seconds:.1f} s".replace(".", ",")
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def value(data: Any, limit: int = 600) -> str:
    """A checked value as one readable string, cut when huge."""
    if isinstance(data, str):
        shown = data
    else:
        shown = json.dumps(data, ensure_ascii=False)
    if len(shown) > limit:
        shown = shown[:limit] + f" ⋯ ({counted(len(shown) - limit, 'carácter más', 'caracteres más')})"
    return shown


def count_phrase(count: int, singular: str, plural: str) -> str:
    return counted(count, singular, plural)


CAPABILITY = {
    "routing_mesh": (
        "La malla de enrutamiento de Swarm (*routing mesh*) no está disponible: el núcleo no "
        "tiene IPVS, así que los puertos publicados por los servicios no reciben tráfico. "
        "Las réplicas, las tareas de cada nodo, las redes *overlay* y el DNS de los servicios "
        "sí funcionan."
    ),
    "real_images": (
        "Las imágenes vienen del registro local del kit: son sustitutos etiquetados "
        "(`io.labcheck.standin=true`), no las imágenes de Docker Hub."
    ),
}
