"""Reading back the RDF files policykg writes, for ``validate``, ``report``, ``load`` and ``query``.

One reader for every command, so that they agree on what is valid: the format comes from the
extension, pyoxigraph parses (strict RDF 1.1: an invalid IRI is an error with its line and
column), and where rdflib graphs are needed (pyshacl) they are made from pyoxigraph's quads,
never by parsing again with rdflib. Nothing is fetched: policykg's JSON-LD context URL is
replaced by the copy shipped in the package, and any other remote context, ``@import``
included, is refused.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias, cast

import pyoxigraph as ox
from rdflib import Graph, Literal

from policykg.errors import GraphInputError, UsageError
from policykg.rdf.serialization import CONTEXT_URL, format_for
from policykg.resources import jsonld_context
from policykg.terms import rdflib_graph, rdflib_term

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
}
"""pyoxigraph's format for each of policykg's format names."""

GraphName: TypeAlias = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PARSER_POSITION = re.compile(r"^Parser error at line \d+[^:]*: ")


def file_format(path: Path) -> str:
    """policykg's name of the format of *path*, from its extension."""
    try:
        return format_for(path, None)
    except UsageError as error:
        raise GraphInputError(str(error), path) from error


def parse_quads(path: Path) -> Iterable[ox.Quad]:
    """The quads of *path* (any format ``build`` writes), parsed lazily by pyoxigraph.

    Iterating may raise ``SyntaxError`` (bad syntax) or ``OSError``; :func:`parse_error` turns
    the first into a located :class:`GraphInputError`.
    """
    fmt = file_format(path)
    if fmt == "json-ld":
        data = jsonld_with_shipped_context(path)
        return cast(
            Iterable[ox.Quad], ox.parse(data, format=RDF_FORMATS[fmt], rename_blank_nodes=True)
        )
    return cast(
        Iterable[ox.Quad], ox.parse(path=path, format=RDF_FORMATS[fmt], rename_blank_nodes=True)
    )


def read_graphs(path: Path) -> dict[GraphName, list[ox.Triple]]:
    """The triples of *path* by graph (the default graph too, if it holds any), in file order.

    Raises :class:`GraphInputError` for a file that cannot be read or parsed (with the line and
    column where pyoxigraph gives them), and for RDF 1.2 triple terms, which rdflib (and so
    pyshacl) cannot hold.
    """
    graphs: dict[GraphName, list[ox.Triple]] = {}
    try:
        for quad in parse_quads(path):
            triple = quad.triple
            if isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple):
                raise GraphInputError(
                    f"holds an RDF 1.2 triple term ({quad}), which policykg cannot validate", path
                )
            graphs.setdefault(quad.graph_name, []).append(triple)
    except SyntaxError as error:
        raise parse_error(error, path) from error
    except OSError as error:
        raise GraphInputError(f"cannot read the file ({error.strerror or error})", path) from error
    return graphs


def parse_error(error: SyntaxError, path: Path) -> GraphInputError:
    """pyoxigraph's *error* for *path* as a :class:`GraphInputError` with its line and column.

    Positions in JSON-LD are those of the text with the shipped context put in, not of the
    file: they are left out.
    """
    fmt = file_format(path)
    detail = _PARSER_POSITION.sub("", error.msg)
    if "LoadDocumentCallback" in detail:  # pyoxigraph was asked to fetch a context
        return GraphInputError(
            "remote JSON-LD contexts are not fetched: the file names a context by URL"
            " (policykg never fetches contexts; embed it in the file)",
            path,
        )
    if fmt == "json-ld":
        return GraphInputError(f"cannot be parsed as {fmt}: {detail}", path)
    return GraphInputError(
        f"cannot be parsed as {fmt}: {detail}", path, line=error.lineno, column=error.offset
    )


def jsonld_with_shipped_context(path: Path) -> bytes:
    """The JSON-LD file *path* with policykg's context URL replaced by the shipped context.

    Any other remote context (at the top, inside a node, or scoped in a term definition) and
    any ``@import`` are refused with :class:`GraphInputError`: policykg never fetches.
    """
    try:
        raw = path.read_bytes()
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise GraphInputError(
            f"cannot be parsed as json-ld: {error.msg}", path, line=error.lineno, column=error.colno
        ) from error
    except UnicodeDecodeError as error:
        raise GraphInputError(f"not UTF-8 text: {error}", path) from error
    except OSError as error:
        raise GraphInputError(f"cannot read the file ({error.strerror or error})", path) from error
    return json.dumps(_ContextReplacer(path, raw).document(document)).encode("utf-8")


class _ContextReplacer:
    """Puts the shipped context in place of policykg's URL wherever a context may be given."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self._path = path
        self._text = raw.decode("utf-8", errors="replace")

    def document(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.document(item) for item in value]
        if not isinstance(value, dict):
            return value
        return {
            key: self.context(item) if key == "@context" else self.document(item)
            for key, item in value.items()
        }

    def context(self, context: Any) -> Any:
        if isinstance(context, list):
            return [self.context(item) for item in context]
        if context == CONTEXT_URL:
            return jsonld_context()
        if isinstance(context, str):
            raise self._remote(repr(context), json.dumps(context))
        if not isinstance(context, dict):
            return context  # null, which clears the context
        if "@import" in context:
            raise self._remote(f"@import {context['@import']!r}", '"@import"')
        return {key: self._term_definition(item) for key, item in context.items()}

    def _term_definition(self, definition: Any) -> Any:
        if not isinstance(definition, dict):
            return definition
        return {
            key: self.context(item) if key == "@context" else item
            for key, item in definition.items()
        }

    def _remote(self, what: str, needle: str) -> GraphInputError:
        at = self._text.find(needle)
        line = column = None
        if at >= 0:
            line = self._text.count("\n", 0, at) + 1
            column = at - self._text.rfind("\n", 0, at)
        return GraphInputError(
            f"remote JSON-LD contexts are not fetched: {what}"
            " (policykg never fetches contexts; embed the context in the file)",
            self._path,
            line=line,
            column=column,
        )


def union_graph(graphs: Mapping[GraphName, Sequence[ox.Triple]]) -> Graph:
    """The union of *graphs* as one rdflib graph."""
    return rdflib_graph(triple for triples in graphs.values() for triple in triples)


def refuse_ill_typed_literals(graphs: Mapping[GraphName, Sequence[ox.Triple]], path: Path) -> None:
    """Raise :class:`GraphInputError` for literals that are not valid values of their datatype
    ("x"^^xsd:integer): rdflib's SPARQL engine, which pyshacl uses, fails on them."""
    typed = {
        value
        for triples in graphs.values()
        for triple in triples
        if isinstance(value := triple.object, ox.Literal)
        and value.language is None
        and value.datatype.value != _XSD_STRING
    }
    with _quiet_literal_warnings():
        ill_typed = {value for value in typed if cast(Literal, rdflib_term(value)).ill_typed}
    if not ill_typed:
        return
    bad = sorted(
        {
            f"{value} (the {triple.predicate} of {triple.subject})"
            for triples in graphs.values()
            for triple in triples
            if (value := triple.object) in ill_typed
        }
    )
    shown = "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
    raise GraphInputError(
        f"has {len(bad)} literal(s) whose text is not a valid value of their datatype: "
        f"{shown}. Correct the text or the datatype.",
        path,
    )


@contextmanager
def _quiet_literal_warnings() -> Iterator[None]:
    """rdflib logs a traceback for each literal whose text its datatype cannot read; policykg
    reports them itself (:func:`refuse_ill_typed_literals`)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
