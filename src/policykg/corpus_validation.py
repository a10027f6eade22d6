"""Stage 4 for a corpus: per-document shapes on each document, on all cores; the rest once.

The shapes file gives every node shape a ``pkgsh:scope``: ``pkgsh:PerDocument`` shapes need only one
document's graph (plus the ontology), so each document is validated on its own, in a process pool;
``pkgsh:CrossDocument`` shapes run once over the union of all documents. The merged report has the
same results as validating the union against all shapes at once (the tests compare them).

One refinement keeps that promise when documents share nodes (actors, events and tenures have
document-independent IRIs): documents that describe a shared node with different triples (two
dates for one event, two names for one actor) are validated together, as one unit, because a
per-document shape can see the difference only in their union.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.errors import ResourceError
from policykg.mapping import Origin
from policykg.namespaces import PKGSH, SH
from policykg.resources import shapes_graph
from policykg.validation import (
    ValidationReport,
    batched_shapes,
    path_text,
    report_from,
    shacl_report,
)

PER_DOCUMENT = PKGSH.PerDocument
CROSS_DOCUMENT = PKGSH.CrossDocument

Progress = Callable[[int, int], None]
"""Called with (units validated, units in all) as per-document validation goes."""


def validate_corpus(
    graphs: Sequence[Graph],
    *,
    origins: Mapping[URIRef, Origin] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate document graphs: per-document shapes on each, in a pool; cross-document ones once.

    *jobs* is the number of processes (default: all cores; 1 validates in this process). The
    ontology is added to every data graph, as :func:`~policykg.validation.validate_graph` does.
    """
    # Batched once here, not again for each unit (shacl_report leaves batched shapes as they are).
    per_document, cross_document = (batched_shapes(shapes) for shapes in scoped_shapes())
    units = [
        graphs[unit[0]] if len(unit) == 1 else _union(graphs[i] for i in unit)
        for unit in validation_units(graphs)
    ]
    reports = _per_document_reports(units, per_document, jobs or os.cpu_count() or 1, progress)
    reports.append(shacl_report(_union(graphs), cross_document))
    return report_from(merge_reports(reports), origins)


def scoped_shapes() -> tuple[Graph, Graph]:
    """The shipped shapes split by ``pkgsh:scope``: (per-document, cross-document).

    Split anew on each call (a few milliseconds), so that the two hold whatever the shipped
    graph holds now: pyshacl adds triples of its own to a shapes graph it is given.
    """
    return split_shapes(shapes_graph())


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """Split *shapes* into (per-document, cross-document) shapes graphs by ``pkgsh:scope``.

    A node shape takes along everything it references: its property shapes, SPARQL constraints
    and the blank nodes of its lists and paths. Raises :class:`~policykg.errors.ResourceError`
    for a node shape without a scope.
    """
    scoped: dict[URIRef, list[Node]] = {PER_DOCUMENT: [], CROSS_DOCUMENT: []}
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        scope = shapes.value(shape, PKGSH.scope)
        if not isinstance(scope, URIRef) or scope not in scoped:
            raise ResourceError(
                f"the node shape {shape} has no pkgsh:scope (pkgsh:PerDocument or"
                " pkgsh:CrossDocument): say where it is evaluated"
            )
        scoped[scope].append(shape)
    per_document = select_shapes(shapes, scoped[PER_DOCUMENT])
    cross_document = select_shapes(shapes, scoped[CROSS_DOCUMENT])
    return per_document, cross_document


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


def validation_units(graphs: Sequence[Graph]) -> list[list[int]]:
    """The documents (indexes into *graphs*) to validate together, sorted.

    Each document is its own unit, unless it describes a node that another document describes
    with different triples: then the two share a unit.
    """
    parent = list(range(len(graphs)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    holders: dict[Node, list[int]] = {}
    for index, graph in enumerate(graphs):
        for subject in set(graph.subjects()):
            holders.setdefault(subject, []).append(index)
    for subject, indexes in holders.items():
        if len(indexes) < 2:
            continue
        first = set(graphs[indexes[0]].predicate_objects(subject))
        for other in indexes[1:]:
            if set(graphs[other].predicate_objects(subject)) != first:
                parent[root(other)] = root(indexes[0])
    units: dict[int, list[int]] = {}
    for index in range(len(graphs)):
        units.setdefault(root(index), []).append(index)
    return sorted(units.values())


def merge_reports(reports: Iterable[Graph]) -> Graph:
    """One SHACL report with the results of *reports*, each result once.

    A result found in two units (a shared node described the same way in two documents) is kept
    once, as validating the union would report it.
    """
    merged = Graph()
    report_node = URIRef("urn:policykg:validation-report")
    merged.add((report_node, RDF.type, SH.ValidationReport))
    conforms = True
    seen: set[tuple[str, ...]] = set()
    for report in reports:
        conforms &= all(value == Literal(True) for value in report.objects(None, SH.conforms))
        for result in sorted(report.objects(None, SH.result), key=lambda r: _key(report, r)):
            key = _key(report, result)
            if key in seen:
                continue
            seen.add(key)
            merged.add((report_node, SH.result, result))
            _copy_closure(report, result, merged, report)
    merged.add((report_node, SH.conforms, Literal(conforms)))
    return merged


def _key(report: Graph, result: Node) -> tuple[str, ...]:
    """What makes a result the same result wherever it was found (no blank-node labels)."""

    def text(predicate: URIRef) -> str:
        value = report.value(result, predicate)
        return "(blank node)" if isinstance(value, BNode) or value is None else value.n3()

    return (
        text(SH.focusNode),
        text(SH.sourceShape),
        text(SH.sourceConstraintComponent),
        text(SH.sourceConstraint),
        path_text(report, report.value(result, SH.resultPath)),
        text(SH.value),
        " | ".join(sorted(m.n3() for m in report.objects(result, SH.resultMessage))),
        text(SH.resultSeverity),
    )


def _per_document_reports(
    units: Sequence[Graph], shapes: Graph, jobs: int, progress: Progress | None
) -> list[Graph]:
    if jobs <= 1 or len(units) <= 1:
        reports = []
        for done, unit in enumerate(units, start=1):
            reports.append(shacl_report(unit, shapes))
            if progress is not None:
                progress(done, len(units))
        return reports
    # Graphs cross process boundaries as N-Triples: plain text, cheap to pickle, no blank nodes
    # in the data (the mapper mints IRIs), and each worker parses the shapes once.
    found: dict[int, Graph] = {}
    workers = min(jobs, len(units))
    shapes_text = shapes.serialize(format="nt")
    with ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(shapes_text, os.getpid())
    ) as pool:
        futures = {
            pool.submit(_validate_in_worker, unit.serialize(format="nt")): index
            for index, unit in enumerate(units)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            found[futures[future]] = Graph().parse(data=future.result(), format="nt")
            if progress is not None:
                progress(done, len(units))
    return [found[index] for index in range(len(units))]


_worker_shapes: Graph | None = None


def _start_worker(shapes_text: str, parent: int) -> None:
    global _worker_shapes
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _worker_shapes = Graph().parse(data=shapes_text, format="nt")


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once the build that started it is gone (killed with SIGKILL, say).

    A worker waiting for its next document would otherwise wait forever: its siblings hold the
    task queue open.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _validate_in_worker(data_text: str) -> str:
    assert _worker_shapes is not None, "the worker was started without its shapes"
    report = shacl_report(Graph().parse(data=data_text, format="nt"), _worker_shapes)
    return report.serialize(format="nt")


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


def _union(graphs: Iterable[Graph]) -> Graph:
    union = Graph()
    for graph in graphs:
        union += graph
    return union
