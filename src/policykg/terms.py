"""pyoxigraph's terms and triples as rdflib's, for every part of policykg that parses RDF with
pyoxigraph and hands the result to rdflib (and so to pyshacl): the shipped ontology and shapes,
outputs read back, policykg's own N-Triples lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A term of a triple as pyoxigraph gives it."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """An rdflib graph of pyoxigraph's *triples* (blank nodes keep their labels)."""
    graph = Graph()
    add = graph.store.add
    made: dict[Term, Node] = {}

    def term(value: Term) -> Node:
        found = made.get(value)
        if found is None:
            found = made[value] = rdflib_term(value)
        return found

    for triple in triples:
        subject, predicate, value = cast(tuple[Term, Term, Term], tuple(triple))
        add((term(subject), term(predicate), term(value)), graph)
    return graph


def rdflib_term(term: Term) -> Node:
    """pyoxigraph's *term* as rdflib makes it when it parses the same text. Raises ``TypeError``
    for an RDF 1.2 triple term, which rdflib cannot hold."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise TypeError(f"rdflib has no triple terms: {term}")
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
