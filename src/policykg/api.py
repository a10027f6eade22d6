"""policykg's public Python API: one function per command, re-exported from :mod:`policykg`.

Each is a thin wrapper over the stage that does the work; the inputs are positional and every
option keyword-only, named as the command line names it. Building, validating and drafting are
:func:`build_graphs`, :func:`validate_file` and :func:`draft_facts`, not ``build``, ``validate``
and ``draft``: those name stage subpackages, which a function of the same name would hide
(``import policykg.build.pipeline as pipeline`` fails once ``policykg.build`` is a function).
Non-conformance is a returned report, never an exception; every error raised on purpose is a
:class:`~policykg.errors.PolicyKGError`. Examples that run as tests are in ``docs/api.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from policykg.build import pipeline
from policykg.build.pipeline import BuildProgress, BuildResult
from policykg.diff.compare import compare_builds
from policykg.diff.report import DiffReport
from policykg.draft.folder import DraftResult, draft_folder
from policykg.errors import UsageError
from policykg.export.events import EventTable, event_table
from policykg.html.report import Report, build_report
from policykg.namespaces import DEFAULT_BASE
from policykg.outputs import refuse_overwriting
from policykg.store.http import AuthScheme, HttpSettings
from policykg.store.loading import (
    DEFAULT_CHUNK_SIZE,
    GraphStore,
    LoadProgress,
    LoadReport,
    StoreDirectory,
    load_file,
)
from policykg.store.querying import parse_binding, read_query, run_query
from policykg.store.results import QueryResult, render
from policykg.validate.shacl import ValidationReport

PathLike = str | Path


def build_graphs(
    paths: PathLike | Iterable[PathLike],
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    include_ontology: bool = True,
    jobs: int | None = None,
    cache: PathLike | None = None,
    progress: BuildProgress | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Build the RDF of facts files, as ``policykg build`` does, without writing it.

    :param paths: a facts file or a folder of them (searched recursively), or several; registry
        files among them define the actors, places, posts, tenures and events the articles
        share.
    :param base: the base IRI that data IRIs are minted from.
    :param validate: validate against the shapes (the verdict is ``result.report``).
    :param include_ontology: add the ontology's named graph ``https://w3id.org/policykg/ns``.
    :param jobs: processes to build articles on (default: all cores; 1 works in this process).
    :param cache: a folder that keeps each article's build, so that a rebuild redoes only what
        changed (default: no cache).
    :param progress: called with ``"building"``, the articles done and their number.
    :param scheduler: the address of a Dask scheduler (``tcp://host:8786``) whose workers build
        the articles instead of local processes (``pip install 'policykg[dask]'``); same result.
    :returns: the graphs, the validation report (``None`` without *validate*) and counts;
        ``result.to_store()`` and ``result.to_dataset()`` give them to pyoxigraph and rdflib.
    :raises FactsError: bad facts or text (a :class:`~policykg.errors.GroundingError` for a quote
        not in the text), with the file, the line, the fact and what to fix.
    :raises MappingError: an unusable *base*.
    :raises WorkerError: a worker died, or the Dask cluster cannot be reached.
    """
    return pipeline.build(
        _path_list(paths),
        base=base,
        validate=validate,
        include_ontology=include_ontology,
        jobs=jobs,
        progress=progress,
        cache=None if cache is None else Path(cache),
        scheduler=scheduler,
    )


def write(
    result: BuildResult,
    output: PathLike,
    *,
    format: str | None = None,
    embed_context: bool = True,
    jobs: int | None = None,
) -> str:
    """Write the graphs of a build to *output* atomically: readers see the old file or the new one.

    It writes whatever *result* holds: check ``result.report.conforms`` first, as ``policykg
    build`` does before it writes anything.

    :param format: ``turtle``, ``nt``, ``nquads``, ``trig`` or ``json-ld`` (default: from the
        extension of *output*).
    :param embed_context: JSON-LD: embed the context, else reference its w3id URL.
    :param jobs: processes a large Turtle union may be written by (default: all cores).
    :returns: the name of the format written.
    :raises UsageError: an unknown format, an extension that names none, or an *output* that is
        one of the files the build read (a facts file, a registry, a text).
    :raises SerializationError: the file cannot be written.
    """
    refuse_overwriting([Path(output)], result.inputs)
    return pipeline.write_output(
        result, Path(output), fmt=format, embed_context=embed_context, jobs=jobs
    )


