"""Ask SPARQL questions of built outputs, of an on-disk store, or of a SPARQL endpoint.

Files and stores are queried with pyoxigraph, whose default graph is here the union of all graphs,
so the competency questions need no ``GRAPH``; an endpoint answers over the SPARQL 1.1 Protocol.
Parameters are bound as RDF terms, never pasted into the query as text: locally through
pyoxigraph's substitutions, at an endpoint as a trailing ``VALUES`` clause of escaped terms.
A local query never fetches anything: one that calls a ``SERVICE`` is refused. The engine runs in
a worker thread (see ``streaming``), so a signal stops a query however long it computes, and
:func:`write_answer` writes a long answer without holding its rows. ``policykg.query`` wraps
:func:`run_query`; ``docs/api.md`` shows it at work.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast
from urllib.parse import urlencode

import pyoxigraph as ox

from policykg.errors import GraphInputError, QueryError, StoreError, UsageError
from policykg.rdf.files import (
    RDF_FORMATS,
    file_format,
    jsonld_with_shipped_context,
    parse_error,
)
from policykg.rdf.serialization import FORMATS
from policykg.store.http import (
    FORM,
    SPARQL_JSON,
    HttpSettings,
    StoreClient,
    check_complete,
    checked_url,
    public_url,
)
from policykg.store.results import (
    GRAPH_FORMATS,
    Answer,
    QueryResult,
    Row,
    Solutions,
    Term,
    Triples,
    render,
    row_key,
    solutions_format,
    write_solutions,
)
from policykg.store.sparql_text import QueryShape, shape_of
from policykg.store.streaming import (
    Emit,
    RowKey,
    batched,
    run_in_worker,
    scratch_folder,
    sorted_rows,
)

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANGUAGE_LITERAL = re.compile(r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)', re.DOTALL)
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")
_CHARACTER_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]")  # ['0' ..= '9'], [_]
_DETAIL_LENGTH = 160


@dataclass(frozen=True)
class Binding:
    """A value for one variable of a query (``--param name=value``)."""

    name: str
    value: ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query service reached over HTTP."""

    url: str
    settings: HttpSettings = field(default_factory=HttpSettings)


def run_query(
    source: str | Path | ox.Store | Endpoint,
    query: str,
    *,
    bindings: Sequence[Binding] = (),
    settings: HttpSettings | None = None,
) -> QueryResult:
    """Answer the SPARQL *query* over *source*, with *bindings* for some of its variables.

    *source* is a file ``build`` wrote, a folder of them, an on-disk Oxigraph store folder, or the
    http(s) URL of a SPARQL query endpoint (*settings*: its auth scheme and timeout); or what
    :func:`open_source` made of one, to ask several queries.

    Raises :class:`QueryError` for a bad query (with line and column for a syntax error),
    :class:`UsageError` for bad bindings, :class:`GraphInputError` for an unreadable source and
    :class:`StoreError` when a store or endpoint fails.
    """
    shape = shape_of(query)
    answer = _answer(source, query, bindings, shape, settings)
    try:
        return _collected(answer, ordered=shape.ordered)
    finally:
        answer.close()


def write_answer(
    source: str | Path | ox.Store | Endpoint,
    query: str,
    output: BinaryIO,
    *,
    fmt: str | None = None,
    terminal: bool = False,
    bindings: Sequence[Binding] = (),
    settings: HttpSettings | None = None,
) -> None:
    """Answer *query* like :func:`run_query`, and write the answer to *output* in *fmt*.

    The rows of a SELECT answer are never all held in memory: they go to a temporary file as the
    engine gives them (sorted on disk first when the query has no ORDER BY, so that the same
    query gives the same bytes) and are written from there. ASK and graph answers are written
    whole. *fmt* and *terminal* choose the format as :func:`~policykg.store.results.render`
    does.
    """
    shape = shape_of(query)
    if shape.form in ("CONSTRUCT", "DESCRIBE") or fmt in GRAPH_FORMATS:
        output.write(render(run_query(source, query, bindings=bindings, settings=settings), fmt))
        return
    name = solutions_format(fmt, terminal=terminal)
    answer = _answer(source, query, bindings, shape, settings)
    try:
        head = next(answer)
        if isinstance(head, (Answer, Triples)):
            output.write(render(head, fmt, terminal=terminal))
            return
        assert isinstance(head, tuple)
        with scratch_folder() as scratch:
            folder = Path(scratch)
            rows: Iterator[RowKey] = (
                row_key(row) for batch in answer for row in cast(list[Row], batch)
            )
            if not shape.ordered:
                rows = sorted_rows(rows, folder, width=len(head))
            write_solutions(head, rows, name, output, folder)
    finally:
        answer.close()


