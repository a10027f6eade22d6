"""The store of a graph under validation: SimpleMemory with its size kept, which pyshacl accepts."""

from __future__ import annotations

import pyshacl
from rdflib import RDF, Graph, Literal, Namespace

from policykg.validate.data_store import ValidationStore

EX = Namespace("https://example.org/")


def test_its_size_counts_each_triple_once_through_adds_and_removals() -> None:
    graph = Graph(store=ValidationStore())
    assert len(graph) == 0 and not graph
    graph.add((EX.a, EX.p, Literal(1)))
    graph.add((EX.a, EX.p, Literal(1)))
    graph.add((EX.a, EX.p, Literal(2)))
    graph.add((EX.b, EX.p, EX.a))
    assert len(graph) == 3 and graph
    assert len(graph) == len(list(graph))
    graph.remove((EX.a, EX.p, None))
    assert len(graph) == 1
    assert set(graph) == {(EX.b, EX.p, EX.a)}
    graph.remove((EX.zzz, None, None))
    assert len(graph) == 1


def test_pyshacl_validates_a_graph_in_it_as_in_rdflibs_default_store() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ] ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/q> ?x }" ] .
        """,
        format="turtle",
    )
    triples = [(EX.a, RDF.type, EX.C), (EX.b, RDF.type, EX.C), (EX.b, EX.p, Literal(1))]
    triples.append((EX.b, EX.q, Literal(2)))
    verdicts = []
    for store in (ValidationStore(), "default"):
        data = Graph(store=store)
        for triple in triples:
            data.add(triple)
        # inplace: pyshacl validates this graph, not a copy of it in a store of its own
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inplace=True)
        focus = sorted(report.objects(None, pyshacl.consts.SH_focusNode))
        verdicts.append((conforms, focus))
    assert verdicts[0] == verdicts[1] == (False, [EX.a, EX.b])
