"""Two builds compared fact by fact: facts added, removed and changed, graph by graph.

A fact is identified by its graph and its IRI, which policykg mints from the curated ids: an
edited field is a change of the fact, a fact whose id changed is one removed and one added.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from policykg.diff.facts import Fact, Node, Value, group_facts, natural_key
from policykg.diff.inputs import read_side
from policykg.diff.report import Change, DiffReport, FactChange, GraphKey, PropertyChange
from policykg.namespaces import DEFAULT_BASE

Dataset = Mapping[GraphKey, Iterable[ox.Triple]]
"""Triples by graph."""


def compare_datasets(old: Dataset, new: Dataset, *, old_name: str, new_name: str) -> DiffReport:
    """What differs between the datasets *old* and *new* (triples by graph), fact by fact."""
    changes: list[FactChange] = []
    for graph in sorted(set(old) | set(new), key=_graph_order):
        old_triples, new_triples = set(old.get(graph, ())), set(new.get(graph, ()))
        if old_triples == new_triples:
            continue  # most graphs of an edited corpus: no need to read their terms
        before, after = group_facts(old_triples), group_facts(new_triples)
        for iri in sorted(set(before) | set(after), key=natural_key):
            change = _fact_change(graph, iri, before.get(iri), after.get(iri))
            if change is not None:
                changes.append(change)
    return DiffReport(
        old_name,
        new_name,
        tuple(changes),
        graphs_added=tuple(sorted(set(new) - set(old), key=_graph_order)),
        graphs_removed=tuple(sorted(set(old) - set(new), key=_graph_order)),
    )


def _graph_order(graph: GraphKey) -> tuple[int, str]:
    return (0, "") if graph is None else (1, graph)


def _fact_change(
    graph: GraphKey, iri: str, before: Fact | None, after: Fact | None
) -> FactChange | None:
    old_nodes: Mapping[str, Node] = before.nodes if before else {}
    new_nodes: Mapping[str, Node] = after.nodes if after else {}
    properties = tuple(
        change
        for node in sorted(set(old_nodes) | set(new_nodes), key=lambda n: _node_order(iri, n))
        for change in _node_changes(node, old_nodes.get(node), new_nodes.get(node))
    )
    if not properties:
        return None
    kind = Change.ADDED if before is None else Change.REMOVED if after is None else Change.CHANGED
    return FactChange(
        kind,
        graph,
        iri,
        properties,
        before.quotes if before else (),
        after.quotes if after else (),
    )


def _node_order(fact: str, node: str) -> tuple[bool, tuple[object, ...]]:
    """The fact's own node first, then its parts in natural order."""
    return (node != fact, natural_key(node))


def _node_changes(name: str, old: Node | None, new: Node | None) -> Iterable[PropertyChange]:
    old_values = old.properties if old else {}
    new_values = new.properties if new else {}
    path = new.path if new else old.path if old else ()
    for prop in sorted(set(old_values) | set(new_values)):
        before = old_values.get(prop, frozenset())
        after = new_values.get(prop, frozenset())
        if before != after:
            yield PropertyChange(name, path, prop, _sorted(before), _sorted(after))


def _sorted(values: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(sorted(values, key=str))


def compare_builds(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    include_ontology: bool = True,
    jobs: int | None = None,
) -> DiffReport:
    """Compare two builds, each a build output, a folder of them, facts files or a folder of
    them (built in memory, not validated), or git's ``REV:PATH`` of any of these."""

    def side(argument: str | os.PathLike[str]) -> Dataset:
        return read_side(argument, base=base, include_ontology=include_ontology, jobs=jobs)

    return compare_datasets(
        side(old),
        side(new),
        old_name=str(old),
        new_name=str(new),
    )