def _answer(
    source: str | Path | ox.Store | Endpoint,
    query: str,
    bindings: Sequence[Binding],
    shape: QueryShape,
    settings: HttpSettings | None,
) -> Generator[object, None, None]:
    _check_bindings(bindings, shape)
    if shape.calls_service and not isinstance(source, Endpoint) and not _is_url(str(source)):
        raise QueryError(
            "SERVICE is refused over files and store folders: a local query never fetches"
            " anything; ask the endpoint that should call the service instead"
        )
    opened = (
        source
        if isinstance(source, (ox.Store, Endpoint))
        else open_source(source, settings=settings)
    )
    if isinstance(opened, Endpoint):
        return _endpoint_answer(opened, query, bindings, shape)
    return _local_answer(opened, query, bindings, shape)


def open_source(source: str | Path, *, settings: HttpSettings | None = None) -> ox.Store | Endpoint:
    """The endpoint *source* names, or a pyoxigraph store holding the files or store it names."""
    text = str(source)
    if _is_url(text):
        return Endpoint(checked_url(text, "SOURCE"), settings or HttpSettings())
    path = Path(source)
    if path.is_file():
        return _store_of_files([path])
    if not path.is_dir():
        raise GraphInputError("no such file, folder or store", path)
    store = _read_only_store(path)
    if store is not None:
        return store
    files = sorted(
        found
        for found in path.rglob("*")
        if found.suffix.lower() in FORMATS.values()
        and found.is_file()
        and not any(part.startswith(".") for part in found.relative_to(path).parts)
    )
    if not files:
        suffixes = " ".join(FORMATS.values())
        raise GraphInputError(f"is neither a store nor a folder of RDF files ({suffixes})", path)
    return _store_of_files(files)


def _is_url(text: str) -> bool:
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


def read_query(argument: str) -> str:
    """The text of the query file *argument* names, else *argument* itself as the query."""
    path = Path(argument)
    try:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"{argument}: the query file is not UTF-8 text") from error
    except (OSError, ValueError):
        pass  # too long or odd to be a file name: the query itself
    if path.suffix.lower() in (".rq", ".sparql") and "\n" not in argument:
        raise QueryError(f"no such query file: {argument}")
    return argument


