"""Load built graphs into a triple store, one named graph per source document.

Two kinds of store: an embedded on-disk Oxigraph store (:class:`StoreDirectory`), and any SPARQL 1.1
store over the Graph Store HTTP Protocol (:class:`GraphStore`). Loading the same output again
replaces each of its graphs, so the counts do not change. Verifying a load compares each graph's
content in the store with the file's, not only its size. ``policykg.load`` wraps
:func:`load_file`; ``docs/api.md`` shows it at work.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from policykg.errors import GraphInputError, StoreError, UsageError
from policykg.rdf.files import file_format, parse_error, parse_quads
from policykg.store.fingerprint import Fingerprint
from policykg.store.http import HttpSettings, StoreClient, checked_url, public_url
from policykg.store.paging import triples_in_pages
from policykg.store.staging import (
    NTRIPLES,
    STAGING_PREFIX,
    Staged,
    blank_node_safe_chunks,
    count_over_http,
    drop_stale_staging,
    replace_in_chunks,
    send_triples,
    staging_graphs,
)

DEFAULT_CHUNK_SIZE = 50_000

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "STAGING_PREFIX",
    "Fingerprint",
    "GraphFailure",
    "GraphStore",
    "GraphTriples",
    "IncompleteLoadError",
    "LoadReport",
    "LoadedGraph",
    "StoreDirectory",
    "blank_node_safe_chunks",
    "derived_service",
    "load_file",
    "load_into_directory",
    "load_over_http",
    "read_named_graphs",
]


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


# Stores whose failed PUT can leave the graph replaced by the part of the body read before the
# error: Virtuoso (its Graph Store endpoints). Every graph goes to them through a staging graph.
_PARTIAL_PUT = re.compile(r"/sparql-graph-crud(?:-auth)?$")


LoadProgress = Callable[[str, int, int], None]
"""Called with a stage name, the graphs done and their number."""


@dataclass(frozen=True)
class GraphTriples:
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
    stage_every_graph: bool | None = None
    """Send every graph through a staging graph, not only those larger than *chunk_size*; by
    default for Virtuoso's endpoints, where a failed ``PUT`` can leave a graph half replaced."""

    @property
    def stages_every_graph(self) -> bool:
        """Whether every graph goes through a staging graph (see *stage_every_graph*)."""
        if self.stage_every_graph is not None:
            return self.stage_every_graph
        return _PARTIAL_PUT.search(urlsplit(self.endpoint).path.rstrip("/")) is not None


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

    def summary(self) -> str:
        """One line: the graphs and triples loaded, where, and whether verified."""
        check = ", verified in the store" if self.verified else ""
        return (
            f"loaded {len(self.graphs)} graph(s), {self.triple_count} triples"
            f" into {self.target}{check}"
        )

    def describe(self) -> str:
        """One line per graph (IRI and triples), then the :meth:`summary`."""
        lines = [f"<{graph.iri}>: {graph.triples} triples" for graph in self.graphs]
        return "\n".join([*lines, self.summary()])


@dataclass(frozen=True)
class GraphFailure:
    """A graph that did not land, and the store's error."""

    iri: str
    error: StoreError


class IncompleteLoadError(StoreError):
    """Some graphs of a load failed; every other graph was loaded (and verified, if asked).

    *report* holds the graphs that landed, *failures* those the store failed or refused, and
    *unsent* those not sent at all because the store as a whole stopped answering or refused
    the credentials (sending them would only have failed the same way, each after its retries).
    A failed graph holds what it held before the load.
    """

    SHOWN = 10
    """The most failures the message lists one by one."""

    def __init__(
        self,
        report: LoadReport,
        failures: Sequence[GraphFailure],
        unsent: Sequence[str],
        *,
        endpoint: str,
    ) -> None:
        self.report = report
        self.failures = tuple(failures)
        self.unsent = tuple(unsent)
        total = len(report.graphs) + len(self.failures) + len(self.unsent)
        heading = f"{len(self.failures)} of {total} graph(s) failed to load"
        if self.unsent:
            heading += (
                f" and {len(self.unsent)} were not sent (the store refused them all or stopped"
                " answering, as below)"
            )
        loaded = len(report.graphs)
        heading += f"; the other {loaded} were loaded" if loaded else "; none was loaded"
        listed = [f"<{f.iri}>: {_indented(str(f.error))}" for f in self.failures[: self.SHOWN]]
        if len(self.failures) > self.SHOWN:
            listed.append(f"and {len(self.failures) - self.SHOWN} more")
        super().__init__("\n  ".join([heading, *listed]))
        self.endpoint = endpoint  # each failure names it already


