"""The starter lab pack `labcheck new LAB-ID` writes: one node, two steps, and a comment beside
each feature naming where docs/specs.md describes it, so a teacher edits a lab that already runs
green on the offline kit instead of starting from an empty file."""

from __future__ import annotations

import re

# The spec's identifier pattern (schema.json's $defs.identifier), checked before anything is written.
LAB_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_TOKEN = "@LAB_ID@"

# Everything the author reads is a comment; labcheck's words stay out of the lab's own texts
# (titles and explanations are the teacher's, given in both languages of the bundled labs).
TEMPLATE = """\
# A lab pack made by `labcheck new @LAB_ID@`: this file and, beside it, the lab's own files.
# Every key is described, with an example, in labcheck's docs/specs.md (section in brackets).
# Check it with `labcheck validate @FOLDER@`, replay it with `labcheck run @FOLDER@`.
labcheck: 1                          # the format's version [Top-level keys]

lab:                                 # [lab]
  id: @LAB_ID@
  title: {en: "@TITLE@", es: "@TITLE@"}   # a text, or one per language [Texts in several languages]
  language: en                       # the report's language: en or es
  version: "0.1.0"
  description:
    en: What the student practises in this lab.
    es: Qué practica el estudiante en este laboratorio.

nodes:                               # one Docker engine each, a fresh kit node per run [nodes]
  - name: node1
    description: the only node
    # tools: [curl, jq]              # Debian packages baked into the node's image

images:                              # every image the lab pulls, and its offline stand-in [images]
  - {ref: alpine, standin: {library: alpine}}
  # - {ref: "myorg/web:1", standin: {build: standins/web}}   # a folder of this pack with a Dockerfile
# repositories:                      # every git repository the lab clones [repositories]
#   - {url: "https://github.com/owner/name", content: repos/name}

defaults: {node: node1, workdir: "~", timeout: 60s}   # [defaults]

files:                               # files beside this spec, copied into the node [files]
  - {path: message.txt}

sections:                            # [sections]
  - number: "1"
    title: {en: First container, es: Primer contenedor}
    explanation:                     # Markdown, shown in the report above the steps
      en: Run a container from the smallest image, then see what it left behind.
      es: Se ejecuta un contenedor de la imagen más pequeña y se mira qué deja atrás.
    steps:                           # [steps]
      - id: say-hello                # the pytest item's name
        title: {en: Run a container, es: Ejecutar un contenedor}
        run: docker container run alpine echo "hello from @LAB_ID@"   # exactly as the student types it
        # tty: true                  # a terminal (pty) step, with input: lines typed [Typed input]
        capture:                     # values for later steps and rules: ${{ name }} [Captures]
          - {name: hello_container, from: created_container, placeholder: "<container ID>"}
        expect:                      # [Expectations]
          exit_code: 0
          output:                    # output rules [Output rules]
            - contains: "hello from @LAB_ID@"
              says: the container says hello
          state:                     # the engine's state, read through the docker SDK [State checks]
            - container: {ref: "${{ hello_container }}", status: exited, exit_code: 0}
      - id: list-containers
        title: {en: List every container, es: Listar todos los contenedores}
        run: docker container ls -a
        needs: [say-hello]           # skipped, with the reason, unless say-hello passed [steps]
        # eventually: {timeout: 30s}  # re-run until its checks hold
        expect:
          exit_code: 0
          output:
            - matches: 'alpine +"echo'      # a pattern (Python's re syntax)
            - lines: {min: 2}        # the header and the container
          state:
            - containers: {image: alpine, count: 1}   # counts only what the lab created
"""

MESSAGE = "A file of the lab pack, copied into node1's working folder before the first step.\n"


def title_for(lab_id: str) -> str:
    words = re.split(r"[-_.]+", lab_id)
    return " ".join(words).strip().capitalize() or lab_id


def starter_yaml(lab_id: str, folder: str) -> str:
    text = TEMPLATE.replace("@TITLE@", title_for(lab_id)).replace("@FOLDER@", folder)
    return text.replace(_TOKEN, lab_id)