def parse_binding(text: str) -> Binding:
    """Read ``name=value``: a string, ``value^^xsd:type``, ``<IRI>`` or ``"text"@lang``.

    >>> parse_binding("date=2016-06-03^^xsd:date").value
    <Literal value=2016-06-03 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    name, equals, value = text.partition("=")
    if not equals:
        raise UsageError(f"--param {text!r}: write name=value")
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"--param {text!r}: {name!r} is not a variable name"
            " (letters, digits and _, not starting with a digit)"
        )
    return Binding(name, _term(value, text))


def _check_bindings(bindings: Sequence[Binding], shape: QueryShape) -> None:
    names = [binding.name for binding in bindings]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"--param {name} is given twice")
        if name not in shape.variables:
            raise UsageError(f"--param {name}: the query has no variable ?{name}")


def _term(value: str, text: str) -> ox.NamedNode | ox.Literal:
    if len(value) >= 2 and value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], text)
    language = _LANGUAGE_LITERAL.fullmatch(value)
    if language:
        return ox.Literal(language[1], language=language[2])
    lexical, hats, datatype = value.rpartition("^^")
    if not hats:
        return ox.Literal(value)
    if len(lexical) >= 2 and lexical.startswith('"') and lexical.endswith('"'):
        lexical = lexical[1:-1]
    return ox.Literal(lexical, datatype=_datatype(datatype, text))


def _datatype(datatype: str, text: str) -> ox.NamedNode:
    if datatype.startswith("xsd:"):
        local = datatype.removeprefix("xsd:")
        if not re.fullmatch(r"[A-Za-z]+", local):
            raise UsageError(f"--param {text!r}: {datatype!r} is not an XML Schema datatype")
        return ox.NamedNode(_XSD + local)
    if datatype.startswith("<") and datatype.endswith(">"):
        datatype = datatype[1:-1]
    return _iri(datatype, text)


def _iri(iri: str, text: str) -> ox.NamedNode:
    if _NOT_IN_IRI.search(iri):
        raise UsageError(
            f"--param {text!r}: an IRI cannot hold spaces, control characters"
            ' or any of <>"{}|^`\\'
        )
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise UsageError(f"--param {text!r}: {iri!r} is not an absolute IRI ({error})") from error


def _read_only_store(path: Path) -> ox.Store | None:
    """The Oxigraph store in the folder *path*, opened read-only; ``None`` if it holds none."""
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        if (path / "CURRENT").exists():  # RocksDB's marker: a store, but a broken or locked one
            raise StoreError(f"cannot open the store: {error}", endpoint=str(path)) from error
        return None


def _store_of_files(paths: Iterable[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        name = file_format(path)
        try:
            if name == "json-ld":
                store.load(jsonld_with_shipped_context(path), format=ox.RdfFormat.JSON_LD)
            else:
                store.load(path=str(path), format=RDF_FORMATS[name])
        except SyntaxError as error:
            raise parse_error(error, path) from error
        except OSError as error:
            raise GraphInputError(f"cannot read the file ({error})", path) from error
    return store


def _local_answer(
    store: ox.Store, query: str, bindings: Sequence[Binding], shape: QueryShape
) -> Generator[object, None, None]:
    """The answer of *store*, computed in a worker thread (see :func:`run_in_worker`)."""
    substitutions: dict[ox.Variable, Term] = {
        ox.Variable(binding.name): binding.value for binding in bindings
    }

    def produce(emit: Emit) -> None:
        with _engine_errors(query):
            answer = store.query(
                query, use_default_graph_as_union=True, substitutions=substitutions or None
            )
            _emit_answer(answer, emit)

    return run_in_worker(produce)


@contextmanager
def _engine_errors(query: str) -> Iterator[None]:
    """pyoxigraph's errors, while it parses and answers *query*, as policykg errors."""
    try:
        yield
    except SyntaxError as error:
        raise _syntax_error(str(error), query) from error
    except OSError as error:
        raise StoreError(f"the store failed while answering: {error}") from error
    except (RuntimeError, ValueError) as error:
        not_projected = _NOT_PROJECTED.search(str(error))
        if not_projected:
            raise QueryError(
                f"--param {not_projected[1]}: a file or store binds only variables the query"
                f" selects; add ?{not_projected[1]} to SELECT (or use SELECT *)"
            ) from error
        raise QueryError(str(error)) from error


def _emit_answer(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, emit: Emit) -> None:
    """Emit an ASK or graph answer whole; a SELECT answer as its variables, then rows in batches."""
    if isinstance(answer, ox.QueryBoolean):
        emit(Answer(bool(answer)))
    elif isinstance(answer, ox.QueryTriples):
        emit(Triples(_sorted_triples(answer)))
    else:
        emit(tuple(variable.value for variable in answer.variables))
        batched((tuple(solution) for solution in answer), emit)


