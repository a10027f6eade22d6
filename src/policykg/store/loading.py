"""Stage 6: load built graphs into a triple store, one named graph per source document.

Two kinds of store: an embedded on-disk Oxigraph store (:class:`StoreDirectory`), and any SPARQL 1.1
store over the Graph Store HTTP Protocol (:class:`GraphStore`). Loading the same output again
replaces each of its graphs, so the counts do not change. ``policykg.load`` wraps
:func:`load_file`; ``docs/api.md`` shows it at work.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from policykg.errors import GraphInputError, StoreError, UsageError
from policykg.rdf.files import file_format, parse_error, parse_quads
from policykg.store.http import HttpSettings, StoreClient, checked_url, public_url

DEFAULT_CHUNK_SIZE = 50_000

_NTRIPLES = "application/n-triples"
_SPARQL_UPDATE = "application/sparql-update"
_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"

# Where each store keeps its SPARQL update and query services, relative to its Graph Store
# Protocol endpoint: (pattern of the endpoint's path, update path, query path).
_SERVICES = (
    (re.compile(r"^(.*)/store$"), r"\1/update", r"\1/query"),  # Oxigraph
    (re.compile(r"^(.*/[^/]+)/data$"), r"\1/update", r"\1/query"),  # Jena Fuseki
    (
        re.compile(r"^(.*/repositories/[^/]+)/rdf-graphs/service$"),
        r"\1/statements",
        r"\1",
    ),  # GraphDB
    (re.compile(r"^(.*)/sparql-graph-crud-auth$"), r"\1/sparql-auth", r"\1/sparql"),  # Virtuoso
    (re.compile(r"^(.*)/sparql-graph-crud$"), r"\1/sparql", r"\1/sparql"),  # Virtuoso
)


Progress = Callable[[str, int, int], None]
"""Called with a stage name, the graphs done and their number."""


@dataclass(frozen=True)
class NamedGraph:
    """The triples of one named graph of a file, without duplicates, in the file's order."""

    iri: str
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class StoreDirectory:
    """An on-disk Oxigraph store, created if the folder does not hold one yet."""

    path: Path


@dataclass(frozen=True)
class GraphStore:
    """A SPARQL 1.1 store reached over HTTP, and how to talk to it.

    *endpoint* is its Graph Store HTTP Protocol service (Oxigraph ``/store``, Fuseki ``/ds/data``,
    GraphDB ``/repositories/ID/rdf-graphs/service``, Virtuoso ``/sparql-graph-crud[-auth]``); the
    update and query services are derived from it when not given (see :func:`derived_service`).
    """

    endpoint: str
    update_endpoint: str | None = None
    query_endpoint: str | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    http: HttpSettings = field(default_factory=HttpSettings)


@dataclass(frozen=True)
class LoadedGraph:
    """One graph as loaded: its IRI, the file's triple count, and the store's when verified."""

    iri: str
    triples: int
    stored: int | None = None


@dataclass(frozen=True)
class LoadReport:
    """What a load did, graph by graph."""

    target: str
    graphs: tuple[LoadedGraph, ...]
    verified: bool

    @property
    def triple_count(self) -> int:
        return sum(graph.triples for graph in self.graphs)

    def describe(self) -> str:
        """One line per graph (IRI and triples), then the total."""
        lines = [f"<{graph.iri}>: {graph.triples} triples" for graph in self.graphs]
        check = ", verified in the store" if self.verified else ""
        lines.append(
            f"loaded {len(self.graphs)} graph(s), {self.triple_count} triples"
            f" into {self.target}{check}"
        )
        return "\n".join(lines)


