"""Validation merges only the part of the ontology the shapes can read: the same results as with
the whole ontology, on every shape example, with fewer triples to copy per document."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH, SKOS

from policykg.facts.grounding import ground_facts
from policykg.facts.loader import load_facts, load_registry
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.mapping import map_facts, map_registry
from policykg.resources import data_path, ontology_graph, shapes_graph
from policykg.validate import readable
from policykg.validate.readable import (
    SHIPPED_QUERIES,
    query_table,
    readable_ontology,
    readable_predicates,
)
from policykg.validate.shacl import batched_shapes, path_text, shacl_report

EXAMPLES = Path(__file__).parent / "shape_examples"
CASES = sorted(EXAMPLES.glob("*/*.ttl"))


def _keys(report: Graph) -> list[tuple[str, ...]]:
    keys = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        fields = (SH.focusNode, SH.sourceShape, SH.sourceConstraint, SH.value)
        messages = " | ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
        path = path_text(report, report.value(result, SH.resultPath))
        keys.append((*(str(report.value(result, f)) for f in fields), path, messages))
    return sorted(keys)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}-{c.stem}" for c in CASES])
def test_the_readable_ontology_gives_the_whole_ontologys_results(case: Path) -> None:
    shapes = batched_shapes(shapes_graph())
    data = Graph().parse(case)
    whole = Graph()
    for triple in ontology_graph():
        whole.add(triple)
    for triple in data:
        whole.add(triple)
    _, expected, _ = pyshacl.validate(whole, shacl_graph=shapes, inference="none")
    assert isinstance(expected, Graph)
    assert _keys(shacl_report(data, shapes)) == _keys(expected)


def test_annotations_for_people_are_left_out() -> None:
    triples = readable_ontology(batched_shapes(shapes_graph()))
    predicates = {triple[1] for triple in triples}
    assert SKOS.inScheme in predicates and SKOS.prefLabel in predicates and RDF.type in predicates
    assert SKOS.definition not in predicates and SKOS.hiddenLabel not in predicates
    assert len(triples) < len(ontology_graph())


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:sparql [ sh:select "{query}" ] .
"""


@pytest.mark.parametrize(
    ("query", "reads_all"),
    [
        (
            "SELECT $this WHERE {{ $this <https://example.org/p>/<https://example.org/q> ?x }}",
            False,
        ),
        ("SELECT $this WHERE {{ $this ?anything ?x }}", True),
        ("SELECT $this WHERE {{ $this !<https://example.org/p> ?x }}", True),
    ],
)
def test_a_query_that_could_read_any_predicate_gets_the_whole_ontology(
    query: str, reads_all: bool
) -> None:
    shapes = Graph().parse(data=SHAPES.format(query=query), format="turtle")
    names = readable_predicates(shapes)
    if reads_all:
        assert names is None
        assert len(readable_ontology(shapes)) == len(ontology_graph())
    else:
        assert names is not None
        assert {URIRef("https://example.org/p"), URIRef("https://example.org/q")} <= names


def test_a_closed_shape_gets_the_whole_ontology() -> None:
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ; sh:closed true .\n",
        format="turtle",
    )
    assert readable_predicates(shapes) is None


def test_concept_checks_read_the_schemes_from_the_ontology() -> None:
    """Built facts carry no concept triples of their own: the SKOS shapes read the ontology's."""
    corpus = Path(__file__).parent / "data" / "factuality"
    registry = load_registry([corpus / "registry.yaml"])
    facts = load_facts(corpus / "brookings" / "facts.yaml", registry)
    data = map_facts(facts, ground_facts(facts), DEFAULT_BASE).graph
    for triple in map_registry(registry, DEFAULT_BASE).graph:  # the shared actors' own triples
        data.add(triple)
    stance = URIRef("https://w3id.org/policykg/data/stance/brookings-2015/khamenei-doubts-deal")
    data.set(
        (
            stance,
            URIRef("https://w3id.org/policykg/ns#polarity"),
            URIRef("https://w3id.org/policykg/polarity/doubts"),
        )
    )
    shapes = batched_shapes(shapes_graph())
    whole = Graph()
    for triple in (*ontology_graph(), *data):
        whole.add(triple)
    _, expected, _ = pyshacl.validate(whole, shacl_graph=shapes, inference="none")
    assert isinstance(expected, Graph)
    found = _keys(shacl_report(data, shapes))
    assert found == _keys(expected)
    assert {key[1].rsplit("#", 1)[-1] for key in found} == {
        "PolarityConcept-inScheme",
        "PolarityConcept-prefLabel",
    }


def test_the_shipped_query_table_is_that_of_the_shipped_shapes() -> None:
    """data/shape-queries.json holds what each query of the shapes names, as parsing finds it; if
    this fails after a change of the shapes, write it again with
    ``python -c "from policykg.validate.readable import write_shipped_queries as w; w()"``."""
    shipped = json.loads(data_path(SHIPPED_QUERIES).read_text(encoding="utf-8"))
    assert shipped == query_table(shapes_graph())
    assert len(shipped) == len(list(shapes_graph().objects(None, SH.select))) + len(
        list(shapes_graph().objects(None, SH.ask))
    )


def test_the_table_gives_what_parsing_gives_and_is_not_needed_for_other_shapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shapes = batched_shapes(shapes_graph())
    with_table = readable_predicates(shapes)
    monkeypatch.setattr(readable, "_shipped_queries", dict)
    assert readable_predicates(shapes) == with_table
    query = "SELECT $this WHERE { $this <https://example.org/q> ?x }"
    other = Graph().parse(data=SHAPES.format(query=query), format="turtle")
    assert URIRef("https://example.org/q") in (readable_predicates(other) or ())
