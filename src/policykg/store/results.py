"""The answers of SPARQL queries and how they are written: an aligned table, the W3C SPARQL 1.1
results formats (CSV, TSV, JSON, XML), or an RDF syntax for the graph of a CONSTRUCT or DESCRIBE."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, cast

import pyoxigraph as ox

from policykg.errors import UsageError
from policykg.namespaces import PREFIXES, prefixed_name
from policykg.outputs import printable

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
"""Formats of SELECT and ASK answers: aligned text and the W3C SPARQL 1.1 results formats."""

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}
"""Formats of CONSTRUCT and DESCRIBE answers."""

_IMPLICIT_DATATYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


@dataclass(frozen=True)
class Solutions:
    """The rows of a SELECT answer, one term (or ``None``, unbound) per variable."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Answer:
    """The answer to an ASK query."""

    value: bool


@dataclass(frozen=True)
class Triples:
    """The graph a CONSTRUCT or DESCRIBE query builds."""

    triples: tuple[ox.Triple, ...]


QueryResult = Solutions | Answer | Triples


def row_key(row: Row) -> tuple[str, ...]:
    """The terms of *row* in N-Triples syntax (unbound: empty), to sort rows by."""
    return tuple("" if term is None else str(term) for term in row)


def solutions_format(fmt: str | None, *, terminal: bool = False) -> str:
    """The format to write a SELECT or ASK answer in: *fmt*, else a table on a terminal, else CSV.

    Raises :class:`UsageError` when *fmt* is a graph format.
    """
    name = fmt or ("table" if terminal else "csv")
    if name not in RESULT_FORMATS:
        raise UsageError(
            f"a SELECT or ASK answer is a table: choose --format {', '.join(RESULT_FORMATS)}"
        )
    return name


def write_solutions(
    variables: Iterable[str],
    rows: Iterable[tuple[str, ...]],
    fmt: str,
    output: BinaryIO,
    folder: Path,
) -> None:
    """Write the rows of a SELECT answer (terms in N-Triples syntax) to *output* in *fmt*.

    The rows go to a file in *folder* as they come, and are written from it, so no more than a
    row is held in memory; a table reads the file twice, for its column widths and its lines.
    """
    rows_file = folder / "answer.tsv"
    with rows_file.open("w", encoding="utf-8", newline="\n") as file:
        file.write("\t".join(f"?{name}" for name in variables) + "\n")
        file.writelines("\t".join(row) + "\n" for row in rows)
    if fmt == "table":
        _write_table(rows_file, output)
        return
    solutions = ox.parse_query_results(path=rows_file, format=ox.QueryResultsFormat.TSV)
    ending = _LastByte(output)
    solutions.serialize(cast(IO[bytes], ending), format=RESULT_FORMATS[fmt])
    if ending.last != b"\n":
        output.write(b"\n")


def render(result: QueryResult, fmt: str | None = None, *, terminal: bool = False) -> bytes:
    """*result* in format *fmt*: by default a table on a *terminal*, else CSV; Turtle for graphs.

    Raises :class:`UsageError` when *fmt* does not fit the kind of answer.
    """
    if isinstance(result, Triples):
        name = fmt or "turtle"
        if name not in GRAPH_FORMATS:
            raise UsageError(
                "a CONSTRUCT or DESCRIBE answer is a graph:"
                f" choose --format {', '.join(GRAPH_FORMATS)}"
            )
        written = ox.serialize(
            result.triples, format=GRAPH_FORMATS[name], prefixes=_used_prefixes(result)
        )
        return written or b""
    name = fmt or ("table" if terminal else "csv")
    results_format = RESULT_FORMATS.get(name)
    if name == "table":
        return _table(result)
    if results_format is None:
        raise UsageError(
            f"a SELECT or ASK answer is a table: choose --format {', '.join(RESULT_FORMATS)}"
        )
    written = _results(result).serialize(format=results_format) or b""
    return written if written.endswith(b"\n") else written + b"\n"


def _results(result: Solutions | Answer) -> ox.QuerySolutions | ox.QueryBoolean:
    """*result* as pyoxigraph query results, which serialize themselves in the W3C formats.

    pyoxigraph cannot build query results from Python values, so the rows pass through SPARQL
    TSV, whose terms are exactly their N-Triples form.
    """
    if isinstance(result, Answer):
        data = json.dumps({"head": {}, "boolean": result.value})
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines.extend("\t".join(row_key(row)) for row in result.rows)
    return ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)


def _table(result: Solutions | Answer) -> bytes:
    """Aligned columns under a header and a rule; an ASK answer is ``true`` or ``false``."""
    if isinstance(result, Answer):
        return b"true\n" if result.value else b"false\n"
    cells = [[_cell(term) for term in row] for row in result.rows]
    widths = _widths(result.variables, cells)
    return "".join(_table_lines(result.variables, cells, widths)).encode("utf-8")


def _write_table(rows_file: Path, output: BinaryIO) -> None:
    def cells() -> Iterator[list[str]]:
        solutions = ox.parse_query_results(path=rows_file, format=ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        return ([_cell(term) for term in solution] for solution in solutions)

    with rows_file.open(encoding="utf-8") as file:
        header = file.readline().rstrip("\n")
    variables = [name[1:] for name in header.split("\t")] if header else []
    widths = _widths(variables, cells())
    for line in _table_lines(variables, cells(), widths):
        output.write(line.encode("utf-8"))


def _widths(variables: Iterable[str], cells: Iterable[list[str]]) -> list[int]:
    widths = [len(name) for name in variables]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    return widths


def _table_lines(
    variables: Iterable[str], cells: Iterable[list[str]], widths: list[int]
) -> Iterator[str]:
    for row in (list(variables), ["-" * width for width in widths]):
        yield _table_line(row, widths)
    for row in cells:
        yield _table_line(row, widths)


def _table_line(cells: list[str], widths: list[int]) -> str:
    line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
    return line.rstrip() + "\n"


def _cell(term: Term | None) -> str:
    """A literal's lexical form, or an IRI (vocabulary IRIs shortened to ``prefix:name`` for
    reading), with line breaks, tabs and every other control character escaped, so that data
    cannot move the cursor or recolour a terminal."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = prefixed_name(term.value)
    else:
        text = term.value if isinstance(term, ox.Literal) else str(term)
    return printable(text)


def _used_prefixes(result: Triples) -> dict[str, str]:
    """policykg's prefixes whose namespace begins some IRI of *result*, in name order."""
    iris = set()
    for triple in result.triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and term.datatype.value not in _IMPLICIT_DATATYPES:
                iris.add(term.datatype.value)
    namespaces = sorted((name, str(namespace)) for name, namespace in PREFIXES.items())
    return {
        name: namespace
        for name, namespace in namespaces
        if any(iri.startswith(namespace) for iri in iris)
    }


class _LastByte:
    """A binary output that remembers the last byte written to it."""

    def __init__(self, output: BinaryIO) -> None:
        self._output = output
        self.last = b""

    def write(self, data: bytes) -> int:
        if data:
            self.last = data[-1:]
        return self._output.write(data)

    def flush(self) -> None:
        self._output.flush()
