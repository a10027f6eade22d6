"""What differs between two builds, fact by fact, and its text and JSON forms (sorted, so the same
builds always give the same bytes)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain, groupby

from policykg.diff.facts import Step, Value
from policykg.namespaces import prefixed_name

GraphKey = str | None
"""A graph's IRI, or ``None`` for the default graph (a Turtle or N-Triples file)."""


class Change(StrEnum):
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

    def text(self) -> str:
        """The report for reading: a summary line, then each fact with its quotes and its
        changes (``-`` an old value, ``+`` a new one)."""
        lines = [_summary(self)]
        for fact in self.facts:
            lines.append("")
            lines.extend(_fact_lines(fact))
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        """The report as JSON: terms in N-Triples syntax, property paths in SPARQL's syntax with
        full IRIs."""
        document = {
            "old": self.old,
            "new": self.new,
            "same": self.same,
            "summary": {change.value: self.count(change) for change in Change},
            "graphs_added": list(self.graphs_added),
            "graphs_removed": list(self.graphs_removed),
            "facts": [_fact_json(fact) for fact in self.facts],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_DATATYPE = re.compile(r"\^\^<([^>]*)>$")


def _summary(report: DiffReport) -> str:
    if report.same:
        return f"no differences between {report.old} and {report.new}"
    counts = ", ".join(f"{report.count(change)} {change.value}" for change in Change)
    text = f"{report.old} → {report.new}: facts {counts}"
    if report.graphs_added or report.graphs_removed:
        text += f"; graphs {len(report.graphs_added)} added, {len(report.graphs_removed)} removed"
    return text


def _fact_lines(fact: FactChange) -> Iterator[str]:
    name = fact.fact if fact.fact.startswith("[") else f"<{fact.fact}>"  # a blank node's text
    yield f"{fact.change.value} {name} in {_graph_text(fact.graph)}"
    if fact.old_quotes == fact.new_quotes or fact.change is not Change.CHANGED:
        yield from _quote_lines("quote", fact.new_quotes or fact.old_quotes)
    else:
        yield from _quote_lines("old quote", fact.old_quotes)
        yield from _quote_lines("new quote", fact.new_quotes)
    for node, changes in groupby(fact.properties, key=lambda change: change.node):
        indent = "  "
        if node != fact.fact:
            first = next(changes)
            changes = chain([first], changes)
            yield f"  {_path_text(first.path)} <{node}>"
            indent = "    "
        for change in changes:
            yield f"{indent}{_short(change.property)}"
            yield from (f"{indent}  - {_term_text(value)}" for value in change.old)
            yield from (f"{indent}  + {_term_text(value)}" for value in change.new)


def _quote_lines(label: str, quotes: Sequence[str]) -> Iterator[str]:
    for quote in quotes:
        yield f"  {label}: {json.dumps(quote, ensure_ascii=False)}"


def _graph_text(graph: GraphKey) -> str:
    if graph is None:
        return "the default graph"
    return f"graph {graph}" if graph.startswith("_:") else f"graph <{graph}>"


def _path_text(path: Sequence[Step]) -> str:
    return "/".join(("^" if step.inverse else "") + _short(step.property) for step in path)


def _short(iri: str) -> str:
    name = prefixed_name(iri)
    return name if name != iri else f"<{iri}>"


def _term_text(value: Value) -> str:
    """*value* in N-Triples syntax, with policykg's prefixes for IRIs and datatypes."""
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        return _short(text[1:-1])
    found = _DATATYPE.search(text) if text.startswith('"') else None
    if found:
        return text[: found.start()] + "^^" + _short(found[1])
    return text


def _fact_json(fact: FactChange) -> dict[str, object]:
    return {
        "change": fact.change.value,
        "graph": fact.graph,
        "fact": fact.fact,
        "quotes": {"old": list(fact.old_quotes), "new": list(fact.new_quotes)},
        "properties": [_property_json(change) for change in fact.properties],
    }


def _property_json(change: PropertyChange) -> dict[str, object]:
    return {
        "node": change.node,
        "path": "/".join(
            ("^" if step.inverse else "") + f"<{step.property}>" for step in change.path
        ),
        "property": change.property,
        "old": [str(value) for value in change.old],
        "new": [str(value) for value in change.new],
    }
