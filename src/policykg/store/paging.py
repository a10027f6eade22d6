"""Reading a graph back from a store that cuts long answers: in pages, through its query service.

Virtuoso cuts the answer of a Graph Store ``GET`` at its ``ResultSetMaxRows`` (10,000 by default)
with status 200 and no sign of it. ``load --verify`` notices that the triples read back are fewer
than the store counts, and reads the graph again in pages of :data:`PAGE_ROWS` rows with ``LIMIT``
and ``OFFSET``. The pages are not ordered (Virtuoso refuses to sort past 10,000 rows by default),
so they could overlap or miss triples if the store changed between them: what is read is then
fewer triples than the store counts, and the load does not verify; it can never verify wrongly,
since every triple read is in the store.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from policykg.errors import StoreError
from policykg.store.http import SPARQL_JSON, StoreClient, check_complete, public_url

PAGE_ROWS = 5_000
"""Rows asked for at a time: under Virtuoso's default limit, whose header marks a full page."""

_PAGE_QUERY = (
    "SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT {rows} OFFSET {offset}"
)


def triples_in_pages(client: StoreClient, query: str, iri: str) -> Iterator[ox.Triple]:
    """The triples of graph *iri*, asked of the query service *query* a page at a time (a triple
    may come twice if the store changes meanwhile)."""
    offset = 0
    while True:
        text = _PAGE_QUERY.format(graph=ox.NamedNode(iri), rows=PAGE_ROWS, offset=offset)
        action = f"read graph <{iri}> back from row {offset}"
        response = client.send(
            "GET", query, params={"query": text}, accept=SPARQL_JSON, action=action
        )
        check_complete(response, action=action)
        try:
            solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
            assert isinstance(solutions, ox.QuerySolutions)
            rows = [_triple(solution) for solution in solutions]
        except (SyntaxError, ValueError, TypeError, AssertionError):
            raise StoreError(
                f"cannot {action}: the answer is not SPARQL JSON results of ?s ?p ?o",
                endpoint=public_url(query),
                status=response.status_code,
                body_excerpt=client.excerpt(response),
            ) from None
        yield from rows
        if len(rows) < PAGE_ROWS:
            return
        offset += PAGE_ROWS


def _triple(solution: ox.QuerySolution) -> ox.Triple:
    subject, predicate, value = solution["s"], solution["p"], solution["o"]
    if not isinstance(subject, (ox.NamedNode, ox.BlankNode)) or not isinstance(
        predicate, ox.NamedNode
    ):
        raise ValueError("not a triple")
    return ox.Triple(subject, predicate, value)