def _indented(text: str) -> str:
    return text.replace("\n  ", "\n      ")


def load_file(
    path: Path,
    target: StoreDirectory | GraphStore,
    *,
    graph: str | None = None,
    verify: bool = False,
    jobs: int = 1,
    progress: LoadProgress | None = None,
) -> LoadReport:
    """Load the RDF file *path* (any format ``build`` writes) into *target*, graph by graph.

    *graph* names the graph that triples outside any named graph go into (needed for Turtle and
    N-Triples). With *verify*, each graph's triple count in the store is compared with the file's.
    *jobs* graphs are sent at a time (to a :class:`GraphStore` only). *progress* is called with
    ``"loading"``, the graphs loaded and their number.

    Raises :class:`GraphInputError` or :class:`UsageError` for a bad file or arguments,
    :class:`IncompleteLoadError` when the store failed or refused some graphs (the others are
    loaded), and :class:`StoreError` when it fails as a whole or does not verify.
    """
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1, not {jobs}")
    if jobs > 1 and isinstance(target, StoreDirectory):
        raise UsageError("loading several graphs at a time needs a store over HTTP (--endpoint)")
    graphs = read_named_graphs(path, graph=graph)
    if isinstance(target, StoreDirectory):
        return load_into_directory(graphs, target, verify=verify, progress=progress)
    return load_over_http(graphs, target, verify=verify, jobs=jobs, progress=progress)


def read_named_graphs(path: Path, *, graph: str | None = None) -> tuple[GraphTriples, ...]:
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
    return tuple(GraphTriples(iri, tuple(grouped[iri])) for iri in sorted(grouped))


