"""A diff report as text for people and as JSON for programs, both sorted and deterministic."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from itertools import chain, groupby

from policykg.diff.compare import Change, DiffReport, FactChange, GraphKey, PropertyChange
from policykg.diff.facts import Step, Value
from policykg.namespaces import prefixed_name

_DATATYPE = re.compile(r"\^\^<([^>]*)>$")


def render_text(report: DiffReport) -> str:
    """The report for reading: a summary line, then each fact with its quotes and its changes
    (``-`` an old value, ``+`` a new one)."""
    lines = [_summary(report)]
    for fact in report.facts:
        lines.append("")
        lines.extend(_fact_lines(fact))
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport) -> str:
    """The report as JSON: terms in N-Triples syntax, property paths in SPARQL's (full IRIs)."""
    document = {
        "old": report.old,
        "new": report.new,
        "same": report.same,
        "summary": {change.value: report.count(change) for change in Change},
        "graphs_added": [_graph_json(graph) for graph in report.graphs_added],
        "graphs_removed": [_graph_json(graph) for graph in report.graphs_removed],
        "facts": [_fact_json(fact) for fact in report.facts],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _summary(report: DiffReport) -> str:
    if report.same:
        return f"no differences between {report.old} and {report.new}"
    counts = ", ".join(f"{report.count(change)} {change.value}" for change in Change)
    text = f"{report.old} → {report.new}: facts {counts}"
    if report.graphs_added or report.graphs_removed:
        text += (
            f"; graphs {len(report.graphs_added)} added, {len(report.graphs_removed)} removed"
        )
    return text


def _fact_lines(fact: FactChange) -> Iterator[str]:
    yield f"{fact.change.value} <{fact.fact}> in {_graph_text(fact.graph)}"
    if fact.old_quotes == fact.new_quotes:
        yield from _quote_lines("quote", fact.new_quotes)
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


def _graph_json(graph: GraphKey) -> str | None:
    return graph


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
