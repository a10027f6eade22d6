"""Replacing a graph in a store over HTTP in chunks, through staging graphs, so that the graph is
replaced whole or not at all whatever the network does.

Each chunk goes into a staging graph of its own, named for one load attempt (a token) and the
chunk's index, with a ``PUT``: sent again, or delivered late after a timeout and its retry, a
chunk rewrites its own staging graph with the same triples and never another. Once the staging
graphs hold every triple sent (counted), one SPARQL update replaces the target graph by their
union and drops them, and the store applies it whole or not at all (or, if it does not, as Virtuoso
does not, the error says what the target holds since). Staging graphs share a prefix,
so that a load can drop those a killed load left before they double what union queries count.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from policykg.errors import StoreError
from policykg.store.http import StoreClient, public_url

NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
_STAGED_COUNT_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
)
_STAGING_QUERY = (
    "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), {prefix})) }} ORDER BY ?g"
)

STAGING_PREFIX = "urn:policykg:staging:"
"""Every staging graph's name starts so; a load drops those an interrupted load left."""


def blank_node_safe_chunks(triples: Sequence[ox.Triple], size: int) -> list[tuple[ox.Triple, ...]]:
    """Split *triples* into chunks of at most *size*, keeping blank-node-connected triples together.

    A group of connected triples larger than *size* becomes one chunk of its own.

    >>> a, b = ox.NamedNode("http://example.org/a"), ox.BlankNode("b")
    >>> p = ox.NamedNode("http://example.org/p")
    >>> [len(c) for c in blank_node_safe_chunks([ox.Triple(a, p, a), ox.Triple(a, p, b),
    ...                                          ox.Triple(b, p, a)], 2)]
    [1, 2]
    """
    chunks: list[tuple[ox.Triple, ...]] = []
    current: list[ox.Triple] = []
    for group in _connected_groups(triples):
        if current and len(current) + len(group) > size:
            chunks.append(tuple(current))
            current = []
        current.extend(group)
    if current:
        chunks.append(tuple(current))
    return chunks


@dataclass(frozen=True)
class Staged:
    """A graph being loaded in chunks: its IRI and its chunks' staging graphs, in order."""

    iri: str
    staging: tuple[str, ...]


def replace_in_chunks(
    client: StoreClient,
    endpoint: str,
    update: str,
    query: str,
    staged: Staged,
    chunks: Sequence[Sequence[ox.Triple]],
) -> None:
    """Put each chunk in its staging graph, check they hold every triple, then move them onto
    the target graph in one update, which the store applies whole or not at all."""
    expected = sum(len(chunk) for chunk in chunks)
    try:
        for name, chunk in zip(staged.staging, chunks, strict=True):
            send_triples(client, "PUT", endpoint, name, chunk)
        held = _staged_count(client, query, staged.staging)
        if held != expected:
            raise StoreError(
                f"cannot replace <{staged.iri}>: its staging graphs hold {held} triples,"
                f" not the {expected} sent (did another load drop them?)",
                endpoint=public_url(endpoint),
            )
        _move_into_place(client, update, query, staged, expected)
    except StoreError:
        _drop_quietly(client, endpoint, staged.staging)
        raise


def _move_into_place(
    client: StoreClient, update: str, query: str, staged: Staged, expected: int
) -> None:
    """Replace the target graph by the union of the staging graphs, and drop them.

    An update whose answer is lost (a timeout, a dropped connection) may have been applied: it
    is not sent again but checked, by the target's size and the staging graphs being gone.
    """
    target = ox.NamedNode(staged.iri)
    # Not ADD SILENT: with SILENT, a missing staging graph would leave the target emptied. But
    # DROP SILENT for the staging graphs: Virtuoso refuses to DROP a graph that was written but
    # never CREATEd, after it has applied the operations before.
    operations = [f"DROP SILENT GRAPH {target}"]
    operations += [f"ADD {ox.NamedNode(name)} TO {target}" for name in staged.staging]
    operations += [f"DROP SILENT GRAPH {ox.NamedNode(name)}" for name in staged.staging]
    before = count_over_http(client, query, staged.iri)
    try:
        client.send(
            "POST",
            update,
            body=" ;\n".join(operations).encode("utf-8"),
            content_type=SPARQL_UPDATE,
            action=f"move the staged triples onto <{staged.iri}>",
            repeatable=False,
        )
    except StoreError as error:
        if error.status is None and _moved(client, query, staged, expected):
            return
        _raise_if_changed(client, query, staged.iri, before, error)
        raise


