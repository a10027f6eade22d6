"""Validate a graph against policykg's SHACL shapes with pyshacl.

Non-conformance is a returned report, not an exception: the caller decides what it means.
"""

from __future__ import annotations

import collections.abc
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from policykg.namespaces import PKGSH, SH, bind_prefixes
from policykg.rdf.mapping import Origin
from policykg.rdf.ntriples import read_triples
from policykg.resources import shapes_graph
from policykg.validate import patches
from policykg.validate.data_store import ValidationStore
from policykg.validate.patches import QueryCachingGraph
from policykg.validate.readable import readable_ontology
from policykg.validate.targets import shapes_for


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, with the facts file and line its focus node was curated at."""

    focus_node: str
    shape: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"
    origin: str | None = None

    def describe(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return (
            f"{where}{self.severity}: {self.message}{value}\n"
            f"    shape {self.shape}, focus node <{self.focus_node}>{path}"
        )


@dataclass(frozen=True)
class ValidationReport:
    """The verdict of the shapes on a graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    graph: Graph

    def describe(self) -> str:
        if self.conforms:
            return "conforms: the graph satisfies every shape"
        lines = [f"does not conform: {len(self.violations)} result(s)"]
        lines.extend(violation.describe() for violation in self.violations)
        return "\n".join(lines)