def load_file(
    path: Path,
    target: StoreDirectory | GraphStore,
    *,
    graph: str | None = None,
    verify: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Load the RDF file *path* (any format ``build`` writes) into *target*, graph by graph.

    *graph* names the graph that triples outside any named graph go into (needed for Turtle and
    N-Triples). With *verify*, each graph's triple count in the store is compared with the file's.
    *progress* is called with ``"loading"``, the graphs loaded and their number.

    Raises :class:`GraphInputError` or :class:`UsageError` for a bad file or arguments, and
    :class:`StoreError` when the store fails, refuses a request or does not verify.
    """
    graphs = read_named_graphs(path, graph=graph)
    if isinstance(target, StoreDirectory):
        return load_into_directory(graphs, target, verify=verify, progress=progress)
    return load_over_http(graphs, target, verify=verify, progress=progress)


def read_named_graphs(path: Path, *, graph: str | None = None) -> tuple[NamedGraph, ...]:
    """Read *path* as named graphs sorted by IRI; never fetch anything (see :func:`load_file`)."""
    fmt = file_format(path)
    default_name = _graph_name(graph) if graph is not None else None
    grouped: dict[str, dict[ox.Triple, None]] = {}
    try:
        for quad in parse_quads(path):
            if isinstance(quad.graph_name, ox.NamedNode):
                name = quad.graph_name.value
            elif default_name is not None:
                name = default_name.value
            else:
                raise UsageError(
                    f"{path} holds triples outside any named graph ({fmt}):"
                    " give the IRI of the graph to load them into (--graph IRI)"
                )
            grouped.setdefault(name, {})[quad.triple] = None
    except SyntaxError as error:
        raise parse_error(error, path) from error
    except OSError as error:
        raise GraphInputError(f"cannot read the file ({error.strerror or error})", path) from error
    if default_name is not None and default_name.value not in grouped:
        raise UsageError(f"{path} has no triples outside its named graphs to put in --graph")
    if not grouped:
        raise GraphInputError("the file holds no triples: nothing to load", path)
    return tuple(NamedGraph(iri, tuple(grouped[iri])) for iri in sorted(grouped))


def load_into_directory(
    graphs: Sequence[NamedGraph],
    directory: StoreDirectory,
    *,
    verify: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Replace each of *graphs* in the on-disk Oxigraph store of *directory*."""
    where = f"the store folder {directory.path}"
    try:
        store = ox.Store(str(directory.path))
    except OSError as error:
        raise StoreError(
            f"cannot open {where} (is a server using it?): {error}", endpoint=str(directory.path)
        ) from error
    try:
        for done, graph in enumerate(graphs, start=1):
            name = ox.NamedNode(graph.iri)
            store.remove_graph(name)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in graph.triples)
            if progress is not None:
                progress("loading", done, len(graphs))
        store.flush()
        stored = {graph.iri: _count_in(store, graph.iri) for graph in graphs} if verify else {}
    except OSError as error:
        raise StoreError(f"cannot write {where}: {error}", endpoint=str(directory.path)) from error
    finally:
        del store  # releases the folder's lock now, so the next load in this process can open it
    return _report(str(directory.path), graphs, stored, endpoint=str(directory.path))


