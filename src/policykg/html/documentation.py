"""HTML documentation of the ontology, its SKOS code lists and the SHACL shapes.

pyLODE (its OntPub profile) writes the page of the ontology's classes and properties. pyLODE 3's
VocPub profile lists no concepts and it has no profile for SHACL shapes, so the code lists and the
shapes get pages of policykg's own (:mod:`policykg.html.rdf_pages`). Nothing is fetched: pyLODE is
given a graph, never a URL, and reads its background vocabularies from its own package.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from html import escape
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from policykg.errors import ResourceError, SerializationError
from policykg.html.rdf_pages import page, schemes_page, shapes_page
from policykg.namespaces import SH
from policykg.outputs import write_atomically
from policykg.resources import ontology_graph, shapes_graph

PAGES = ("index.html", "ontology.html", "schemes.html", "shapes.html")


def documentation_pages() -> dict[str, str]:
    """The documentation as HTML text by file name (see :data:`PAGES`), the same on every run.

    Raises :class:`ResourceError` when pyLODE cannot document the ontology.
    """
    ontology = ontology_graph()
    shapes = shapes_graph()
    return {
        "index.html": _index_page(ontology, shapes),
        "ontology.html": _ontology_page(_without_schemes(ontology)),
        "schemes.html": schemes_page(ontology),
        "shapes.html": shapes_page(shapes),
    }


def write_documentation(directory: Path) -> list[Path]:
    """Write the documentation pages into *directory* (created if need be); return their paths.

    Raises :class:`SerializationError` when the folder or a page cannot be written.
    """
    pages = documentation_pages()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SerializationError(f"cannot create {directory}: {error.strerror}") from error
    written = []
    for name, html in pages.items():
        path = directory / name
        write_atomically(path, html.encode("utf-8"))
        written.append(path)
    return written


def _ontology_page(ontology: Graph) -> str:
    with _pylode_contained():
        from pylode.profiles.ontpub import OntPub

        try:
            html: str = OntPub(ontology, sort_subjects=True).make_html()
        except Exception as error:  # pyLODE raises assorted types for what it cannot document
            raise ResourceError(f"pyLODE cannot document the ontology: {error}") from error
    return html if html.endswith("\n") else html + "\n"


@contextlib.contextmanager
def _pylode_contained() -> Iterator[None]:
    """Keep pyLODE from changing the process: a library of ours must not print or log.

    Importing pylode calls ``logging.basicConfig(level=DEBUG)``, its module-level
    ``logging.info`` calls would add a root handler, and it prints warnings. A root logger that
    has a handler makes ``basicConfig`` do nothing; the previous handlers come back afterwards.
    """
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    root.handlers[:] = [logging.NullHandler()]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


def _without_schemes(ontology: Graph) -> Graph:
    """The ontology's classes and properties only: its concept schemes go on their own page.

    Given the schemes as well, OntPub takes one of them (whichever comes first) as the title.
    """
    skos_nodes = set(ontology.subjects(RDF.type, SKOS.Concept))
    skos_nodes |= set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    terms = Graph()
    for prefix, namespace in ontology.namespaces():
        terms.bind(prefix, namespace)
    for triple in ontology:
        if triple[0] not in skos_nodes:
            terms.add(triple)
    return terms


def _index_page(ontology: Graph, shapes: Graph) -> str:
    classes = len(set(ontology.subjects(RDF.type, OWL.Class)))
    properties = sum(
        len(set(ontology.subjects(RDF.type, kind)))
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    )
    schemes = len(set(ontology.subjects(RDF.type, SKOS.ConceptScheme)))
    concepts = len(set(ontology.subjects(RDF.type, SKOS.Concept)))
    node_shapes = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    property_shapes = len(set(shapes.subjects(RDF.type, SH.PropertyShape)))
    items = [
        (
            "ontology.html",
            "The ontology",
            f"{classes} classes and {properties} properties: policykg's own terms (pkg:) and the"
            " terms it declares from other vocabularies. Written by pyLODE (OntPub profile).",
        ),
        (
            "schemes.html",
            "The code lists",
            f"{schemes} SKOS concept schemes with {concepts} concepts: the values of polarity,"
            " asserted_as, topics, event types and CAMEO codes in facts files; and the"
            " ontology's other individuals.",
        ),
        (
            "shapes.html",
            "The shapes",
            f"{node_shapes} SHACL node shapes and {property_shapes} property shapes that every"
            " graph policykg builds is validated with.",
        ),
    ]
    body = ["<ul>"]
    for href, title, text in items:
        body.append(f'<li><a href="{href}">{title}</a>: {escape(text)}</li>')
    body.append("</ul>")
    body.append(
        "<p>Generated by <code>policykg docs -o docs/ontology</code> from"
        " <code>ontology/policykg.ttl</code> and <code>shapes/</code>.</p>"
    )
    return page(
        "policykg vocabulary documentation",
        "The vocabulary of the graphs that policykg builds from curated facts of foreign-policy"
        " articles.",
        body,
        home=True,
    )