def validate_graph(
    data: Graph,
    *,
    origins: Mapping[URIRef, Origin] | None = None,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Validate *data* (merged with the ontology's SKOS schemes) against the shapes.

    *origins* maps nodes to the facts file and line they came from, for the report.
    """
    return report_from(
        shacl_report(data, shapes if shapes is not None else shapes_graph()), origins
    )


def shacl_report(
    data: Graph | bytes, shapes: Graph, *, focus: collections.abc.Collection[str] | None = None
) -> Graph:
    """pyshacl's report graph for *data* (a graph, or N-Triples), merged with the part of the
    ontology that *shapes* can read (:mod:`.readable`), against *shapes*; with *focus*, only the
    nodes with those IRIs are validated (the other nodes of *data* are there for the paths from
    them to follow).

    The shapes run as :func:`batched_shapes` rewrites them (which costs a copy of them, unless
    they came from it), harvested once and only those whose targets can select a node of the
    data (:mod:`.targets`).
    """
    batched = batched_shapes(shapes)
    ontology = readable_ontology(batched)
    triples = read_triples(data) if isinstance(data, bytes) else list(data)
    merged = QueryCachingGraph(store=ValidationStore())
    _add_triples(merged, ontology)
    _add_triples(merged, triples)
    with patches.applied():
        # inplace: *merged* is this call's own copy, so pyshacl need not copy it again (advanced
        # mode would, in case SHACL rules add triples; the shapes have none).
        validator = Validator(
            DataGraph.from_rdflib(merged),
            shacl_graph=batched,
            options={
                "inference": "none",
                "advanced": False,
                "allow_warnings": False,
                "inplace": True,
                "focus_nodes": None if focus is None else sorted(focus),
            },
        )
        validator.shacl_graph = shapes_for(batched, ontology, triples)
        _, report_graph, _ = validator.run()  # type: ignore[no-untyped-call]
    assert isinstance(report_graph, Graph)
    return report_graph


def _add_triples(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    """Add *triples* to *graph*'s store as they are (``Graph.add`` checks each term's type)."""
    add = graph.store.add
    for triple in triples:
        add(triple, graph)


def batched_shapes(shapes: Graph) -> Graph:
    """*shapes*, with the property shapes of targeted node shapes given those node shapes' targets.

    pyshacl validates a property shape listed under a node shape's ``sh:property`` one focus node
    at a time, setting up each of its constraints anew for every one; a property shape with
    targets of its own gets all its focus nodes in one pass. SHACL reports the same results
    either way (focus node, value, path, message and source shape are the property shape's), so
    a property shape is moved from ``sh:property`` to targets of its own wherever that cannot
    change the nodes it sees: its node shape has core targets only (``sh:targetClass``,
    ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``), is not deactivated,
    closed or referenced by another shape; the property shape has no targets and no other
    reference. Returns *shapes* itself when there is nothing to move.
    """
    for given, batched in _BATCHED:
        if shapes is given or shapes is batched:
            return batched
    moves = [
        (node_shape, property_shape)
        for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str)
        if _batchable_node_shape(shapes, node_shape)
        for property_shape in shapes.objects(node_shape, SH.property)
        if _batchable_property_shape(shapes, property_shape)
    ]
    if not moves:
        return shapes
    batched = Graph()
    batched += shapes
    for node_shape, property_shape in moves:
        batched.remove((node_shape, SH.property, property_shape))
        for target in _CORE_TARGETS:
            for value in shapes.objects(node_shape, target):
                batched.add((property_shape, target, value))
    _BATCHED.appendleft((shapes, batched))
    return batched


_BATCHED: deque[tuple[Graph, Graph]] = deque(maxlen=4)
"""The last shapes graphs :func:`batched_shapes` rewrote, with what it made of them: a build
validates every article with the same shapes, so the rewrite is done once, not per article."""


_CORE_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _batchable_node_shape(shapes: Graph, shape: Node) -> bool:
    """Whether the node shape's property shapes see the same focus nodes with its targets.

    Also not when its ``sh:property`` list means more than "validate these": ``sh:closed``
    allows the properties it lists, and ``sh:qualifiedValueShapesDisjoint`` compares a qualified
    value shape with its siblings under the same ``sh:property`` list.
    """
    return (
        any((shape, target, None) in shapes for target in _CORE_TARGETS)
        and not any(
            (shape, parameter, None) in shapes
            for parameter in (SH.target, SH.deactivated, SH.path, SH.closed)
        )
        and (shape, RDF.type, RDFS.Class) not in shapes  # an implicit class target
        and (shape, RDF.type, OWL.Class) not in shapes
        and (None, None, shape) not in shapes
        and not any(
            (property_shape, SH.qualifiedValueShapesDisjoint, None) in shapes
            for property_shape in shapes.objects(shape, SH.property)
        )
    )


def _batchable_property_shape(shapes: Graph, shape: Node) -> bool:
    return not any((shape, target, None) in shapes for target in (*_CORE_TARGETS, SH.target)) and (
        len(set(shapes.subject_predicates(shape))) == 1
    )


def report_from(
    report_graph: Graph, origins: Mapping[URIRef, Origin] | None = None
) -> ValidationReport:
    """A SHACL report graph as a :class:`ValidationReport`, its results sorted."""
    bind_prefixes(report_graph)
    report_graph.bind("sh", SH)
    report_graph.bind("pkgsh", PKGSH)
    conforms = all(value == Literal(True) for value in report_graph.objects(None, SH.conforms))
    violations = tuple(sorted(_violations(report_graph, origins or {})))
    return ValidationReport(conforms, violations, report_graph)


def path_text(report: Graph, path: Node | None) -> str:
    """A result path as text: an IRI, or SHACL's sequence, inverse and alternative paths as
    ``(a b)``, ``^a`` and ``(a | b)``.

    Blank-node paths are rendered from their structure, so the text does not change between runs.
    """
    if path is None:
        return ""
    if isinstance(path, BNode):
        if (path, RDF.first, None) in report:
            return (
                "(" + " ".join(path_text(report, step) for step in Collection(report, path)) + ")"
            )
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + path_text(report, inverse)
        alternatives = report.value(path, SH.alternativePath)
        if alternatives is not None:
            steps = Collection(report, alternatives)
            return "(" + " | ".join(path_text(report, step) for step in steps) + ")"
        return "(a complex path)"
    return str(path)


def _violations(report: Graph, origins: Mapping[URIRef, Origin]) -> list[Violation]:
    found = []
    for result in report.subjects(predicate=SH.focusNode):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        origin = origins.get(focus) if isinstance(focus, URIRef) else None
        found.append(
            Violation(
                focus_node=str(focus),
                shape=_shape_name(report, shape),
                message=_message(report, result, shape),
                path=path_text(report, report.value(result, SH.resultPath)),
                value=_text(report.value(result, SH.value)),
                severity=_text(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                origin=str(origin) if origin else None,
            )
        )
    return found


def _message(report: Graph, result: Node, shape: Node | None) -> str:
    """The result's message; of several, the constraint's own rather than its node shape's.

    pyshacl gives a SPARQL constraint's result both its message and the node shape's.
    """
    messages = sorted({str(m) for m in report.objects(result, SH.resultMessage)})
    if len(messages) > 1 and shape is not None:
        generic = {str(m) for m in shapes_graph().objects(shape, SH.message)}
        messages = [m for m in messages if m not in generic] or messages
    return messages[0] if messages else "(no message)"


def _shape_name(report: Graph, shape: Node | None) -> str:
    if isinstance(shape, URIRef):
        return report.namespace_manager.normalizeUri(shape)
    return "(an anonymous property shape)"


def _text(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    return str(node)
