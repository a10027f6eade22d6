"""Built named graphs as the in-memory objects of the RDF libraries: a pyoxigraph ``Store`` and an
rdflib ``Dataset``.

Each graph's lines are read once, by pyoxigraph's strict N-Triples parser, into terms; the store and
the dataset are filled from those terms. Nothing is serialized to an RDF syntax and parsed again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from policykg.namespaces import bind_prefixes
from policykg.rdf.serialization import NamedGraph
from policykg.terms import rdflib_term


def quads(graphs: Sequence[NamedGraph]) -> Iterator[ox.Quad]:
    """The triples of *graphs* as pyoxigraph quads in their named graphs, graph by graph in IRI
    order."""
    for graph in _in_iri_order(graphs):
        name = ox.NamedNode(graph.graph_iri)
        for parsed in _parsed(graph):
            yield ox.Quad(parsed.subject, parsed.predicate, parsed.object, name)


def oxigraph_store(graphs: Sequence[NamedGraph]) -> ox.Store:
    """A new in-memory pyoxigraph store holding *graphs*, one named graph each."""
    store = ox.Store()
    store.bulk_extend(quads(graphs))
    return store


def rdflib_dataset(graphs: Sequence[NamedGraph]) -> Dataset:
    """A new rdflib dataset holding *graphs*, one named graph each, with policykg's prefixes bound.

    Its default graph is the union of the named graphs (``default_union``), so SPARQL questions
    asked of it need no ``GRAPH``, as with ``policykg query``.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for graph in _in_iri_order(graphs):
        context = dataset.graph(URIRef(graph.graph_iri))
        dataset.addN(
            (
                rdflib_term(parsed.subject),
                rdflib_term(parsed.predicate),
                rdflib_term(parsed.object),
                context,
            )
            for parsed in _parsed(graph)
        )
    return dataset


def _in_iri_order(graphs: Sequence[NamedGraph]) -> list[NamedGraph]:
    return sorted(graphs, key=lambda named: named.graph_iri)


def _parsed(graph: NamedGraph) -> Iterator[ox.Quad]:
    """The triples of *graph*, each in pyoxigraph's default graph, read by its strict parser."""
    return iter(ox.parse(input=graph.ntriples, format=ox.RdfFormat.N_TRIPLES))
