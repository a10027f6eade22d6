"""The ``policykg`` command: a thin layer that parses options, calls the library, prints, exits."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from policykg import __version__, api
from policykg.build.pipeline import BuildResult, input_files
from policykg.errors import PolicyKGError, StoreError, WorkerError
from policykg.export.events import EXPORT_FORMATS, export_format
from policykg.facts.template import start_article
from policykg.html.documentation import write_documentation
from policykg.namespaces import DEFAULT_BASE
from policykg.outputs import printable_message, refuse_overwriting, write_atomically
from policykg.progress import ProgressLine
from policykg.rdf.serialization import FORMATS, serialize
from policykg.resources import facts_schema, registry_schema
from policykg.store.http import AUTH_SCHEMES, AuthScheme, HttpSettings
from policykg.store.loading import DEFAULT_CHUNK_SIZE, IncompleteLoadError, LoadReport
from policykg.store.querying import parse_binding, read_query, write_answer
from policykg.store.results import GRAPH_FORMATS, RESULT_FORMATS
from policykg.validate.shacl import ValidationReport

F = TypeVar("F", bound=Callable[..., Any])


class Exit(IntEnum):
    """Exit statuses, the same for every command (listed in the README)."""

    OK = 0
    DOES_NOT_CONFORM = 1
    DIFFERENT = 1  # diff: the two builds differ (as diff(1) says it)
    BAD_INPUT = 2  # bad facts, bad graph file, bad query, bad options: click uses 2 for usage too
    STORE_FAILURE = 3  # a store or endpoint failed or refused, or a load did not verify
    WORKER_DIED = 4  # a worker process died (out of memory?): nothing was written


_FORMAT_CHOICE = click.Choice(sorted(FORMATS), case_sensitive=False)


def _base_option(help_text: str) -> Callable[[F], F]:
    return click.option("--base", default=DEFAULT_BASE, show_default=True, help=help_text)


def _auth_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--auth",
        type=click.Choice(AUTH_SCHEMES),
        help=f"{what}, with POLICYKG_USER and POLICYKG_PASSWORD, POLICYKG_TOKEN (bearer)"
        " or ~/.netrc.",
    )


def _timeout_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=60.0,
        show_default=True,
        help=help_text,
    )


def _facts_option(purpose: str) -> Callable[[F], F]:
    return click.option(
        "--facts",
        "facts_paths",
        multiple=True,
        type=click.Path(path_type=Path),
        help=f"Facts files or folders the graph was built from, {purpose}",
    )


def _report_option(help_text: str) -> Callable[[F], F]:
    return click.option("--report", "report_path", type=click.Path(path_type=Path), help=help_text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
@click.pass_context
def main(context: click.Context) -> None:
    """Turn curated facts about foreign-policy articles into validated, traceable RDF.

    \b
    Example:
      policykg build examples -o khamenei.ttl
      policykg validate khamenei.ttl
    """
    # Colours only on a terminal (click's default), and never when NO_COLOR is set (no-color.org).
    if os.environ.get("NO_COLOR"):
        context.color = False


@main.command(name="build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (its extension picks the format), or - for standard output.",
)
@click.option("--format", "fmt", type=_FORMAT_CHOICE, help="Output format (default: from -o).")
@_base_option("Base IRI that data IRIs are minted from.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option(
    "--no-ontology", is_flag=True, help="Leave the ontology's named graph out of the output."
)
@click.option(
    "--context",
    "context_mode",
    type=click.Choice(["embed", "reference"]),
    default="embed",
    show_default=True,
    help="JSON-LD: embed the context or reference its w3id URL.",
)
@_report_option("Also write the SHACL validation report graph (Turtle) here.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Build and validate articles, and write a large Turtle union, on this many processes"
    " [default: all cores]; 1 works in this process.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".policykg-cache"),
    show_default=True,
    envvar="POLICYKG_CACHE",
    help="Keep each article's build here; a rebuild redoes only the articles that changed.",
)
@click.option("--no-cache", is_flag=True, help="Neither use nor fill the cache.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Build the articles on the Dask cluster of this scheduler (tcp://HOST:8786), not on"
    " local processes; needs policykg[dask].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary.")
def build_command(
    paths: tuple[Path, ...],
    output: Path,
    fmt: str | None,
    base: str,
    no_validate: bool,
    no_ontology: bool,
    context_mode: str,
    report_path: Path | None,
    jobs: int | None,
    cache_dir: Path,
    no_cache: bool,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Build RDF from facts files, or folders of them, and validate it.

    Registry files (registry.yaml, <name>.registry.yaml) define the actors, places, posts,
    tenures and events that the articles share, and each article gives its reading of them;
    each article and the registry get a named graph of their own, and no triple is in two.

    Nothing is written when the input is bad (exit 2) or the graph does not conform (exit 1).
    On a terminal, builds that take more than two seconds show their progress on stderr; a
    summary line ends every build unless --quiet.

    \b
    Example:
      policykg build examples -o khamenei.ttl
      policykg build examples/ -o corpus.trig --base https://example.org/kg/
      policykg build examples -o corpus.nq --scheduler tcp://scheduler.example.org:8786
    """
    started = time.monotonic()
    progress = ProgressLine(sys.stderr, enabled=not quiet)
    try:
        if str(output) == "-" and fmt is None:
            raise click.UsageError("writing to standard output needs --format")
        refuse_overwriting([output, report_path], [])
        try:
            result = api.build_graphs(
                paths,
                base=base,
                validate=not no_validate,
                include_ontology=not no_ontology,
                jobs=jobs,
                progress=progress,
                cache=None if no_cache else cache_dir,
                scheduler=scheduler,
            )
        finally:
            progress.close()
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        refuse_overwriting([output, report_path], result.inputs)
        if result.report is not None:
            _write_report(result.report, report_path)
            if not result.report.conforms:
                click.echo(_verdict(result.report), err=True)
                click.echo("nothing written: fix the facts and build again", err=True)
                sys.exit(Exit.DOES_NOT_CONFORM)
        embed = context_mode == "embed"
        if str(output) == "-":
            assert fmt is not None
            data = serialize(result.graphs, fmt, embed_context=embed, jobs=jobs)
            click.echo(data.decode("utf-8"), nl=False)
            written = fmt
        else:
            written = api.write(result, output, format=fmt, embed_context=embed, jobs=jobs)
    except PolicyKGError as error:
        _fail(error)
    if not quiet:
        validated = "validated" if result.report is not None else "not validated"
        target = "standard output" if str(output) == "-" else output
        click.echo(
            f"{target}: {len(result.documents)} document(s), {result.fact_count} facts,"
            f" {result.triple_count} triples, {written}, {validated},"
            f" {time.monotonic() - started:.1f} s, {_cache_use(result)}",
            err=True,
        )


