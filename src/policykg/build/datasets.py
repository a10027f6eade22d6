"""Validating an RDF dataset file as a build validates a corpus: graph by graph, in parallel.

``policykg validate`` on a file with one named graph per source document (TriG, N-Quads or
JSON-LD, as ``build`` writes them) validates each graph with the per-document shapes, in worker
processes, together with what its nodes lead to in the other graphs: the registry's actors and
places, the other graphs' triples about a node it shares. The cross-document shapes then run
once over the triples they can reach, and the reports are merged (:mod:`.corpus` does the same
for a build). The verdict and the results are those of validating the union at once, under the
contract the per-document shapes are written to: a node's incoming edges that they follow (an
annotation's body, say) are in the node's own document graph.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from itertools import chain

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from policykg.build.corpus import (
    batched_scoped_shapes,
    cross_document_predicates,
    cross_document_shapes,
)
from policykg.build.workers import batch_size
from policykg.errors import WorkerError
from policykg.namespaces import SH
from policykg.processes import exit_with_parent, settle_worker
from policykg.rdf.files import GraphName
from policykg.rdf.mapping import Origin
from policykg.resources import resource_path
from policykg.terms import Term, rdflib_graph
from policykg.validate.scopes import merge_reports
from policykg.validate.shacl import ValidationReport, report_from, shacl_report

Unit = tuple[bytes, bool]
"""The N-Triples of one validation, and whether the cross-document shapes (not the
per-document ones) check it."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def validate_graphs(
    graphs: Mapping[GraphName, Sequence[ox.Triple]],
    *,
    origins: Mapping[URIRef, Origin] | None = None,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate the union of *graphs* graph by graph, in *jobs* processes (default: all cores).

    *origins* maps nodes to the facts lines they came from, for the report.
    """
    cross_document = cross_document_shapes()
    by_subject = triples_by_subject(graphs)
    reach = cross_document_reach(graphs, by_subject, cross_document_predicates(cross_document))
    units = chain(
        [(_ntriples(reach), True)],  # first: the longest, over the whole corpus
        (
            (_ntriples(with_reached_nodes(triples, by_subject)), False)
            for triples in graphs.values()
        ),
    )
    reports = _reports(units, len(graphs) + 1, jobs)
    return report_from(merge_reports(_report_graph(r) for r in reports if r is not None), origins)


def triples_by_subject(
    graphs: Mapping[GraphName, Sequence[ox.Triple]],
) -> dict[Term, list[ox.Triple]]:
    """The triples of all *graphs* by subject, leaving out those of the shipped ontology (every
    validation adds it)."""
    ontology = _shipped_ontology()
    grouped: dict[Term, list[ox.Triple]] = {}
    for triples in graphs.values():
        for triple in triples:
            if triple not in ontology:
                grouped.setdefault(triple.subject, []).append(triple)
    return grouped


def with_reached_nodes(
    triples: Sequence[ox.Triple], by_subject: Mapping[Term, Sequence[ox.Triple]]
) -> list[ox.Triple]:
    """*triples* (one graph) and every triple, in any graph, about a node they describe or lead
    to, directly or not: all that the per-document shapes see of those nodes in the union."""
    unit = dict.fromkeys(triples)
    todo: list[Term] = [triple.subject for triple in triples]
    todo += [triple.object for triple in triples if not isinstance(triple.object, ox.Literal)]
    seen: set[Term] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in by_subject.get(node, ()):
            unit[triple] = None
            if not isinstance(triple.object, ox.Literal):
                todo.append(triple.object)
    return list(unit)


def cross_document_reach(
    graphs: Mapping[GraphName, Sequence[ox.Triple]],
    by_subject: Mapping[Term, Sequence[ox.Triple]],
    predicates: Iterable[str],
) -> list[ox.Triple]:
    """The triples of *graphs* with one of *predicates*, and the ``rdf:type`` triples of the nodes
    in them: what shapes that name only those predicates (and classes) can look at."""
    named = frozenset(predicates)
    found: dict[ox.Triple, None] = {}
    nodes: set[Term] = set()
    for triples in graphs.values():
        for triple in triples:
            if triple.predicate.value in named:
                found[triple] = None
                nodes.add(triple.subject)
                if not isinstance(triple.object, ox.Literal):
                    nodes.add(triple.object)
    for node in nodes:
        for triple in by_subject.get(node, ()):
            if triple.predicate == _RDF_TYPE:
                found[triple] = None
    return list(found)


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data


def _reports(units: Iterable[Unit], count: int, jobs: int | None) -> list[bytes | None]:
    """The report of each of the *count* *units* (``None`` where it conforms), in order.

    Units are made as they are sent: the workers start on the first while this process makes
    the rest.
    """
    cores = jobs or os.cpu_count() or 1
    if cores == 1:
        return validate_units(list(units))
    size = batch_size(count, cores)
    with ProcessPoolExecutor(
        min(cores, count), initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        try:
            return [
                report
                for batch in pool.map(_validate_units_in_worker, _batches(units, size))
                for report in batch
            ]
        except BrokenProcessPool as error:
            raise WorkerError(
                "a validation worker process died before it finished (out of memory?):"
                " validate with fewer --jobs, or on a machine with more memory"
            ) from error


def _batches(units: Iterable[Unit], size: int) -> Iterator[list[Unit]]:
    batch: list[Unit] = []
    for unit in units:
        batch.append(unit)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_units(units: Sequence[Unit]) -> list[bytes | None]:
    """The SHACL report of each of *units* as N-Triples, ``None`` where it conforms (run in a
    worker process: plain values in and out)."""
    per_document, cross_document = batched_scoped_shapes()
    reports: list[bytes | None] = []
    for data, cross in units:
        triples = (quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        report = shacl_report(rdflib_graph(triples), cross_document if cross else per_document)
        conforms = (None, SH.conforms, Literal(True)) in report
        reports.append(None if conforms else report.serialize(format="nt", encoding="utf-8"))
    return reports


def _validate_units_in_worker(units: Sequence[Unit]) -> list[bytes | None]:
    reports = validate_units(units)
    settle_worker()
    return reports


def _report_graph(ntriples: bytes) -> Graph:
    """A worker's report, read with the blank-node labels it was written with: the focus nodes
    that are blank nodes of the file keep theirs, so that units agree on them."""
    return rdflib_graph(quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))


@cache
def _shipped_ontology() -> frozenset[ox.Triple]:
    path = resource_path("ontology", "policykg.ttl")
    return frozenset(quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
