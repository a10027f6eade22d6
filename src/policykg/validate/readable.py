"""The part of the ontology that a shapes graph can read, merged into every graph it validates.

Validation adds the ontology (its SKOS schemes above all) to each data graph, once per document
of a build, and copying a triple into rdflib's store is the costly part. A shape reaches a triple
of the data graph only through an IRI it names: a path, a target, a value, or an IRI in the text
of a SPARQL query. So the triples whose predicate the shapes name, with ``rdf:type`` and
``rdfs:subClassOf`` (SHACL finds the instances of a class through them), are all a validation can
read; definitions, hidden labels, comments and other annotations for people are left out. When a
SPARQL query has a variable or a negated path in predicate position, or a shape is closed (it
reports every other predicate), any triple could matter, and the whole ontology is used.

Finding a query's IRIs takes parsing it, which costs most of a fresh worker's first validation;
so what the shipped shapes' queries name is worked out when the shapes change and shipped with
them (``data/shape-queries.json``, written by :func:`write_shipped_queries`, checked by
``tests/test_readable.py``). Other shapes' queries are parsed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from policykg.namespaces import SH
from policykg.resources import data_path, ontology_graph, shapes_graph

Triple = tuple[Node, Node, Node]


def readable_ontology(shapes: Graph) -> tuple[Triple, ...]:
    """The ontology's triples that *shapes* can read (all of them if a query could read any)."""
    for given, triples in _READABLE:
        if given is shapes:
            return triples
    ontology = _ontology_triples()
    names = readable_predicates(shapes)
    triples = ontology if names is None else tuple(t for t in ontology if t[1] in names)
    _READABLE.appendleft((shapes, triples))
    return triples


_READABLE: deque[tuple[Graph, tuple[Triple, ...]]] = deque(maxlen=4)
"""The last shapes graphs asked about, with their part of the ontology: a build validates every
article with the same shapes graph."""


@cache
def _ontology_triples() -> tuple[Triple, ...]:
    return tuple(ontology_graph())


def readable_predicates(shapes: Graph) -> frozenset[URIRef] | None:
    """Every IRI *shapes* name, in their triples or their SPARQL queries, with ``rdf:type`` and
    ``rdfs:subClassOf``; ``None`` if a SPARQL query has a variable or a negated path in predicate
    position, or a shape is closed."""
    if (None, SH.closed, Literal(True)) in shapes:
        return None
    names = {term for triple in shapes for term in triple if isinstance(term, URIRef)}
    names |= {URIRef(str(RDF.type)), URIRef(str(RDFS.subClassOf))}
    for constraint, text in _queries(shapes):
        prefixes = _prefixes(shapes, constraint)
        found = query_iris(text, prefixes)
        if found is None:
            return None
        names |= found
    return frozenset(names)


def query_iris(text: str, prefixes: Mapping[str, str]) -> frozenset[URIRef] | None:
    """The IRIs the query *text* (with *prefixes*) names, or ``None`` if a triple pattern of it
    could match any predicate: from the shipped table for a shipped shape's query, else parsed."""
    shipped, key = _shipped_queries(), _query_key(text, prefixes)
    if key not in shipped:
        return parsed_query_iris(text, prefixes)
    known = shipped[key]
    return None if known is None else frozenset(map(URIRef, known))


def parsed_query_iris(text: str, prefixes: Mapping[str, str]) -> frozenset[URIRef] | None:
    """:func:`query_iris`, found by parsing the query."""
    found = _iris(prepareQuery(text, initNs=dict(prefixes)).algebra)
    return None if found is None else frozenset(found)


def query_table(shapes: Graph) -> dict[str, list[str] | None]:
    """What each SPARQL query of *shapes* names (sorted IRIs, or ``None`` for any predicate),
    by :func:`_query_key`: the content of ``data/shape-queries.json`` for the shipped shapes."""
    table: dict[str, list[str] | None] = {}
    for constraint, text in _queries(shapes):
        prefixes = _prefixes(shapes, constraint)
        found = parsed_query_iris(text, prefixes)
        table[_query_key(text, prefixes)] = None if found is None else sorted(map(str, found))
    return dict(sorted(table.items()))


def _prefixes(shapes: Graph, constraint: Node) -> dict[str, str]:
    return {
        str(shapes.value(declaration, SH.prefix)): str(shapes.value(declaration, SH.namespace))
        for source in shapes.objects(constraint, SH.prefixes)
        for declaration in shapes.objects(source, SH.declare)
    }


def _query_key(text: str, prefixes: Mapping[str, str]) -> str:
    declared = "".join(f"{name}\0{iri}\0" for name, iri in sorted(prefixes.items()))
    return hashlib.sha256(f"{declared}\0{text}".encode()).hexdigest()


@cache
def _shipped_queries() -> dict[str, list[str] | None]:
    table: dict[str, list[str] | None] = json.loads(
        data_path(SHIPPED_QUERIES).read_text(encoding="utf-8")
    )
    return table


SHIPPED_QUERIES = "shape-queries.json"


def _queries(shapes: Graph) -> Iterator[tuple[Node, str]]:
    for predicate in (SH.select, SH.ask):
        for constraint, text in shapes.subject_objects(predicate):
            yield constraint, str(text)


def _iris(algebra: Any) -> set[URIRef] | None:
    """The IRIs of a query's algebra, or ``None`` if a triple pattern could match any predicate."""
    found: set[URIRef] = set()
    pending: list[Any] = [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "BGP" and any(_any_predicate(t[1]) for t in node.triples):
                return None
            pending.extend(node.values())
        elif isinstance(node, Path):
            if isinstance(node, NegatedPath):
                return None
            pending.extend(_path_parts(node))
        elif isinstance(node, URIRef):
            found.add(node)
        elif isinstance(node, (list, tuple, set)):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    return found


def _any_predicate(predicate: Any) -> bool:
    return isinstance(predicate, (Variable, NegatedPath))


def _path_parts(path: Path) -> Iterable[Any]:
    """The steps of a property path (sequence, alternative, inverse, repeated)."""
    for attribute in ("args", "arg", "path"):
        value = getattr(path, attribute, None)
        if value is not None:
            yield value


def write_shipped_queries() -> None:
    """Write ``data/shape-queries.json`` for the shipped shapes."""
    table = query_table(shapes_graph())
    text = json.dumps(table, indent=1, sort_keys=True) + "\n"
    data_path(SHIPPED_QUERIES).write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {len(table)} queries to data/{SHIPPED_QUERIES}\n")
