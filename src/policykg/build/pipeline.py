"""The pipeline as a column of named steps: find → load → ground → map → validate → serialize.

Everything here is a plain function over values; nothing prints or exits (that is ``cli``'s job).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from policykg.build.cache import BuildCache, CacheHit
from policykg.build.cluster import DaskArticleBuilder
from policykg.build.corpus import (
    batched_scoped_shapes,
    check_documents,
    cross_document_shapes,
    registry_report,
    validate_builds,
)
from policykg.build.datasets import validate_graphs
from policykg.build.documents import DocumentBuild
from policykg.build.registry import CorpusRegistry
from policykg.build.workers import WorkerSetup, batch_size, build_in_worker, start_worker
from policykg.errors import FactsError, Location, WorkerError
from policykg.facts.grounding import ground_facts
from policykg.facts.loader import find_facts_files, is_registry_file, load_facts, load_registry
from policykg.facts.model import FactsFile
from policykg.facts.reading import read_facts_bytes, read_yaml
from policykg.namespaces import DEFAULT_BASE, ONTOLOGY_IRI, bind_prefixes
from policykg.outputs import write_atomically
from policykg.rdf.files import (
    GraphName,
    read_graphs,
    refuse_ill_typed_literals,
    union_graph,
)
from policykg.rdf.in_memory import oxigraph_store, rdflib_dataset
from policykg.rdf.mapping import MappedDocument, Minter, Origin, map_facts
from policykg.rdf.ntriples import merged_lines, subject_lines
from policykg.rdf.serialization import (
    NamedGraph,
    format_for,
    serialize_chunks,
    union_ntriples,
)
from policykg.resources import ontology_graph
from policykg.validate.parsed_queries import parsed_shape_queries, use_parsed_queries
from policykg.validate.shacl import ValidationReport, validate_graph

BuildProgress = Callable[[str, int, int], None]
"""Called with a stage name, the documents done and their number."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the named graphs to write and, if it ran, the validation report."""

    graphs: tuple[NamedGraph, ...]
    report: ValidationReport | None
    documents: tuple[DocumentBuild, ...] = ()
    registry: MappedDocument | None = None
    fact_count: int = 0
    cache_hits: int | None = None
    """Articles taken from the cache (``None`` when no cache was used)."""
    warnings: tuple[str, ...] = ()
    """What went wrong without failing the build (a cache that could not be written)."""
    inputs: tuple[Path, ...] = ()
    """Every file the build read: facts and registry files, and the articles' texts."""

    @property
    def triple_count(self) -> int:
        return sum(graph.triple_count for graph in self.graphs)

    def union_graph(self) -> Graph:
        """The union of the graphs as one rdflib graph."""
        return bind_prefixes(Graph()).parse(data=union_ntriples(self.graphs), format="nt")

    def to_store(self) -> ox.Store:
        """A new in-memory pyoxigraph store with each graph as a named graph (its default graph is
        the union when queried with ``use_default_graph_as_union=True``)."""
        return oxigraph_store(self.graphs)

    def to_dataset(self) -> Dataset:
        """A new rdflib dataset with each graph as a named graph and their union as its default."""
        return rdflib_dataset(self.graphs)

    @property
    def origins(self) -> dict[URIRef, Origin]:
        return _origins(self.documents, self.registry)


def _origins(
    documents: Iterable[DocumentBuild], registry: MappedDocument | None
) -> dict[URIRef, Origin]:
    merged: dict[URIRef, Origin] = {}
    if registry is not None:
        merged.update(registry.origins)
    for document in documents:
        merged.update(document.origin_map())
    return merged


