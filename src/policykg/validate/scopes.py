"""The shapes split by where they are evaluated, and reports merged from several validations.

The shapes file gives every node shape a ``pkgsh:scope``: ``pkgsh:PerDocument`` shapes need only one
document's graph (plus the ontology and the registry nodes it reaches); ``pkgsh:CrossDocument``
shapes need the corpus. :mod:`policykg.build.corpus` puts the two together.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.errors import ResourceError
from policykg.namespaces import PKGSH, SH
from policykg.resources import shapes_graph
from policykg.validate.shacl import path_text

PER_DOCUMENT = PKGSH.PerDocument
CROSS_DOCUMENT = PKGSH.CrossDocument


def scoped_shapes() -> tuple[Graph, Graph]:
    """The shipped shapes split by ``pkgsh:scope``: (per-document, cross-document).

    Split anew on each call (a few milliseconds), so that the two hold whatever the shipped
    graph holds now: pyshacl adds triples of its own to a shapes graph it is given.
    """
    return split_shapes(shapes_graph())


def shipped_shapes_of(scope: URIRef) -> Graph:
    """The shipped shapes of one ``pkgsh:scope`` (see :func:`scoped_shapes`)."""
    shapes = shapes_graph()
    return select_shapes(shapes, node_shapes_by_scope(shapes)[scope])


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """Split *shapes* into (per-document, cross-document) shapes graphs by ``pkgsh:scope``.

    A node shape takes along everything it references: its property shapes, SPARQL constraints
    and the blank nodes of its lists and paths. Raises :class:`~policykg.errors.ResourceError`
    for a node shape without a scope.
    """
    scoped = node_shapes_by_scope(shapes)
    per_document = select_shapes(shapes, scoped[PER_DOCUMENT])
    cross_document = select_shapes(shapes, scoped[CROSS_DOCUMENT])
    return per_document, cross_document


def node_shapes_by_scope(shapes: Graph) -> dict[URIRef, list[Node]]:
    """The node shapes of *shapes* by ``pkgsh:scope``, each scope's in IRI order. Raises
    :class:`~policykg.errors.ResourceError` for a node shape without a scope."""
    scoped: dict[URIRef, list[Node]] = {PER_DOCUMENT: [], CROSS_DOCUMENT: []}
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        scope = shapes.value(shape, PKGSH.scope)
        if not isinstance(scope, URIRef) or scope not in scoped:
            raise ResourceError(
                f"the node shape {shape} has no pkgsh:scope (pkgsh:PerDocument or"
                " pkgsh:CrossDocument): say where it is evaluated"
            )
        scoped[scope].append(shape)
    return scoped


def select_shapes(shapes: Graph, node_shapes: Iterable[Node]) -> Graph:
    """A shapes graph with only *node_shapes* of *shapes*, and all they reference.

    That is their property shapes, SPARQL constraints and the blank nodes of their lists and
    paths, and every triple of *shapes* that belongs to no node shape (the ``sh:declare``
    prefixes of the shapes graph's own IRI, the scope vocabulary).
    """
    selected = Graph()
    for shape in node_shapes:
        _copy_closure(shapes, shape, selected, shapes)
    owned = set()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        owned |= _closure(shapes, shape, shapes)
    for triple in shapes:
        if triple[0] not in owned:
            selected.add(triple)
    return selected


def merge_reports(reports: Iterable[Graph]) -> Graph:
    """One SHACL report with the results of *reports*, as validating the union would give them.

    A result found in two units (a shared node described the same way in two documents) is kept
    once. A result that one unit found twice is kept twice: two results a report cannot tell
    apart, such as those of a property shape with two ``sh:hasValue`` that both fail.
    """
    merged = Graph()
    report_node = URIRef("urn:policykg:validation-report")
    merged.add((report_node, RDF.type, SH.ValidationReport))
    conforms = True
    kept: dict[tuple[str, ...], int] = {}
    for report in reports:
        conforms &= all(value == Literal(True) for value in report.objects(None, SH.conforms))
        found: dict[tuple[str, ...], int] = {}
        for result in sorted(report.objects(None, SH.result), key=lambda r: _key(report, r)):
            key = _key(report, result)
            found[key] = found.get(key, 0) + 1
            if found[key] <= kept.get(key, 0):
                continue
            kept[key] = found[key]
            merged.add((report_node, SH.result, result))
            _copy_closure(report, result, merged, report)
    merged.add((report_node, SH.conforms, Literal(conforms)))
    return merged


def _key(report: Graph, result: Node) -> tuple[str, ...]:
    """What makes a result the same result wherever it was found.

    Blank nodes of the shapes count as one ("(blank node)"): each validation has its own labels
    for them. A focus node or value that is a blank node of the data keeps its label: results on
    two such nodes are two results (units read from one file agree on the labels).
    """

    def text(predicate: URIRef, *, data: bool = False) -> str:
        value = report.value(result, predicate)
        if value is None or (isinstance(value, BNode) and not data):
            return "(blank node)"
        return value.n3()

    return (
        text(SH.focusNode, data=True),
        text(SH.sourceShape),
        text(SH.sourceConstraintComponent),
        text(SH.sourceConstraint),
        path_text(report, report.value(result, SH.resultPath)),
        text(SH.value, data=True),
        " | ".join(sorted(m.n3() for m in report.objects(result, SH.resultMessage))),
        text(SH.resultSeverity),
    )


def _copy_closure(source: Graph, start: Node, target: Graph, shapes: Graph) -> None:
    """Copy *start*'s triples and those of the blank nodes and shape IRIs it leads to."""
    for node in _closure(source, start, shapes):
        for predicate, value in source.predicate_objects(node):
            target.add((node, predicate, value))


def _closure(source: Graph, start: Node, shapes: Graph) -> set[Node]:
    """*start* and the blank nodes and shape IRIs it leads to in *source*."""
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in source.predicate_objects(node):
            if predicate != PKGSH.scope and _followed(value, shapes):
                todo.append(value)
    return seen


def _followed(value: Node, shapes: Graph) -> bool:
    """Blank nodes and pkgsh: IRIs other than node shapes (which have their own scope)."""
    if isinstance(value, BNode):
        return True
    return (
        isinstance(value, URIRef)
        and value.startswith(str(PKGSH))
        and (value, RDF.type, SH.NodeShape) not in shapes
    )
