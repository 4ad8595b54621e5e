"""A state check kind that is no part of labcheck: a throw-away package, installed for a test
the way pip installs one (a module and its dist-info with an entry point in `labcheck.checks`)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

ENGINE_KIND = '''
"""The engine itself: what its operating system says it is."""

from labcheck.checks.kinds import Observation, StateKind

SCHEMA = {
    "type": "object",
    "required": ["os_contains"],
    "additionalProperties": False,
    "properties": {"os_contains": {"$ref": "#/$defs/text"}},
}


def probe(client, params, baseline):
    system = str(client.info().get("OperatingSystem", ""))
    return Observation(params["os_contains"] in system, dict(params), {"os": system})


KIND = StateKind(
    name="engine_os",
    schema=SCHEMA,
    probe=probe,
    subject_es="el sistema del motor",
    words_es={"os_contains": "contiene «{}»"},{english}
)
'''
ENGLISH_WORDS = """
    subject_en="the engine's system",
    words_en={"os_contains": "contains '{}'"},"""


def install_kind_plugin(site: Path, *, english: bool = True) -> dict[str, str]:
    """Write the package into `site`; the environment a process needs to find it. Without
    `english`, the kind gives only its Spanish words (as kinds written before English had)."""
    site.mkdir(parents=True, exist_ok=True)
    module = textwrap.dedent(ENGINE_KIND).lstrip().replace("{english}", ENGLISH_WORDS if english else "")
    (site / "labcheck_engine_os.py").write_text(module, encoding="utf-8")
    info = site / "labcheck_engine_os-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: labcheck-engine-os\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[labcheck.checks]\nengine_os = labcheck_engine_os:KIND\n")
    path = os.pathsep.join(part for part in (str(site), os.environ.get("PYTHONPATH", "")) if part)
    return {**os.environ, "PYTHONPATH": path}


def spec_using_it(folder: Path, os_contains: str = "Debian") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "lab.yaml"
    spec.write_text(
        textwrap.dedent(
            f"""\
            labcheck: 1
            lab: {{id: engine-os, title: El motor, language: es, version: "1"}}
            nodes: [{{name: node1}}]
            sections:
              - number: "1"
                title: Uno
                steps:
                  - id: info
                    title: Preguntar al motor
                    run: docker info --format '{{{{.OperatingSystem}}}}'
                    expect:
                      exit_code: 0
                      state:
                        - engine_os: {{os_contains: "{os_contains}"}}
            """
        ),
        encoding="utf-8",
    )
    return spec
