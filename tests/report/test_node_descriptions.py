"""The report's cover names each node the lab ran on and what it is for, in the report's language.

The evidence records the engines; what each node is for is the spec's (`nodes: - description:`),
so one evidence shows it in Spanish and in English, and a report whose spec is not at hand shows the
engines alone.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from labcheck.bundled import bundled_spec_files
from labcheck.spec.loader import load_lab
from labcheck.spec.texts import LocalText
from tests.real_evidence import EVIDENCE
from tests.report.conftest import Rendered, render
from tests.report.test_languages import visible_text

OPS_STAGE1 = next(spec for spec in bundled_spec_files() if spec.parent.name == "ops-stage1")


def _descriptions(language: str) -> dict[str, str]:
    texts = {}
    for node in load_lab(OPS_STAGE1).node_specs:
        assert isinstance(node.description, LocalText)
        texts[node.name] = node.description.texts[language]
    return texts


def _flat(text: str) -> str:
    """pdftotext's layout wraps a cell over lines beside an empty label column: one line again."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(EVIDENCE, tmp_path_factory.mktemp("en"), language="en")


def test_each_node_says_what_it_is_for_in_spanish_in_html_and_pdf(rendered: Rendered) -> None:
    spanish, english = _descriptions("es"), _descriptions("en")
    assert set(spanish) == {"node1", "node2"}  # the two nodes the run used
    page, pdf = visible_text(rendered.html), _flat(rendered.text)
    # The nodes in the lab's order, each with what it is for; the kit's engine, the same on
    # both, said once under them.
    listed = (
        f"Nodo «node1» {spanish['node1']} Nodo «node2» {spanish['node2']} Motor de cada nodo Docker 20.10"
    )
    assert listed in page
    assert listed in pdf
    for name in spanish:
        assert english[name] not in page and english[name] not in pdf


def test_the_same_evidence_says_it_in_english(english: Rendered) -> None:
    spanish, in_english = _descriptions("es"), _descriptions("en")
    page, pdf = visible_text(english.html), _flat(english.text)
    listed = (
        f"Node «node1» {in_english['node1']} Node «node2» {in_english['node2']} Engine of every node Docker"
    )
    assert listed in page
    assert listed in pdf
    for name in in_english:
        assert spanish[name] not in page and spanish[name] not in pdf
    assert "Nodo «" not in page and "Motor de cada nodo" not in page


def _without_descriptions(html: str) -> None:
    page = visible_text(html)
    # Each node with its engine, as the evidence records it.
    for name in ("node1", "node2"):
        assert f"Nodo «{name}» Docker 20.10.24+dfsg1, Debian GNU/Linux 12" in page
    assert "Motor de cada nodo" not in page
    for said in _descriptions("es").values():
        assert said not in page


def test_evidence_of_a_lab_whose_spec_is_not_found_renders_the_engines_alone(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    unknown = copy.deepcopy(evidence)
    unknown["lab"]["id"] = "a-course-lab"  # not bundled, and no spec given
    _without_descriptions(render(unknown, tmp_path, pdf=False).html)


def test_evidence_of_another_version_of_the_lab_takes_no_description(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    # Another version's nodes may have had other roles: the report does not guess.
    older = copy.deepcopy(evidence)
    older["lab"]["version"] = "0.9.0"
    _without_descriptions(render(older, tmp_path, pdf=False).html)


def test_a_run_renders_with_the_spec_it_ran_even_when_not_bundled(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    # The plugin hands the report the lab it ran: a course's own lab gets its nodes described too.
    pack = tmp_path / "pack"
    shutil.copytree(OPS_STAGE1.parent, pack)
    spec_text = OPS_STAGE1.read_text(encoding="utf-8").replace("id: ops-stage1", "id: a-course-lab", 1)
    (pack / "lab.yaml").write_text(spec_text, encoding="utf-8")
    lab = load_lab(pack / "lab.yaml")
    course = copy.deepcopy(evidence)
    course["lab"]["id"] = "a-course-lab"
    page = visible_text(render(course, tmp_path / "out", pdf=False, spec=lab, language="en").html)
    for name, said in _descriptions("en").items():
        assert f"Node «{name}» {said}" in page


def test_a_node_on_an_engine_of_its_own_has_its_engine_under_its_description(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    # node2 on another engine than node1's (a --target engine, say): each node keeps its own.
    apart = copy.deepcopy(evidence)
    apart["targets"]["node2"]["engine"]["version"] = "27.3.1"
    page = visible_text(render(apart, tmp_path, pdf=False).html)
    spanish = _descriptions("es")
    assert f"Nodo «node1» {spanish['node1']} Docker 20.10.24+dfsg1" in page
    assert f"Nodo «node2» {spanish['node2']} Docker 27.3.1" in page
    assert "Motor de cada nodo" not in page


def test_a_node_the_spec_does_not_describe_keeps_its_engine_beside_it(
    evidence: dict[str, Any], tmp_path: Path
) -> None:
    # A node the run used that the spec does not name (a renamed node, say): it is listed with its
    # engine, and the described one with its description and engine.
    extra = copy.deepcopy(evidence)
    extra["targets"]["node9"] = copy.deepcopy(extra["targets"]["node2"])
    page = visible_text(render(extra, tmp_path, pdf=False).html)
    spanish = _descriptions("es")
    assert f"Nodo «node1» {spanish['node1']} Docker 20.10.24+dfsg1" in page
    assert "Nodo «node9» Docker 20.10.24+dfsg1" in page
    assert "Motor de cada nodo" not in page