def _raise_if_changed(
    client: StoreClient, query: str, iri: str, before: int, error: StoreError
) -> None:
    """Say so if the failed update *error* changed the target all the same.

    SPARQL 1.1 Update applies a request whole or not at all, but Virtuoso 7.2 applies its
    operations one by one and keeps those done before the one that failed: the target graph may
    have been emptied.
    """
    try:
        after = count_over_http(client, query, iri)
    except StoreError:
        return
    if after != before:
        raise StoreError(
            f"cannot move the staged triples onto <{iri}>, and the store kept part of the failed"
            f" update: <{iri}> held {before} triples and now holds {after} (a store that applies"
            " an update's operations one by one, as Virtuoso does); load the file again",
            endpoint=error.endpoint,
            status=error.status,
            body_excerpt=error.body_excerpt,
        ) from error


def _moved(client: StoreClient, query: str, staged: Staged, expected: int) -> bool:
    """Whether the move of *staged* took place although its answer was lost."""
    try:
        gone = _staged_count(client, query, staged.staging) == 0
        return gone and count_over_http(client, query, staged.iri) == expected
    except StoreError:
        return False


def staging_graphs(iri: str, token: str, count: int) -> tuple[str, ...]:
    """The names of the *count* staging graphs of one load (*token*) of graph *iri*.

    >>> staging_graphs("https://example.org/g", "0f3c", 2)
    ('urn:policykg:staging:0f3c:17a9812f3fddc015:0', 'urn:policykg:staging:0f3c:17a9812f3fddc015:1')
    """
    graph = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
    return tuple(f"{STAGING_PREFIX}{token}:{graph}:{index}" for index in range(count))


def drop_stale_staging(client: StoreClient, update: str, query: str) -> None:
    """Drop the staging graphs an interrupted load left, which would show in union queries."""
    prefix = ox.Literal(STAGING_PREFIX)
    results = client.select(
        query, _STAGING_QUERY.format(prefix=prefix), action="list stale staging graphs"
    )
    names = [row["g"]["value"] for row in results["results"]["bindings"] if "g" in row]
    if names:
        client.send(
            "POST",
            update,
            body=_drop_all(names).encode("utf-8"),
            content_type=SPARQL_UPDATE,
            action=f"drop {len(names)} stale staging graph(s)",
        )


def _drop_all(names: Iterable[str]) -> str:
    return " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(name)}" for name in names)


def _staged_count(client: StoreClient, query: str, staging: Sequence[str]) -> int:
    graphs = " ".join(str(ox.NamedNode(name)) for name in staging)
    text = _STAGED_COUNT_QUERY.format(graphs=graphs)
    return _count_answer(client, query, text, "the staging graphs")


def send_triples(
    client: StoreClient, method: str, endpoint: str, iri: str, triples: Sequence[ox.Triple]
) -> None:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert body is not None
    verb = "write" if method == "PUT" else "add to"
    client.send(
        method,
        endpoint,
        params={"graph": iri},
        body=body,
        content_type=NTRIPLES,
        action=f"{verb} graph <{iri}> ({len(triples)} triples)",
    )


def _drop_quietly(client: StoreClient, endpoint: str, staging: Sequence[str]) -> None:
    """Delete the staging graphs, best effort: the error that led here is the one to report.

    Through the Graph Store Protocol, which took the chunks, rather than the update service,
    which may be the one failing.
    """
    for name in staging:
        with contextlib.suppress(StoreError):
            client.send("DELETE", endpoint, params={"graph": name}, action="drop a staging graph")


def count_over_http(client: StoreClient, query: str, iri: str) -> int:
    return _count_answer(client, query, _count_query(iri), f"<{iri}>")


def _count_answer(client: StoreClient, query: str, text: str, what: str) -> int:
    results = client.select(query, text, action=f"count the triples of {what}")
    try:
        return int(results["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise StoreError(
            f"cannot count the triples of {what}: the answer has no count ?n",
            endpoint=public_url(query),
            body_excerpt=client.scrubber.text(json.dumps(results))[:300],
        ) from None


def _count_query(iri: str) -> str:
    return _COUNT_QUERY.format(graph=ox.NamedNode(iri))


def _connected_groups(triples: Sequence[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples grouped by the blank nodes they share (a union-find), in order of first use."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        for node in nodes:
            parent.setdefault(node, node)
        if len(nodes) == 2:
            parent[root(nodes[0])] = root(nodes[1])
    groups: dict[object, list[ox.Triple]] = {}
    for index, triple in enumerate(triples):
        blank = next(
            (t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)), None
        )
        key: object = root(blank.value) if blank is not None else index
        groups.setdefault(key, []).append(triple)
    return list(groups.values())