def validate_file(
    path: PathLike,
    *,
    facts: PathLike | Iterable[PathLike] = (),
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate an RDF file (any format ``build`` writes) against policykg's shapes.

    A file of several named graphs (one per source document) is validated graph by graph in
    *jobs* processes (default: all cores), with the report of validating it whole.

    :param facts: facts files or folders the graph was built from (with *base*), so that each
        violation names the facts line its node came from.
    :returns: the verdict (``conforms``), the violations and the SHACL report graph.
    :raises GraphInputError: the file cannot be read or parsed.
    :raises FactsError: bad *facts*.
    """
    return pipeline.validate_file(Path(path), facts_paths=_path_list(facts), base=base, jobs=jobs)


def load(
    path: PathLike,
    *,
    store_dir: PathLike | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    verify: bool = False,
    update_endpoint: str | None = None,
    query_endpoint: str | None = None,
    auth: AuthScheme | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    verify_tls: bool = True,
    progress: LoadProgress | None = None,
    jobs: int = 1,
) -> LoadReport:
    """Load a built output into a triple store, replacing each of its named graphs.

    Give exactly one of *store_dir* (an on-disk Oxigraph store, created if need be) and
    *endpoint* (a SPARQL 1.1 Graph Store HTTP Protocol service); the other options are those of
    ``policykg load`` and apply to an endpoint only.

    :param graph: the IRI of the graph for triples outside any named graph (Turtle, N-Triples).
    :param verify: count each graph's triples in the store and compare them with the file's.
    :param auth: ``basic``, ``digest`` or ``bearer``, with the credentials of
        ``POLICYKG_USER`` and ``POLICYKG_PASSWORD``, ``POLICYKG_TOKEN`` or ``~/.netrc``.
    :param progress: called with ``"loading"``, the graphs loaded and their number.
    :param jobs: how many graphs to send to the *endpoint* at a time.
    :returns: each graph with its triple count (and the store's, when verified).
    :raises UsageError: neither or both of *store_dir* and *endpoint*, or a file with triples
        outside any named graph and no *graph*.
    :raises GraphInputError: the file cannot be read or parsed.
    :raises IncompleteLoadError: the store failed or refused some graphs; the others are
        loaded, and the error holds their report.
    :raises StoreError: the store failed, refused a request or did not verify.
    """
    if (store_dir is None) == (endpoint is None):
        raise UsageError("give one of store_dir and endpoint")
    target: StoreDirectory | GraphStore
    if store_dir is not None:
        target = StoreDirectory(Path(store_dir))
    else:
        assert endpoint is not None
        settings = HttpSettings(auth, timeout, retries, verify_tls=verify_tls)
        target = GraphStore(endpoint, update_endpoint, query_endpoint, chunk_size, settings)
    return load_file(Path(path), target, graph=graph, verify=verify, jobs=jobs, progress=progress)


def query(
    source: PathLike | ox.Store,
    sparql: str | Path,
    *,
    params: Mapping[str, str] | None = None,
    auth: AuthScheme | None = None,
    timeout: float = 60.0,
) -> QueryResult:
    """Answer a SPARQL 1.1 query, as ``policykg query`` does.

    :param source: a file ``build`` wrote, a folder of them, a store folder ``load`` wrote, the
        http(s) URL of a SPARQL query endpoint, or a pyoxigraph store (such as
        ``result.to_store()``). Its default graph is the union of its named graphs.
    :param sparql: the query text, or the :class:`~pathlib.Path` of a ``.rq`` file.
    :param params: values for variables of the query, by name, written as ``policykg query
        --param`` takes them (``"2016-06-03^^xsd:date"``, ``"<IRI>"``, ``'"text"@en'``, else a
        string): bound as RDF terms, never pasted into the query.
    :param auth: ``basic``, ``digest`` or ``bearer`` at an endpoint (credentials as for
        :func:`load`); *timeout* applies to an endpoint only.
    :returns: :class:`~policykg.store.results.Solutions` (SELECT; rows sorted unless the query
        has ``ORDER BY``), :class:`~policykg.store.results.Answer` (ASK) or
        :class:`~policykg.store.results.Triples` (CONSTRUCT, DESCRIBE); :func:`render` writes it.
    :raises QueryError: a query that does not parse (with its line and column) or cannot run.
    :raises UsageError: bad *params*.
    :raises GraphInputError: an unreadable source.
    :raises StoreError: the store or endpoint failed or refused the query.
    """
    text = read_query(str(sparql)) if isinstance(sparql, Path) else sparql
    bindings = [parse_binding(f"{name}={value}") for name, value in (params or {}).items()]
    return run_query(source, text, bindings=bindings, settings=HttpSettings(auth, timeout))


def export_events(source: PathLike | ox.Store, *, day_precision_only: bool = False) -> EventTable:
    """The event data of a built graph, as ``policykg export events`` writes it.

    One row per coded fact (an event, statement or stance with a CAMEO code), with its date and
    precision, its actors, the code's label, Goldstein value and quad class, who asserts it, its
    first quote and its document (``docs/export.md`` lists the columns).

    :param source: what :func:`query` reads: a file ``build`` wrote, a folder of them, a store
        folder, an endpoint URL or a pyoxigraph store.
    :param day_precision_only: leave out the rows whose date is not one known day.
    :returns: the table; ``table.write(path)`` writes it atomically as CSV (or JSON Lines for a
        ``.jsonl`` path), ``table.to_csv()`` and ``table.to_jsonl()`` give the bytes.
    :raises GraphInputError: an unreadable source.
    :raises StoreError: the store or endpoint failed.
    """
    return event_table(source, day_precision_only=day_precision_only)


def report(
    path: PathLike, *, facts: PathLike | Iterable[PathLike] = (), base: str = DEFAULT_BASE
) -> Report:
    """Render the self-contained HTML report page of a graph file, as ``policykg report`` does.

    :param facts: facts files or folders the graph was built from (with *base*): the page then
        shows each quote in its document's full text, and violations name their facts lines.
    :returns: the page (``html``; ``write(path)`` writes it atomically) and what it shows,
        the validation verdict included.
    :raises GraphInputError: the graph cannot be read or parsed.
    :raises FactsError: bad *facts*.
    :raises UsageError: a facts file that describes no document of the graph.
    """
    return build_report(Path(path), facts_paths=_path_list(facts), base=base)


def compare(
    old: PathLike,
    new: PathLike,
    *,
    base: str = DEFAULT_BASE,
    include_ontology: bool = True,
    jobs: int | None = None,
) -> DiffReport:
    """Compare two builds fact by fact, as ``policykg diff`` does.

    :param old: a file ``build`` wrote, a folder of them, a facts file or a folder of facts
        files (built in memory with *base*, not validated), or git's ``REV:PATH`` of any of
        these when no file has that name.
    :param new: the same, for the new side.
    :param include_ontology: compare the ontology's named graph too (in files and in builds).
    :param jobs: processes to build facts on (default: all cores; 1 works in this process).
    :returns: the facts added, removed and changed, by graph and fact IRI (``same`` when there
        are none), with the values that changed and the facts' quotes; ``text()`` and
        ``json()`` write it.
    :raises GraphInputError: no such file, folder or revision, or a file that cannot be parsed.
    :raises FactsError: bad facts, with the file, the line and what to fix.
    """
    return compare_builds(old, new, base=base, include_ontology=include_ontology, jobs=jobs)


def draft_facts(
    folder: PathLike,
    *,
    registry: PathLike | Iterable[PathLike] = (),
    published_from: dt.date | None = None,
) -> DraftResult:
    """Propose facts for the article of *folder* (from ``policykg init``, its text pasted).

    Every proposal is marked ``draft: true`` and carries its quote; ``build`` refuses it until
    the mark is removed. The draft is written into ``facts.yaml`` while that is still init's
    untouched template, else into ``facts.draft.yaml`` (never overwritten); a proposal that the
    facts already cover (by id or quote) is not made again. Needs ``policykg[draft]``.

    :param registry: registry files or folders besides those inside *folder*.
    :param published_from: when the day of publication is not printed, the first day the article
        can have appeared (its ``published`` is then the last): relative dates become ranges.
    :returns: the file written and the proposals.
    :raises UsageError: no facts.yaml, an existing facts.draft.yaml, the extra not installed, or
        *published_from* after ``published``.
    :raises FactsError: an unreadable facts file, text or registry.
    """
    return draft_folder(Path(folder), _path_list(registry), published_from)


def _path_list(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """One path or several, as a list (a string is one path, not its characters)."""
    return [Path(paths)] if isinstance(paths, (str, Path)) else [Path(path) for path in paths]


__all__ = [
    "build_graphs",
    "compare",
    "draft_facts",
    "load",
    "query",
    "render",
    "report",
    "validate_file",
    "write",
]