def load_into_directory(
    graphs: Sequence[GraphTriples],
    directory: StoreDirectory,
    *,
    verify: bool = False,
    progress: LoadProgress | None = None,
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
        stored = {graph.iri: _stored_in(store, graph.iri) for graph in graphs} if verify else {}
    except OSError as error:
        raise StoreError(f"cannot write {where}: {error}", endpoint=str(directory.path)) from error
    finally:
        del store  # releases the folder's lock now, so the next load in this process can open it
    return _report(str(directory.path), graphs, stored, endpoint=str(directory.path))


def load_over_http(
    graphs: Sequence[GraphTriples],
    store: GraphStore,
    *,
    verify: bool = False,
    jobs: int = 1,
    progress: LoadProgress | None = None,
) -> LoadReport:
    """Replace each of *graphs* in *store* with the Graph Store HTTP Protocol, *jobs* at a time.

    A graph of more than ``store.chunk_size`` triples (with ``store.stages_every_graph``, every
    graph) is sent in chunks (blank nodes never split across chunks), each into a staging graph
    of its own named for this load alone; once the
    staging graphs hold every triple, one SPARQL update puts them in place. A failed chunk leaves
    the target graph as it was, and a chunk delivered late (after a timeout and its retry) can
    only rewrite its own staging graph with the same triples. A load in chunks first drops the
    staging graphs an interrupted load left.

    A graph the store fails or refuses does not stop the others: they are loaded (and verified),
    then :class:`IncompleteLoadError` names the failed ones. Only a store that stops answering,
    or refuses the credentials or the endpoint (401, 403, 404, 405), stops the graphs not yet
    sent.
    """
    endpoint = checked_url(store.endpoint, "--endpoint")
    stage_all = store.stages_every_graph
    needs_chunks = stage_all or any(len(graph.triples) > store.chunk_size for graph in graphs)
    chunked = "loading through staging graphs" if stage_all else "graphs larger than the chunk size"
    update = _service(store, "update", chunked) if needs_chunks else None
    query = None
    if needs_chunks or verify:
        query = _service(store, "query", chunked if needs_chunks else "verifying the load")
    token = uuid.uuid4().hex[:16]

    with _clients(store.http, endpoint) as client:
        first = client()  # here, so that missing credentials stop the load before it starts
        if update and query:
            drop_stale_staging(first, update, query)

        def send(graph: GraphTriples) -> None:
            chunks = blank_node_safe_chunks(graph.triples, store.chunk_size)
            if len(chunks) <= 1 and not stage_all:
                send_triples(client(), "PUT", endpoint, graph.iri, graph.triples)
            else:
                assert update is not None and query is not None
                staged = Staged(graph.iri, staging_graphs(graph.iri, token, len(chunks)))
                replace_in_chunks(client(), endpoint, update, query, staged, chunks)

        failures, unsent = _each_graph(graphs, send, jobs, progress)
        missing = {failure.iri for failure in failures}.union(unsent)
        landed = [graph for graph in graphs if graph.iri not in missing]
        stored: dict[str, Fingerprint] = {}
        if verify and landed:
            assert query is not None

            def read_back(graph: GraphTriples) -> Fingerprint:
                return _stored_over_http(client(), endpoint, query, graph.iri)

            stored = _map_in_threads(read_back, landed, jobs)
    where = public_url(endpoint)
    report = _report(where, landed, stored, endpoint=where)
    if failures or unsent:
        raise IncompleteLoadError(report, failures, unsent, endpoint=where)
    return report


_STORE_WIDE_STATUSES = frozenset({401, 403, 404, 405})
"""Refusals that every other graph would get too: the credentials, or the endpoint itself."""


def _each_graph(
    graphs: Sequence[GraphTriples],
    send: Callable[[GraphTriples], None],
    jobs: int,
    progress: LoadProgress | None,
) -> tuple[list[GraphFailure], list[str]]:
    """Call *send* on each of *graphs*, *jobs* at a time; return the failures (in the graphs'
    order) and the graphs not sent because the store as a whole failed."""
    stop = threading.Event()

    def attempt(graph: GraphTriples) -> GraphFailure | None:
        if stop.is_set():
            raise _NotSent
        try:
            send(graph)
        except StoreError as error:
            if error.status is None or error.status in _STORE_WIDE_STATUSES:
                stop.set()
            return GraphFailure(graph.iri, error)
        return None

    failed: dict[str, GraphFailure] = {}
    unsent: set[str] = set()
    done = 0
    for graph, outcome in _completed_in_threads(attempt, graphs, jobs):
        if isinstance(outcome, _NotSent):
            unsent.add(graph.iri)
            continue
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is not None:
            failed[graph.iri] = outcome
        done += 1
        if progress is not None:
            progress("loading", done, len(graphs))
    failures = [failed[graph.iri] for graph in graphs if graph.iri in failed]
    return failures, [graph.iri for graph in graphs if graph.iri in unsent]


class _NotSent(Exception):
    """Raised by a graph's task that starts after the store as a whole failed."""


def _completed_in_threads(
    task: Callable[[GraphTriples], GraphFailure | None], graphs: Sequence[GraphTriples], jobs: int
) -> Iterator[tuple[GraphTriples, GraphFailure | BaseException | None]]:
    """Each graph with what *task* returned or raised, as the tasks end; in this thread when
    *jobs* is 1. An interrupted load waits only for the requests in flight (each bounded by its
    deadline), not for the graphs still queued."""
    if jobs == 1:
        for graph in graphs:
            try:
                yield graph, task(graph)
            except _NotSent as not_sent:
                yield graph, not_sent
        return
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="policykg-load")
    try:
        futures: dict[Future[GraphFailure | None], GraphTriples] = {
            executor.submit(task, graph): graph for graph in graphs
        }
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _map_in_threads(
    task: Callable[[GraphTriples], Fingerprint], graphs: Sequence[GraphTriples], jobs: int
) -> dict[str, Fingerprint]:
    """*task* of each of *graphs* by IRI, *jobs* at a time; the first error is raised."""
    if jobs == 1:
        return {graph.iri: task(graph) for graph in graphs}
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="policykg-verify") as executor:
        return dict(zip((g.iri for g in graphs), executor.map(task, graphs), strict=True))


