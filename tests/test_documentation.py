"""`policykg docs`: HTML documentation of the ontology, code lists and shapes, offline and stable."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from conftest import ROOT
from policykg.cli import main
from policykg.html.documentation import PAGES, documentation_pages
from policykg.namespaces import PKG, SH
from policykg.resources import ontology_graph, shapes_graph

COMMITTED = ROOT / "docs" / "ontology"
REGENERATE = "regenerate with: policykg docs -o docs/ontology"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return documentation_pages()


def _iris_of_type(graph_types: list[URIRef], shapes: bool = False) -> set[str]:
    graph = shapes_graph() if shapes else ontology_graph()
    return {
        str(subject)
        for kind in graph_types
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef)
    }


def test_docs_writes_the_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == sorted(PAGES)
    assert "4 pages written" in result.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f'href="{page}"' in index


def test_every_own_class_and_property_is_on_the_ontology_page(pages: dict[str, str]) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    own = {iri for iri in _iris_of_type(kinds) if iri.startswith(str(PKG))}
    assert len(own) > 20
    missing = sorted(iri for iri in own if iri not in pages["ontology.html"])
    assert not missing, missing
    assert "pyLODE" in pages["ontology.html"] and "OntPub" in pages["ontology.html"]


def test_every_own_term_is_documented(pages: dict[str, str]) -> None:
    """Individuals such as pkg:evidencing, which OntPub does not list, are on the schemes page."""
    own = {str(s) for s in ontology_graph().subjects() if str(s).startswith(str(PKG))}
    missing = sorted(iri for iri in own if not any(iri in html for html in pages.values()))
    assert not missing, missing
    assert str(PKG.evidencing) in pages["schemes.html"]


def test_every_scheme_and_concept_is_on_its_page(pages: dict[str, str]) -> None:
    iris = _iris_of_type([SKOS.ConceptScheme, SKOS.Concept])
    assert len(iris) > 40
    assert not sorted(iri for iri in iris if iri not in pages["schemes.html"])
    for notation in ontology_graph().objects(None, SKOS.notation):
        assert f"<td><code>{notation}</code></td>" in pages["schemes.html"]


def test_every_shape_is_on_its_page(pages: dict[str, str]) -> None:
    iris = _iris_of_type([SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint], shapes=True)
    assert len(iris) > 140
    assert not sorted(iri for iri in iris if iri not in pages["shapes.html"])
    for message in shapes_graph().objects(None, SH.message):
        assert escape(str(message)) in pages["shapes.html"]


def test_the_pages_load_nothing_from_the_network(pages: dict[str, str]) -> None:
    """Links to IRIs are fine; stylesheets, scripts and images must be inside the page."""
    for name, html in pages.items():
        loads = re.findall(r"<(?:link|script|img)\b[^>]*\b(?:href|src)=\"(?!data:)[^\"]*\"", html)
        assert not loads, (name, loads)


def test_the_docs_are_made_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert set(documentation_pages()) == set(PAGES)


def test_pylode_leaves_logging_and_standard_output_alone() -> None:
    """Importing pylode turns on DEBUG logging to stderr for the whole process, unless undone."""
    script = (
        "import logging; from policykg.html.documentation import documentation_pages;"
        " documentation_pages(); root = logging.getLogger();"
        " print(root.level, len(root.handlers)); logging.getLogger('rdflib').debug('noise')"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert completed.stdout == f"{logging.WARNING} 0\n"
    assert completed.stderr == ""


def test_committed_docs_are_up_to_date(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        committed = COMMITTED / name
        assert committed.exists(), f"{committed} is missing: {REGENERATE}"
        assert committed.read_text(encoding="utf-8") == html, f"{committed} is stale: {REGENERATE}"


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_the_same_bytes_in_another_process(tmp_path: Path, seed: str) -> None:
    """Set and dict order change with the hash seed; the pages must not."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "policykg", "docs", "-o", str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
    )
    for name in PAGES:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_docs_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["docs", "-o", str(blocker / "site")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot create")