def _cache_use(result: BuildResult) -> str:
    if result.cache_hits is None:
        return "cache: not used"
    return f"cache: {result.cache_hits} of {len(result.documents)} article(s)"


@main.command(name="validate")
@click.argument("graph", type=click.Path(path_type=Path))
@_facts_option("to report their lines.")
@_base_option("Base IRI the graph was built with (used with --facts).")
@_report_option("Write the SHACL validation report graph (Turtle) here.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Validate the named graphs of a dataset file (TriG, N-Quads, JSON-LD) on this many"
    " processes [default: all cores]; 1 works in this process.",
)
def validate_command(
    graph: Path,
    facts_paths: tuple[Path, ...],
    base: str,
    report_path: Path | None,
    jobs: int | None,
) -> None:
    """Validate an RDF file (any format policykg writes) against policykg's shapes.

    A file with one named graph per document is validated graph by graph, in parallel, with
    the verdict of validating it whole.

    \b
    Example:
      policykg validate khamenei.ttl --facts examples --report report.ttl
    """
    try:
        if report_path is not None:
            refuse_overwriting([report_path], [graph, *input_files(facts_paths)])
        report = api.validate_file(graph, facts=facts_paths, base=base, jobs=jobs)
        _write_report(report, report_path)
    except PolicyKGError as error:
        _fail(error)
    click.echo(_verdict(report), err=not report.conforms)
    sys.exit(Exit.OK if report.conforms else Exit.DOES_NOT_CONFORM)