@contextmanager
def _clients(settings: HttpSettings, endpoint: str) -> Iterator[Callable[[], StoreClient]]:
    """A function that gives each thread its own :class:`StoreClient` (a requests session, and
    its digest-auth state, are not for sharing between threads); all are closed at the end."""
    local = threading.local()
    opened: list[StoreClient] = []
    lock = threading.Lock()

    def client() -> StoreClient:
        mine: StoreClient | None = getattr(local, "client", None)
        if mine is None:
            mine = StoreClient(settings, endpoint)
            local.client = mine
            with lock:
                opened.append(mine)
        return mine

    try:
        yield client
    finally:
        for each in opened:
            each.__exit__(None, None, None)


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


def _stored_over_http(client: StoreClient, endpoint: str, query: str, iri: str) -> Fingerprint:
    """The fingerprint of graph *iri* as the store holds it, after checking its count agrees."""
    response = client.send(
        "GET",
        endpoint,
        params={"graph": iri},
        accept=NTRIPLES,
        action=f"read graph <{iri}> back",
    )
    try:
        quads = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
        stored = Fingerprint.of(quad.triple for quad in quads)
    except SyntaxError:
        raise StoreError(
            f"cannot verify <{iri}>: the store's copy is not N-Triples",
            endpoint=public_url(endpoint),
            body_excerpt=client.excerpt(response),
        ) from None
    counted = count_over_http(client, query, iri)
    if stored.triples < counted:  # the answer may have been cut short (Virtuoso): read in pages
        paged = dict.fromkeys(triples_in_pages(client, query, iri))
        stored = Fingerprint.of(paged)
    return stored if counted == stored.triples else Fingerprint(counted, stored.digest)


def _service(store: GraphStore, kind: Literal["update", "query"], why: str) -> str:
    """The store's update or query service, given or derived; *why* it is needed, for the error."""
    given = store.update_endpoint if kind == "update" else store.query_endpoint
    if given:
        return checked_url(given, f"--{kind}-endpoint")
    derived = derived_service(store.endpoint, kind)
    if derived is None:
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


def _stored_in(store: ox.Store, iri: str) -> Fingerprint:
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
    return Fingerprint.of(quad.triple for quad in quads)


def _report(
    target: str,
    graphs: Sequence[GraphTriples],
    stored: Mapping[str, Fingerprint],
    *,
    endpoint: str | None,
) -> LoadReport:
    """The report of a load; raises :class:`StoreError` if a verified graph differs."""
    wrong = []
    for graph in graphs if stored else ():
        in_store, in_file = stored[graph.iri], Fingerprint.of(graph.triples)
        if in_store.triples != in_file.triples:
            counts = f"{in_store.triples} in the store, {in_file.triples} in the file"
            wrong.append(f"<{graph.iri}> holds {counts}")
        elif in_store.digest != in_file.digest:
            wrong.append(f"<{graph.iri}> holds {in_store.triples} triples, not all the file's")
    if wrong:
        raise StoreError(f"the load did not verify: {'; '.join(wrong)}", endpoint=endpoint)
    loaded = tuple(
        LoadedGraph(g.iri, len(g.triples), stored[g.iri].triples if stored else None)
        for g in graphs
    )
    return LoadReport(target, loaded, verified=bool(stored))
