"""Validation harvests the shapes once and runs only those whose targets can select a node of the
data (policykg.validate.targets): the results must be pyshacl's own, shape for shape."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import PROV, RDF, RDFS, Graph, Namespace, URIRef

from policykg.namespaces import PKG, PKGSH
from policykg.resources import shapes_graph
from policykg.validate.readable import readable_ontology
from policykg.validate.shacl import batched_shapes, shacl_report
from policykg.validate.targets import harvested, shapes_for
from test_shapes import example_cases, result_keys

EXAMPLES = Path(__file__).parent / "shape_examples"
DATA = Namespace("https://example.org/")


@pytest.fixture(scope="module")
def batched() -> Graph:
    return batched_shapes(shapes_graph())


def merged_with_ontology(data: Graph, shapes: Graph) -> Graph:
    merged = Graph()
    for triple in readable_ontology(shapes):
        merged.add(triple)
    merged += data
    return merged


@pytest.mark.parametrize(("shape_name", "half"), example_cases())
def test_running_only_the_shapes_that_can_select_changes_no_result(
    batched: Graph, shape_name: str, half: str
) -> None:
    data = Graph().parse(EXAMPLES / shape_name / f"{half}.ttl")
    _, plain, _ = pyshacl.validate(
        merged_with_ontology(data, batched),
        shacl_graph=batched,
        inference="none",
        allow_warnings=False,
    )
    assert isinstance(plain, Graph)
    expected = result_keys(plain)
    assert bool(expected) == (half != "valid"), "the example no longer shows what it is for"
    assert result_keys(shacl_report(data, batched)) == expected


def test_the_shapes_left_out_select_nothing_and_some_are_left_out(batched: Graph) -> None:
    data = Graph().parse(EXAMPLES / "ClaimShape" / "valid.ttl")
    ontology = readable_ontology(batched)
    every = harvested(batched, ontology).shapes
    kept = shapes_for(batched, ontology, data).shapes
    left_out = [shape for shape in every if shape not in kept]
    assert left_out, "an article's data should leave out the shapes of classes it lacks"
    merged = merged_with_ontology(data, batched)
    selecting = [shape.node for shape in left_out if shape.focus_nodes(merged)]
    assert selecting == []
    assert any(shape.focus_nodes(merged) for shape in kept)


def test_a_shape_is_kept_for_an_instance_of_a_subclass_of_its_target(batched: Graph) -> None:
    ontology = readable_ontology(batched)
    subclass_of_claim = next(
        subclass
        for subclass, _, parent in ontology
        if _ == RDFS.subClassOf and parent == PKG.Claim and isinstance(subclass, URIRef)
    )
    data = Graph()
    data.add((DATA.claim, RDF.type, subclass_of_claim))
    kept = {shape.node for shape in shapes_for(batched, ontology, data).shapes}
    assert PKGSH.ClaimShape in kept
    actor_only = Graph()
    actor_only.add((DATA.actor, RDF.type, PROV.Agent))
    without = {shape.node for shape in shapes_for(batched, ontology, actor_only).shapes}
    assert PKGSH.ClaimShape not in without
    assert PKGSH.ActorShape in without


def test_data_that_declares_subclasses_keeps_every_shape(batched: Graph) -> None:
    ontology = readable_ontology(batched)
    data = Graph()
    data.add((DATA.Special, RDFS.subClassOf, PKG.Claim))
    data.add((DATA.claim, RDF.type, DATA.Special))
    every = harvested(batched, ontology)
    assert shapes_for(batched, ontology, data) is every


def test_the_harvest_is_made_once_per_shapes_graph(batched: Graph) -> None:
    ontology = readable_ontology(batched)
    assert harvested(batched, ontology) is harvested(batched, ontology)
    other = Graph()
    other += batched
    assert harvested(other, ontology) is not harvested(batched, ontology)
    assert harvested(batched, ontology[:-1]) is not harvested(batched, ontology)
