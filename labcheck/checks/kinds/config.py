"""A Swarm config: it exists, and which service uses it (the same questions as a secret's)."""

from __future__ import annotations

from labcheck.checks.kinds import StateKind
from labcheck.checks.kinds.secret import swarm_data_probe

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "name": {"$ref": "#/$defs/text", "description": "the config's name"},
        "exists": {"type": "boolean"},
        "used_by": {"$ref": "#/$defs/text", "description": "a service whose tasks are given it"},
    },
}

KIND = StateKind(
    name="config",
    schema=SCHEMA,
    probe=swarm_data_probe("configs", "Configs"),
    subject_es="la configuración {}",
    subject_key="name",
    words_es={"used_by": "en uso por el servicio {}"},
)