def _endpoint_answer(
    endpoint: Endpoint, query: str, bindings: Sequence[Binding], shape: QueryShape
) -> Generator[object, None, None]:
    if shape.form is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    if bindings:
        query = _with_values(query, bindings, shape)
    graph = shape.form in ("CONSTRUCT", "DESCRIBE")
    with StoreClient(endpoint.settings, endpoint.url) as client:
        # Form-encoded, not application/sparql-query: Virtuoso 7.2 never answers that.
        response = client.send(
            "POST",
            endpoint.url,
            body=urlencode({"query": query}).encode("ascii"),
            content_type=FORM,
            accept=_GRAPH_ACCEPT if graph else SPARQL_JSON,
            action="run the query",
        )
        check_complete(response, action="run the query")

    def produce(emit: Emit) -> None:
        media_type = response.headers.get("Content-Type", "")
        try:
            if graph:
                rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
                quads = ox.parse(response.content, format=rdf_format)
                emit(Triples(_sorted_triples(quad.triple for quad in quads)))
                return
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            parsed = ox.parse_query_results(
                response.content, format=results_format or ox.QueryResultsFormat.JSON
            )
            _emit_answer(parsed, emit)
        except (SyntaxError, ValueError):
            # Neither chained nor quoted: the parser's message may quote the answer, and the
            # answer the credentials; the scrubbed excerpt shows what came back.
            kind = "RDF" if graph else "SPARQL results"
            raise StoreError(
                f"the endpoint's answer cannot be read as {kind} ({media_type or 'no type'})",
                endpoint=public_url(endpoint.url),
                status=response.status_code,
                body_excerpt=client.excerpt(response),
            ) from None

    return run_in_worker(produce)


def _with_values(query: str, bindings: Sequence[Binding], shape: QueryShape) -> str:
    """*query* with a trailing ``VALUES`` clause of the bindings, written as N-Triples terms.

    The terms are escaped (their ``str``), so no value can end the clause; the line break keeps
    a last-line comment from swallowing it.
    """
    if shape.has_values:
        raise QueryError("--param cannot be sent to an endpoint with a query that ends in VALUES")
    names = " ".join(f"?{binding.name}" for binding in bindings)
    terms = " ".join(str(binding.value) for binding in bindings)
    return f"{query}\nVALUES ({names}) {{ ({terms}) }}\n"


def _collected(answer: Iterator[object], *, ordered: bool) -> QueryResult:
    head = next(answer)
    if isinstance(head, (Answer, Triples)):
        return head
    assert isinstance(head, tuple)
    rows: list[Row] = [row for batch in answer for row in cast(list[Row], batch)]
    if not ordered:
        rows.sort(key=row_key)
    return Solutions(head, tuple(rows))


def _sorted_triples(triples: Iterable[ox.Triple]) -> tuple[ox.Triple, ...]:
    return tuple(sorted(set(triples), key=str))


def _syntax_error(message: str, query: str) -> QueryError:
    """A :class:`QueryError` with pyoxigraph's line and column, and the line with a caret."""
    position = _SYNTAX_POSITION.match(message)
    if position is None:
        return QueryError(message)
    line, column = int(position[1]), int(position[2])
    detail = _without_character_classes(" ".join(position[3].split()))
    if len(detail) > _DETAIL_LENGTH:
        detail = detail[: _DETAIL_LENGTH - 1] + "…"
    lines = query.splitlines()
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        pad = "".join("\t" if char == "\t" else " " for char in text[: column - 1])
        detail += f"\n  {text}\n  {pad}^"
    return QueryError(detail, line=line, column=column)


def _without_character_classes(detail: str) -> str:
    """pyoxigraph's list of expected tokens without its long character classes."""
    shorter = _CHARACTER_CLASS.sub("", detail)
    shorter = re.sub(r"(?:,\s*)+(,\s*)", r"\1", shorter)
    shorter = re.sub(r"[,\s]+$", "", re.sub(r"one of\s*,\s*", "one of ", shorter))
    return detail if shorter.endswith("expected") else shorter
