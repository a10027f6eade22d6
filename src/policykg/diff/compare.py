"""Two builds compared fact by fact: facts added, removed and changed, graph by graph.

A fact is identified by its graph and its IRI, which policykg mints from the curated ids: an
edited field is a change of the fact, a fact whose id changed is one removed and one added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from policykg.diff.facts import Fact, Node, Step, Triple, Value, group_facts, natural_key

GraphKey = str | None
"""A graph's IRI, or ``None`` for the default graph (a Turtle or N-Triples file)."""

Dataset = Mapping[GraphKey, Iterable[Triple]]


class Change(str, Enum):
    """What happened to a fact between the old build and the new one."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class PropertyChange:
    """The values of one property of one node of a fact, before and after (sorted; empty when
    the node had or has none)."""

    node: str
    path: tuple[Step, ...]
    property: str
    old: tuple[Value, ...]
    new: tuple[Value, ...]


@dataclass(frozen=True)
class FactChange:
    """A fact of one graph that was added, removed or changed, with what changed and its quotes."""

    change: Change
    graph: GraphKey
    fact: str
    properties: tuple[PropertyChange, ...]
    old_quotes: tuple[str, ...]
    new_quotes: tuple[str, ...]


@dataclass(frozen=True)
class DiffReport:
    """Every fact that differs between two builds, sorted by graph and fact IRI.

    ``same`` is true when there is none; ``graphs_added`` and ``graphs_removed`` name the graphs
    only one side has (their facts are among ``facts`` too).
    """

    old: str
    new: str
    facts: tuple[FactChange, ...]
    graphs_added: tuple[GraphKey, ...] = ()
    graphs_removed: tuple[GraphKey, ...] = ()

    @property
    def same(self) -> bool:
        return not self.facts

    def count(self, change: Change) -> int:
        return sum(1 for fact in self.facts if fact.change is change)


def compare_datasets(old: Dataset, new: Dataset, *, old_name: str, new_name: str) -> DiffReport:
    """What differs between the datasets *old* and *new* (triples by graph), fact by fact."""
    changes: list[FactChange] = []
    for graph in sorted(set(old) | set(new), key=_graph_order):
        before = group_facts(old.get(graph, ()))
        after = group_facts(new.get(graph, ()))
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


def _node_order(fact: str, node: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """The fact's own node first, then its parts in natural order."""
    return (0 if node == fact else 1, natural_key(node))


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