def run() -> None:
    """The console entry point: ``main`` with SIGINT and SIGTERM turned into clean exits.

    Each becomes ``SystemExit(128 + signal)`` (130 for Ctrl-C, 143 for SIGTERM, as shells report
    them) so that cleanup runs (a half-written temporary output file is removed) and the status
    is never click's 1 for an abort, which here means "does not conform".
    """

    def exit_cleanly(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_cleanly)
    signal.signal(signal.SIGINT, exit_cleanly)
    main()


@main.command(name="load")
@click.argument("output", metavar="OUT", type=click.Path(path_type=Path))
@click.option(
    "--store-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Load into the on-disk Oxigraph store in this folder (created if needed).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Load into this SPARQL 1.1 Graph Store HTTP Protocol endpoint (Oxigraph …/store,"
    " Fuseki …/ds/data, GraphDB …/rdf-graphs/service, Virtuoso …/sparql-graph-crud[-auth]).",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="The graph for triples outside any named graph (needed for .ttl and .nt files).",
)
@click.option("--verify", is_flag=True, help="Compare each graph's triple count in the store.")
@click.option("--query-endpoint", metavar="URL", help="SPARQL query service for --verify.")
@click.option("--update-endpoint", metavar="URL", help="SPARQL update service for chunked loads.")
@_auth_option("HTTP authentication")
@_timeout_option("Seconds to wait for each answer.")
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries with backoff on connection errors and 429/502/503/504.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=DEFAULT_CHUNK_SIZE,
    show_default=True,
    help="Larger graphs are sent in chunks of this many triples, through a staging graph.",
)
@click.option("--insecure", is_flag=True, help="Do not verify the store's TLS certificate.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Send this many graphs at a time (with --endpoint).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also a line per graph loaded.")
def load_command(
    output: Path,
    store_dir: Path | None,
    endpoint: str | None,
    graph_iri: str | None,
    verify: bool,
    query_endpoint: str | None,
    update_endpoint: str | None,
    auth: AuthScheme | None,
    timeout: float,
    retries: int,
    chunk_size: int,
    insecure: bool,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Load a built output into a triple store, replacing each of its named graphs.

    On a terminal, a load that takes more than two seconds shows a progress bar (graphs loaded of
    all) on stderr; it ends with a one-line summary of the graphs and triples loaded (with
    --verbose, after a line per graph).

    With --jobs N, N graphs are sent at a time, each still replaced whole. A graph the store
    fails or refuses does not stop the others: they are loaded, the failed ones are listed, and
    the exit status is 3.

    The SPARQL update service (for chunked loads) and query service (for --verify) are derived
    from the --endpoint of Oxigraph, Fuseki, GraphDB and Virtuoso; give them for other stores.

    \b
    Example:
      policykg load khamenei.nq --store-dir khamenei-store --verify
      policykg load khamenei.nq --endpoint http://127.0.0.1:7878/store --verify
      policykg load khamenei.ttl --graph https://example.org/kg/khamenei --store-dir khamenei-store
    """
    http_only = {"--query-endpoint": query_endpoint, "--update-endpoint": update_endpoint}
    http_only.update({"--auth": auth, "--insecure": "yes" if insecure else None})
    http_only["--jobs"] = str(jobs) if jobs > 1 else None
    if quiet and verbose:
        raise click.UsageError("give at most one of --quiet and --verbose")
    if (store_dir is None) == (endpoint is None):
        raise click.UsageError("give one of --store-dir DIR and --endpoint URL")
    if store_dir is not None and any(http_only.values()):
        given = ", ".join(name for name, value in http_only.items() if value)
        raise click.UsageError(f"{given}: only with --endpoint")
    progress = ProgressLine(sys.stderr, enabled=not quiet)
    try:
        try:
            report = api.load(
                output,
                store_dir=store_dir,
                endpoint=endpoint,
                graph=graph_iri,
                verify=verify,
                update_endpoint=update_endpoint,
                query_endpoint=query_endpoint,
                auth=auth,
                timeout=timeout,
                retries=retries,
                chunk_size=chunk_size,
                verify_tls=not insecure,
                progress=progress,
                jobs=jobs,
            )
        finally:
            progress.close()
    except IncompleteLoadError as error:
        if error.report.graphs:
            _echo_load(error.report, quiet=quiet, verbose=verbose)
        _fail(error)
    except PolicyKGError as error:
        _fail(error)
    _echo_load(report, quiet=quiet, verbose=verbose)


def _echo_load(report: LoadReport, *, quiet: bool, verbose: bool) -> None:
    if verbose:
        click.echo(report.describe())
    elif not quiet:
        click.echo(report.summary())


@main.command(name="docs")
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the HTML pages into (created if need be).",
)
def docs_command(directory: Path) -> None:
    """Write HTML documentation of the ontology, its code lists (SKOS) and the shapes (SHACL).

    pyLODE documents the ontology; the code lists and the shapes get pages of policykg's own.
    Open index.html in a browser.

    \b
    Example:
      policykg docs -o docs/ontology
    """
    try:
        written = write_documentation(directory)
    except PolicyKGError as error:
        _fail(error)
    click.echo(f"{directory}: {len(written)} pages written, start at index.html", err=True)


@main.command(name="schema")
@click.option("--registry", is_flag=True, help="The schema of registry files instead.")
def schema_command(registry: bool) -> None:
    """Print the JSON Schema of facts files, for editors and other tools.

    \b
    Example:
      policykg schema > facts.schema.json
      policykg schema --registry > registry.schema.json
    """
    try:
        schema = registry_schema() if registry else facts_schema()
    except PolicyKGError as error:
        _fail(error)
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@main.command(name="init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--url", required=True, metavar="URL", help="Where the article is published.")
@click.option("--title", required=True, metavar="TITLE", help="The title, as published.")
@click.option("--published", required=True, metavar="YYYY-MM-DD", help="Its publication date.")
@click.option("--id", "article_id", metavar="SLUG", help="Its id [default: from the title]")
@click.option("--publisher", metavar="NAME", help="Its publisher [default: the URL's host]")
def init_command(
    directory: Path,
    url: str,
    title: str,
    published: str,
    article_id: str | None,
    publisher: str | None,
) -> None:
    """Start an article folder: a commented facts.yaml and an article.txt for the text.

    Never overwrites a file. Paste the article's text, title included, into article.txt and the
    folder builds; then add facts by uncommenting and editing the examples in facts.yaml.

    \b
    Example:
      policykg init articles/khamenei-2016 --published 2016-06-07 \\
          --url https://ecfr.eu/article/commentary_khamenei_on_negotiations_with_us_7042/ \\
          --title "Khamenei on negotiations with US"
    """
    try:
        facts_path, text_path = start_article(
            directory,
            url=url,
            title=title,
            published=published,
            article_id=article_id,
            publisher=publisher,
        )
    except PolicyKGError as error:
        _fail(error)
    click.echo(f"created {facts_path} and {text_path}", err=True)
    click.echo(f"next: paste the article's text into {text_path}, then", err=True)
    click.echo(f"  policykg build {directory} -o {directory.name}.ttl", err=True)


@main.command(name="draft")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--registry",
    "registry_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Registry files or folders, besides those in FOLDER (repeatable).",
)
@click.option(
    "--published-from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="When the day of publication is not printed: the first day the article can have"
    " appeared (its `published` is the last). Relative dates become ranges.",
)
def draft_command(
    folder: Path, registry_paths: tuple[Path, ...], published_from: dt.datetime | None
) -> None:
    """Propose facts for the article in FOLDER, each marked `draft: true` with its quote.

    Writes into FOLDER/facts.yaml while it is still the untouched template of `policykg init`,
    else into FOLDER/facts.draft.yaml (never overwritten). build refuses an item that is still
    a draft: delete its `draft: true` line to confirm it, or delete the item. Run again after
    confirming: what the facts already cover is not proposed again. Needs policykg[draft].

    \b
    Example:
      policykg draft articles/reuters-un-chief --registry articles/registry.yaml
    """
    try:
        result = api.draft_facts(
            folder,
            registry=registry_paths,
            published_from=published_from.date() if published_from else None,
        )
    except PolicyKGError as error:
        _fail(error)
    counts = result.counts()
    summary = ", ".join(f"{counts[name]} {name}" for name in sorted(counts)) or "nothing new"
    click.echo(f"wrote {result.path}: {len(result.proposals)} proposals ({summary})", err=True)
    click.echo("next: confirm each proposal (delete its `draft: true` line) or delete it", err=True)


@main.command(name="report")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@_facts_option("to show quotes in the full text.")
@_base_option("Base IRI the graph was built with (used with --facts).")
def report_command(graph: Path, output: Path, facts_paths: tuple[Path, ...], base: str) -> None:
    """Write one self-contained HTML page to read a graph by: timeline, positions, quotes.

    The page needs no network. It is written even when the graph does not conform to the
    shapes: it lists the violations.

    \b
    Example:
      policykg report khamenei.trig --facts examples -o khamenei.html
    """
    try:
        refuse_overwriting([output], [graph, *input_files(facts_paths)])
        report = api.report(graph, facts=facts_paths, base=base)
        report.write(output)
    except PolicyKGError as error:
        _fail(error)
    click.echo(report.describe(output), err=True)


@main.command(name="query")
@click.argument("source")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*RESULT_FORMATS, *GRAPH_FORMATS]),
    help="table, csv, tsv, json or xml for SELECT and ASK [default: table on a terminal, else"
    " csv]; an RDF syntax for CONSTRUCT and DESCRIBE [default: turtle].",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help='Bind ?NAME to a string; to VALUE^^xsd:date (typed), <IRI> or "text"@en. Repeatable.',
)
@_auth_option("Endpoint authentication")
@_timeout_option("Seconds to wait for an endpoint's answer.")
def query_command(
    source: str,
    query: str,
    fmt: str | None,
    params: tuple[str, ...],
    auth: AuthScheme | None,
    timeout: float,
) -> None:
    """Ask a SPARQL query of built outputs, a store folder or a SPARQL endpoint.

    SOURCE is a file written by build, a folder of them, a store folder written by load
    --store-dir, or the URL of a SPARQL query endpoint. QUERY is a .rq file or the query itself.
    Without ORDER BY the rows are sorted.

    \b
    Example:
      policykg query khamenei.nq examples/khamenei-2016/queries/a-office-holders.rq
      policykg query khamenei.nq 'DESCRIBE <https://w3id.org/policykg/data/actor/khamenei>'
      policykg query khamenei-store events-on-a-day.rq \\
        --param date=2016-06-03^^xsd:date --format table
      policykg query http://127.0.0.1:7878/query events-on-a-day.rq \\
        --param date=2016-06-03^^xsd:date --format json
    """
    try:
        bindings = [parse_binding(param) for param in params]
        write_answer(
            source,
            read_query(query),
            sys.stdout.buffer,
            fmt=fmt,
            terminal=sys.stdout.isatty(),
            bindings=bindings,
            settings=HttpSettings(auth, timeout),
        )
    except PolicyKGError as error:
        _fail(error)


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text to read, json for programs.",
)
@_base_option("Base IRI to build facts with.")
@click.option(
    "--no-ontology", is_flag=True, help="Leave the ontology's named graph out of both sides."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Build facts on this many processes [default: all cores]; 1 works in this process.",
)
def diff_command(
    old: str, new: str, fmt: str, base: str, no_ontology: bool, jobs: int | None
) -> None:
    """Compare two builds fact by fact: facts added, removed and changed, graph by graph.

    OLD and NEW are each a file written by build, a folder of them, or facts files or a folder
    of them (built in memory, not validated), or REV:PATH, any of these at a git revision of
    the repository here. A fact is a subject IRI with the nodes it owns (its time, its evidence
    annotations); each is listed with the values that changed and its quotes. Exit status 0
    when they are the same, 1 when they differ, 2 on bad input.

    \b
    Example:
      policykg diff khamenei.nq examples
      policykg diff HEAD:examples examples --format json
    """
    try:
        report = api.compare(old, new, base=base, include_ontology=not no_ontology, jobs=jobs)
    except PolicyKGError as error:
        _fail(error)
    text = report.json() if fmt == "json" else report.text()
    click.echo(printable_message(text), nl=False)
    sys.exit(Exit.OK if report.same else Exit.DIFFERENT)


@main.group(name="export")
def export_group() -> None:
    """Export a built graph for the tools of other fields (events: event data in CSV or JSONL).

    \b
    Example:
      policykg export events khamenei.trig -o events.csv
    """


@export_group.command(name="events")
@click.argument("graph")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (- for standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="csv or jsonl [default: jsonl for a .jsonl file, else csv].",
)
@click.option(
    "--day-precision-only",
    is_flag=True,
    help="Leave out the rows whose date is not one known day.",
)
def export_events_command(
    graph: str, output: Path, fmt: str | None, day_precision_only: bool
) -> None:
    """Write the coded facts of a graph as event data: one row per coded event, statement and
    stance, with date and precision, actors, CAMEO code, Goldstein value and quad class.

    GRAPH is what query reads: a file written by build, a folder of them, a store folder or
    the URL of a SPARQL query endpoint. A date not known to the day keeps its precision
    (2015-04, month): no day is made up.

    \b
    Example:
      policykg export events khamenei.trig -o events.csv
      policykg export events khamenei.trig -o events.jsonl --day-precision-only
    """
    to_stdout = str(output) == "-"
    try:
        if not to_stdout:
            refuse_overwriting([output], [Path(graph)])
        table = api.export_events(graph, day_precision_only=day_precision_only)
        if to_stdout:
            sys.stdout.buffer.write(table.serialize(fmt or "csv"))
            sys.stdout.buffer.flush()
        else:
            table.write(output, fmt or export_format(output))
    except PolicyKGError as error:
        _fail(error)
    if not to_stdout:
        click.echo(table.describe(output), err=True)


def _write_report(report: ValidationReport, path: Path | None) -> None:
    if path is not None:
        write_atomically(path, report.graph.serialize(format="turtle", encoding="utf-8"))


def _verdict(report: ValidationReport) -> str:
    """The report as text; on a terminal its first line is green when it conforms, else red.

    Control characters from the data are escaped, so a value cannot drive the terminal.
    """
    first, newline, rest = printable_message(report.describe()).partition("\n")
    return click.style(first, fg="green" if report.conforms else "red") + newline + rest


def _fail(error: PolicyKGError) -> None:
    message = printable_message(str(error))
    click.echo(f"{click.style('error:', fg='red', bold=True)} {message}", err=True)
    sys.exit(_exit_status(error))


def _exit_status(error: PolicyKGError) -> Exit:
    if isinstance(error, StoreError):
        return Exit.STORE_FAILURE
    if isinstance(error, WorkerError):
        return Exit.WORKER_DIED
    return Exit.BAD_INPUT