def build(
    paths: Iterable[Path],
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    include_ontology: bool = True,
    jobs: int | None = None,
    progress: BuildProgress | None = None,
    cache: Path | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Build the graphs of the facts files in *paths* (files or folders).

    Registry files (``registry.yaml``, ``<name>.registry.yaml``) define the actors, places,
    posts, tenures and events that articles share; together they make one named graph, and each
    article's graph holds only its own nodes and its readings of the shared ones. Each article
    is loaded, mapped and validated against the per-document shapes on its own, in *jobs*
    processes (default: all cores), or taken from the *cache* folder when nothing it depends on
    has changed; the checks and shapes that need the whole corpus run once (:mod:`.corpus`). The
    verdict is that of validating the union of all graphs at once. *progress* is called with
    ``"building"``, the articles done and their number. A cache folder that cannot be written
    (read-only, full) does not fail the build: ``result.warnings`` says so. With *scheduler*, the
    address of a Dask scheduler, the articles are built on its cluster instead (:mod:`.cluster`),
    with the same result.

    Raises :class:`~policykg.errors.FactsError` (or a subclass) for bad input; non-conforming
    data is reported in ``result.report``, not raised.
    """
    files = find_facts_files(paths)
    registry = CorpusRegistry([path for path in files if is_registry_file(path)], base)
    articles = [path for path in files if not is_registry_file(path)]
    store = None
    if cache is not None:
        store = BuildCache(cache, base=base, registry_digest=registry.digest)
        registry.use_cache(store)
    registry_graph = registry.graph if registry.present else None
    registry_lines = subject_lines(registry.graph.ntriples)
    queries = store.parsed_queries() if store is not None and validate else None
    if queries is not None:
        use_parsed_queries(queries)  # for validations in this process; workers get them below
    setup = WorkerSetup(
        registry.files,
        base,
        validate,
        registry_lines,
        quads=store is not None,
        parsed_queries=queries,
    )
    registry_validated: list[Graph] = []

    def meanwhile() -> None:
        if validate and registry_graph is not None:
            registry_validated.append(_registry_report(registry_graph, store))
        if validate and store is not None and queries is None:
            store.put_parsed_queries(parsed_shape_queries(*batched_scoped_shapes()))

    builds = build_documents(
        articles,
        setup,
        jobs=jobs,
        cache=store,
        progress=progress,
        meanwhile=meanwhile,
        scheduler=scheduler,
    )
    check_documents(builds, registry.wikidata_uses, registry.files)
    graphs: list[NamedGraph] = [*builds]
    if registry_graph is not None:
        graphs.append(registry_graph)
    report = None
    if validate:
        report = validate_builds(
            builds,
            registry_graph,
            registry_lines,
            origins=lambda: _origins(builds, registry_graph),
            registry_report=registry_validated[0] if registry_validated else None,
        )
    if include_ontology:
        graphs.append(ontology_named_graph())
    fact_count = sum(built.fact_count for built in builds) + registry.item_count
    hits = None if store is None else store.hits
    warnings = () if store is None or store.warning is None else (store.warning,)
    inputs = (*files, *(Path(built.text_path) for built in builds))
    return BuildResult(
        tuple(graphs), report, tuple(builds), registry_graph, fact_count, hits, warnings, inputs
    )


def build_documents(
    paths: Sequence[Path],
    setup: WorkerSetup,
    *,
    jobs: int | None = None,
    cache: BuildCache | None = None,
    progress: BuildProgress | None = None,
    meanwhile: Callable[[], None] | None = None,
    scheduler: str | None = None,
) -> list[DocumentBuild]:
    """Build each article of *paths* as *setup* says: from *cache* if it holds it, else in
    *jobs* processes, or on the Dask cluster of *scheduler* if given.

    Whether the cache holds an article is known from the first line of its entry: in a large
    corpus, worker processes start on the others while this one reads the rest of the entries,
    and *meanwhile* is called (to validate the registry, say).
    """
    Minter(setup.base)  # an unusable base IRI fails here, before any work
    keys: dict[Path, str] = {}
    builds: dict[Path, DocumentBuild] = {}

    def done(path: Path, built: DocumentBuild) -> None:
        builds[path] = built
        if progress is not None:
            progress("building", len(builds), len(paths))

    with _article_builder(setup, jobs, len(paths), scheduler) as builder:
        hits: dict[Path, CacheHit] = {}
        for path in paths if cache is None else newest_first(paths):
            hit = None
            if cache is not None:
                keys[path] = cache.key(path, read_facts_bytes(path))
                hit = cache.find(path, keys[path], validated=setup.validate)
            if hit is None:
                builder.submit(path)
            else:
                hits[path] = hit
        for path, hit in hits.items():
            assert cache is not None
            cached = cache.load(hit)
            if cached is None:
                builder.submit(path)  # changed or damaged since its first line was read
            else:
                done(path, cached)
        if setup.validate:
            cross_document_shapes()  # made here while workers build, as validate_builds needs them
        if meanwhile is not None:
            meanwhile()
        for path, built in builder.results():
            if cache is not None:
                cache.put(keys[path], built)
            done(path, built)
    return [builds[path] for path in paths]


def newest_first(paths: Sequence[Path]) -> list[Path]:
    """*paths*, the most recently modified first (else in their order): after an edit, a
    rebuild finds the articles it must build again, and sends them to the workers, before it
    reads the cache entries of all the others."""

    def modified(path: Path) -> int:
        try:
            return os.stat(path).st_mtime_ns
        except OSError:
            return 0

    return sorted(paths, key=modified, reverse=True)


def _article_builder(
    setup: WorkerSetup, jobs: int | None, articles: int, scheduler: str | None
) -> _ArticleBuilder | DaskArticleBuilder:
    if scheduler is not None:
        return DaskArticleBuilder(setup, scheduler, articles)
    return _ArticleBuilder(setup, jobs, articles, eager=articles >= OVERLAP_FROM)


OVERLAP_FROM = 1000
"""The number of articles from which a build sends each article the cache does not hold to the
workers at once, while it goes on reading the cache: below it, reading the rest costs less than
starting workers for one article."""


class _ArticleBuilder:
    """Builds the articles submitted to it: in worker processes, a batch of them per task (see
    :func:`batch_size`; a build of *articles* in all), or in this process when there is one core
    to use or one article to build. *eager*: start the workers at the first article submitted,
    not when the results are asked for; the first article for each worker goes alone, as the
    articles that changed since the cache was written may be that few."""

    def __init__(self, setup: WorkerSetup, jobs: int | None, articles: int, *, eager: bool) -> None:
        self._setup = setup
        self._cores = jobs or os.cpu_count() or 1
        self._eager = eager and self._cores > 1
        self._batch_size = batch_size(articles, self._cores)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Future[list[DocumentBuild]], list[Path]] = {}
        self._queued: list[Path] = []

    def __enter__(self) -> _ArticleBuilder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for future in self._futures:
            future.cancel()
        if self._pool is not None:
            # After an error or a signal, waiting for the batches still running would only delay
            # the exit; the workers end with this process (processes.exit_with_parent).
            self._pool.shutdown(wait=exc_info[0] is None, cancel_futures=True)

    def submit(self, path: Path) -> None:
        self._queued.append(path)
        if self._eager and (
            len(self._futures) < self._cores or len(self._queued) >= self._batch_size
        ):
            self._send(self._queued, workers=self._cores)
            self._queued = []

    def results(self) -> Iterator[tuple[Path, DocumentBuild]]:
        """Each submitted article with its build, as they are done."""
        queued, self._queued = self._queued, []
        if self._cores == 1 or (len(queued) == 1 and not self._futures):
            for path in queued:
                yield path, self._setup.build(path)
        else:
            workers = self._cores if self._eager else min(self._cores, len(queued))
            for start in range(0, len(queued), self._batch_size):
                self._send(queued[start : start + self._batch_size], workers=workers)
        for future in as_completed(self._futures):
            try:
                built = future.result()
            except BrokenProcessPool as error:
                raise WorkerError(
                    "a worker process died (out of memory? killed?) while building"
                    f" {_listed(self._futures[future])}; nothing was written"
                ) from error
            yield from zip(self._futures[future], built, strict=True)

    def _send(self, paths: list[Path], *, workers: int) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                workers, initializer=start_worker, initargs=(self._setup, os.getpid())
            )
        try:
            self._futures[self._pool.submit(build_in_worker, paths)] = paths
        except BrokenProcessPool as error:
            raise WorkerError(
                f"a worker process died (out of memory? killed?) before building {_listed(paths)};"
                " nothing was written"
            ) from error


def _listed(paths: Sequence[Path], shown: int = 3) -> str:
    names = ", ".join(str(path) for path in paths[:shown])
    return names + (f" and {len(paths) - shown} more" if len(paths) > shown else "")


def load_all(paths: Iterable[Path]) -> list[FactsFile]:
    """Load every article under *paths* (with the registry files among them), in path order."""
    files = find_facts_files(paths)
    registry = load_registry(path for path in files if is_registry_file(path))
    loaded = [load_facts(path, registry) for path in files if not is_registry_file(path)]
    seen: dict[str, FactsFile] = {}
    for facts in loaded:
        earlier = seen.setdefault(facts.document.id, facts)
        if earlier is not facts:
            raise FactsError(
                f"the document id '{facts.document.id}' is also used by {earlier.path}:"
                f"{earlier.document.line}",
                Location(facts.path, facts.document.line),
                fact_id=facts.document.id,
                hint="each source document needs its own id",
            )
    return loaded


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files that loading the facts under *paths* reads: facts and registry files, and the
    article texts they name (those that exist), so that no output can replace one of them."""
    files = find_facts_files(paths)
    texts = []
    for path in files:
        if not is_registry_file(path):
            document = read_yaml(path).get("document")
            text = document.get("text") if isinstance(document, dict) else None
            if isinstance(text, str) and "\0" not in text and (path.parent / text).exists():
                texts.append(path.parent / text)
    return [*files, *texts]


def _registry_report(registry_graph: MappedDocument, store: BuildCache | None) -> Graph:
    """The registry graph's report with the per-document shapes, kept in the cache *store*."""
    kept = store.registry_report() if store is not None else None
    report = registry_report(registry_graph, kept)
    if store is not None and kept is None:
        store.put_registry_report(report.serialize(format="nt", encoding="utf-8"))
    return report


def write_output(
    result: BuildResult,
    output: Path,
    *,
    fmt: str | None = None,
    embed_context: bool = True,
    jobs: int | None = None,
) -> str:
    """Write *result*'s graphs to *output* atomically, in up to *jobs* processes (see
    :func:`~policykg.rdf.serialization.serialize`); return the format used."""
    name = format_for(output, fmt)
    chunks = serialize_chunks(result.graphs, name, embed_context=embed_context, jobs=jobs)
    write_atomically(output, chunks)
    return name


@cache
def ontology_named_graph() -> MappedDocument:
    """The ontology and its SKOS schemes as the named graph ``https://w3id.org/policykg/ns``."""
    ntriples = merged_lines([ontology_graph().serialize(format="nt", encoding="utf-8")])
    return MappedDocument(ONTOLOGY_IRI, None, ntriples)


def validate_file(
    path: Path,
    *,
    facts_paths: Sequence[Path] = (),
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate an RDF file; with *facts_paths*, report the facts lines its nodes came from.

    A file of several graphs (one per source document, as ``build`` writes TriG, N-Quads and
    JSON-LD) is validated graph by graph in *jobs* processes (default: all cores), as ``build``
    validates articles (:mod:`.datasets`); a file of one graph, in one pass. The report is the
    same either way. Raises :class:`~policykg.errors.GraphInputError` for a file that cannot be
    read.
    """
    origins: dict[URIRef, Origin] = {}
    for facts in load_all(facts_paths) if facts_paths else ():
        origins.update(map_facts(facts, ground_facts(facts), base).origins)
    return validate_dataset(read_checked_graphs(path), origins=origins, jobs=jobs)


def validate_dataset(
    graphs: Mapping[GraphName, Sequence[ox.Triple]],
    *,
    origins: Mapping[URIRef, Origin] | None = None,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate the *graphs* read from a file: several (one per source document) graph by graph
    in *jobs* processes, as ``build`` validates articles; one, in one pass. Same report."""
    if len(graphs) > 1:
        return validate_graphs(graphs, origins=origins, jobs=jobs)
    return validate_graph(union_graph(graphs), origins=origins)


def read_graph(path: Path) -> Graph:
    """Read an RDF file in any format policykg writes as one union graph; never fetch anything."""
    return union_graph(read_checked_graphs(path))


def read_checked_graphs(path: Path) -> dict[GraphName, list[ox.Triple]]:
    """The graphs of the RDF file *path* (:func:`~policykg.rdf.files.read_graphs`), refused
    if a literal is ill-typed, which pyshacl cannot validate."""
    graphs = read_graphs(path)
    refuse_ill_typed_literals(graphs, path)
    return graphs