def load_over_http(
    graphs: Sequence[NamedGraph],
    store: GraphStore,
    *,
    verify: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Replace each of *graphs* in *store* with the Graph Store HTTP Protocol.

    A graph of more than ``store.chunk_size`` triples is sent in chunks (blank nodes never split
    across chunks) into a staging graph, which a SPARQL ``MOVE`` then puts in place, so a failed
    chunk leaves the target graph as it was.
    """
    endpoint = checked_url(store.endpoint, "--endpoint")
    needs_chunks = any(len(graph.triples) > store.chunk_size for graph in graphs)
    update = _service(store, "update") if needs_chunks else None
    query = _service(store, "query") if verify else None
    with StoreClient(store.http, endpoint) as client:
        for done, graph in enumerate(graphs, start=1):
            chunks = blank_node_safe_chunks(graph.triples, store.chunk_size)
            if len(chunks) <= 1:
                _send_triples(client, "PUT", endpoint, graph.iri, graph.triples)
            else:
                assert update is not None
                _replace_in_chunks(client, endpoint, update, graph.iri, chunks)
            if progress is not None:
                progress("loading", done, len(graphs))
        stored = {g.iri: _count_over_http(client, query, g.iri) for g in graphs} if query else {}
    return _report(public_url(endpoint), graphs, stored, endpoint=query and public_url(query))


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


def derived_service(endpoint: str, kind: Literal["update", "query"]) -> str | None:
    """The SPARQL update or query service of a known store's Graph Store Protocol *endpoint*.

    >>> derived_service("http://localhost:7878/store", "update")
    'http://localhost:7878/update'
    >>> derived_service("https://db.example.org/repositories/kg/rdf-graphs/service", "query")
    'https://db.example.org/repositories/kg'
    """
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for pattern, update, query in _SERVICES:
        if pattern.match(path):
            derived = pattern.sub(update if kind == "update" else query, path)
            return urlunsplit((parts.scheme, parts.netloc, derived, "", ""))
    return None


def _replace_in_chunks(
    client: StoreClient,
    endpoint: str,
    update: str,
    iri: str,
    chunks: Sequence[Sequence[ox.Triple]],
) -> None:
    """Send *chunks* into a staging graph, then move it onto graph *iri* in one update.

    The staging graph's name is derived from *iri*, so that a load that died with its store
    leaves a staging graph the next load of the same graph overwrites rather than a stray one.
    """
    staging = staging_graph(iri)
    try:
        for index, chunk in enumerate(chunks):
            _send_triples(client, "PUT" if index == 0 else "POST", endpoint, staging, chunk)
        # Not MOVE SILENT: with SILENT, moving a missing graph empties the target (Oxigraph).
        move = f"MOVE {ox.NamedNode(staging)} TO {ox.NamedNode(iri)}"
        client.send(
            "POST",
            update,
            body=move.encode("utf-8"),
            content_type=_SPARQL_UPDATE,
            action=f"move the staged triples onto <{iri}>",
            repeatable=False,
        )
    except StoreError:
        _drop_quietly(client, endpoint, staging)
        raise


def staging_graph(iri: str) -> str:
    """The name of the staging graph for loading graph *iri* in chunks.

    >>> staging_graph("https://example.org/g")
    'urn:policykg:staging:17a9812f3fddc01548ad6962aecb4e34'
    """
    return "urn:policykg:staging:" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:32]


def _send_triples(
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
        content_type=_NTRIPLES,
        action=f"{verb} graph <{iri}> ({len(triples)} triples)",
    )


def _drop_quietly(client: StoreClient, endpoint: str, staging: str) -> None:
    """Delete the staging graph, best effort: the error that led here is the one to report."""
    with contextlib.suppress(StoreError):
        client.send("DELETE", endpoint, params={"graph": staging}, action="drop the staging graph")


def _count_over_http(client: StoreClient, query: str, iri: str) -> int:
    results = client.select(query, _count_query(iri), action=f"count the triples of <{iri}>")
    try:
        return int(results["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise StoreError(
            f"cannot count the triples of <{iri}>: the answer has no count ?n",
            endpoint=public_url(query),
            body_excerpt=json.dumps(results)[:300],
        ) from error


def _service(store: GraphStore, kind: Literal["update", "query"]) -> str:
    given = store.update_endpoint if kind == "update" else store.query_endpoint
    if given:
        return checked_url(given, f"--{kind}-endpoint")
    derived = derived_service(store.endpoint, kind)
    if derived is None:
        why = "graphs larger than the chunk size" if kind == "update" else "verifying the load"
        raise UsageError(
            f"{why} needs the store's SPARQL {kind} service, which cannot be derived from"
            f" {public_url(store.endpoint)}: give --{kind}-endpoint URL"
        )
    return derived


def _graph_name(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise UsageError(f"--graph {iri!r} is not an absolute IRI: {error}") from error


def _count_in(store: ox.Store, iri: str) -> int:
    solutions = cast(Iterable[Mapping[str, ox.Literal]], store.query(_count_query(iri)))
    return int(next(iter(solutions))["n"].value)


def _count_query(iri: str) -> str:
    return _COUNT_QUERY.format(graph=ox.NamedNode(iri))


def _report(
    target: str, graphs: Sequence[NamedGraph], stored: dict[str, int], *, endpoint: str | None
) -> LoadReport:
    """The report of a load; raises :class:`StoreError` if a verified count differs."""
    loaded = tuple(LoadedGraph(g.iri, len(g.triples), stored.get(g.iri)) for g in graphs)
    wrong = [g for g in loaded if g.stored is not None and g.stored != g.triples]
    if wrong:
        details = "; ".join(
            f"<{g.iri}> holds {g.stored} in the store, {g.triples} in the file" for g in wrong
        )
        raise StoreError(f"the load did not verify: {details}", endpoint=endpoint)
    return LoadReport(target, loaded, verified=bool(stored))


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
