"""The shapes a validation runs: pyshacl's harvest of a shapes graph, made once and kept, and of
its shapes only those whose targets can select a node of the data graph.

pyshacl builds its ``Shape`` objects from the shapes graph at every ``validate`` call, and then
works out the focus nodes of every shape with targets, most of which, in one article's graph,
select nothing (its class or predicate does not occur there). A build validates thousands of
articles with one shapes graph, so the harvest is done once (:func:`harvested`), and each
validation leaves out the shapes whose targets cannot match (:func:`shapes_for`). The verdict is
the same: a shape left out has no focus node, and pyshacl does nothing with such a shape.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, Graph
from rdflib.term import Node

from policykg.namespaces import SH

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class _Targets:
    """What a shape's targets can select: any data at all (``always``: ``sh:targetNode`` names
    nodes whether the data has them or not; SPARQL-based targets are opaque), instances of
    ``classes``, or subjects or objects of ``predicates``."""

    always: bool
    classes: frozenset[Node]
    predicates: frozenset[Node]


@dataclass(frozen=True)
class _Harvest:
    shapes: ShapesGraph
    targets: dict[Node, _Targets]
    superclasses: dict[Node, frozenset[Node]]
    predicates: frozenset[Node]
    """The predicates of the ontology's triples."""
    classes: frozenset[Node]
    """The classes of the ontology's nodes, and their superclasses."""


def harvested(shapes: Graph, ontology: Iterable[Triple]) -> ShapesGraph:
    """pyshacl's ``ShapesGraph`` of *shapes*, its shapes harvested once and kept for the next call
    with the same graph and *ontology* (the triples every validation merges into the data)."""
    return _harvest(shapes, ontology).shapes


def shapes_for(shapes: Graph, ontology: Iterable[Triple], data: Iterable[Triple]) -> ShapesGraph:
    """The harvest of *shapes* (see :func:`harvested`) with only the shapes whose targets can
    select a node of *ontology* and *data* merged (shapes without targets are reached only from
    other shapes, which find them in the full harvest). Every shape stays when *data* declares
    classes of its own, or when none would."""
    harvest = _harvest(shapes, ontology)
    predicates, types = _predicates_and_types(data)
    if RDFS.subClassOf in predicates:
        return harvest.shapes
    predicates |= harvest.predicates
    classes = types | harvest.classes
    for type_ in types:
        classes.update(harvest.superclasses.get(type_, ()))
    kept = {
        node: shape
        for node, shape in harvest.shapes._node_shape_cache.items()
        if _may_select(harvest.targets[node], classes, predicates)
    }
    if not kept:
        return harvest.shapes  # pyshacl would harvest anew a shapes graph with no shapes
    subset = copy.copy(harvest.shapes)
    subset._node_shape_cache = kept
    return subset


def _may_select(targets: _Targets, classes: set[Node], predicates: set[Node]) -> bool:
    if targets.always:
        return True
    if not targets.classes and not targets.predicates:
        return False  # no targets: it validates only the nodes other shapes hand it
    return bool(targets.classes & classes) or bool(targets.predicates & predicates)


def _harvest(shapes: Graph, ontology: Iterable[Triple]) -> _Harvest:
    ontology = tuple(ontology)  # the same object when it is a tuple already, as validation's is
    for given, given_ontology, harvest in _HARVESTS:
        if given is shapes and given_ontology is ontology:
            return harvest
    harvest_graph = ShapesGraph(shapes)
    harvest_graph.shapes  # noqa: B018 (the property harvests the shapes)
    superclasses = _superclasses(ontology)
    predicates, types = _predicates_and_types(ontology)
    classes = set(types)
    for type_ in types:
        classes.update(superclasses.get(type_, ()))
    harvest = _Harvest(
        harvest_graph,
        {node: _targets(shape) for node, shape in harvest_graph._node_shape_cache.items()},
        superclasses,
        frozenset(predicates),
        frozenset(classes),
    )
    _HARVESTS.appendleft((shapes, ontology, harvest))
    return harvest


_HARVESTS: deque[tuple[Graph, tuple[Triple, ...], _Harvest]] = deque(maxlen=4)
"""The last shapes graphs harvested, with the ontology triples they were harvested for: a build
validates every article with the same ones."""


def _predicates_and_types(triples: Iterable[Triple]) -> tuple[set[Node], set[Node]]:
    predicates: set[Node] = set()
    types: set[Node] = set()
    for _, predicate, value in triples:
        predicates.add(predicate)
        if predicate == RDF.type:
            types.add(value)
    return predicates, types


def _targets(shape: object) -> _Targets:
    nodes, classes, implicit, objects_of, subjects_of = shape.target()  # type: ignore[attr-defined]
    sparql_target = (shape.node, SH.target, None) in shape.sg.graph  # type: ignore[attr-defined]
    return _Targets(
        always=bool(list(nodes)) or sparql_target,
        classes=frozenset((*classes, *implicit)),
        predicates=frozenset((*objects_of, *subjects_of)),
    )


def _superclasses(ontology: Iterable[Triple]) -> dict[Node, frozenset[Node]]:
    """Each class of *ontology* with the classes it is a subclass of, directly or not."""
    direct: dict[Node, set[Node]] = {}
    for subject, predicate, value in ontology:
        if predicate == RDFS.subClassOf:
            direct.setdefault(subject, set()).add(value)
    closed: dict[Node, frozenset[Node]] = {}
    for start in direct:
        seen: set[Node] = set()
        todo = list(direct[start])
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(direct.get(current, ()))
        closed[start] = frozenset(seen)
    return closed
