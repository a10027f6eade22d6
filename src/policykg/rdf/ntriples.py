"""policykg's N-Triples and N-Quads lines: the one module that writes, splits and reads them.

A graph travels through a build as sorted lines of one form (RDF 1.1 N-Triples, or N-Quads of
one named graph)::

    <subject> <predicate> <object> .
    <subject> <predicate> "lexical form"^^<datatype> <graph> .

* IRIs are written as they are: each is valid before it is written (:mod:`policykg.facts.iris`),
  and a valid IRI holds no character that N-Triples escapes (space, ``<>"{}|^`\\``, controls).
* Literals are written by :func:`literal_term`, which escapes every line break, quote and
  backslash; plain strings carry no datatype; there are no language tags.
* No blank nodes, no comments, one space between terms, ``" .\\n"`` (or the graph and
  ``" .\\n"``) after them.

So a line ends at the first line break, its subject and predicate end at the first and second
space, and its object runs to the line's end. Every function below relies on that form; nothing
else in policykg takes lines apart. :func:`read_triples` reads lines back fast where they have
the form, and through pyoxigraph's strict parser where they have not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Generic, TypeVar

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat
from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.errors import LineFormatError
from policykg.terms import Term, rdflib_term

LINE_END = b" .\n"
"""What ends each N-Triples line."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "

# -- writing -----------------------------------------------------------------------------------

_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\b": "\\b",
        "\f": "\\f",
    }
)


def literal_term(lexical: str, datatype: str | None = None) -> str:
    """*lexical* as an N-Triples literal (a plain string without *datatype*, or with
    ``xsd:string``, which is the same literal in RDF 1.1)."""
    quoted = '"' + lexical.translate(_ESCAPES) + '"'
    return quoted if datatype is None or datatype == _XSD_STRING else f"{quoted}^^<{datatype}>"


def iri_triple(subject: str, predicate: str, obj: str) -> str:
    """The triple of three (valid) IRIs as a line without its end."""
    return f"<{subject}> <{predicate}> <{obj}>"


def iri_triples(subject: str, pairs: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The triples of *subject* with each (predicate, object IRI) of *pairs*, as lines without
    their ends (:func:`iri_triple` for many triples of one subject)."""
    head = f"<{subject}> <"
    return (f"{head}{predicate}> <{obj}>" for predicate, obj in pairs)


def literal_triple(subject: str, predicate: str, lexical: str, datatype: str | None = None) -> str:
    """The triple whose object is the literal *lexical* (of *datatype*) as a line without its
    end."""
    return f"<{subject}> <{predicate}> {literal_term(lexical, datatype)}"


def sorted_ntriples(lines: Iterable[str]) -> bytes:
    """The distinct *lines* (triples without their end) as sorted N-Triples."""
    return "".join(sorted(line + " .\n" for line in lines)).encode("utf-8")


def join_lines(lines: Iterable[bytes]) -> bytes:
    """Lines without their end as N-Triples text."""
    return b"".join(line + LINE_END for line in lines)


def merged_lines(texts: Iterable[bytes]) -> bytes:
    """The distinct lines of the N-Triples *texts*, sorted, without empty lines."""
    lines = set(b"".join(texts).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


# -- N-Triples and N-Quads ---------------------------------------------------------------------


def line_end(graph_iri: str | None = None) -> bytes:
    """What ends each line: ``" .\\n"`` for N-Triples, a space, ``<graph_iri>`` and ``" .\\n"`` for
    N-Quads of the graph *graph_iri*."""
    return LINE_END if graph_iri is None else b" <" + graph_iri.encode() + b"> .\n"


def as_nquads(ntriples: bytes, graph_iri: str) -> bytes:
    """The N-Triples lines *ntriples* as N-Quads lines in the graph *graph_iri*."""
    # " .\n" occurs only at the end of a line: a literal holds no raw line break.
    return ntriples.replace(LINE_END, line_end(graph_iri))


def as_ntriples(nquads: bytes, graph_iri: str) -> bytes:
    """The N-Quads lines *nquads* of the graph *graph_iri* as N-Triples lines."""
    # Only at the end of a line is the graph followed by " .\n".
    return nquads.replace(line_end(graph_iri), LINE_END)


def split_lines(data: bytes, end: bytes = LINE_END) -> list[bytes]:
    """The lines of *data*, each ended by *end* (see :func:`line_end`), without their end."""
    return data[: -len(end)].split(end) if data else []


# -- taking lines apart ------------------------------------------------------------------------


def distinct_triples(sorted_lines: Iterable[bytes]) -> Iterator[list[bytes]]:
    """The subject, predicate and object terms of each of *sorted_lines* (lines without their
    end), a line repeated next to itself once."""
    previous = None
    for line in sorted_lines:
        if line != previous:
            previous = line
            yield line.split(b" ", 2)


def subject_of(line: bytes) -> bytes:
    """The subject term of *line*: a line sorts before another's subject followed by a space
    exactly when its own subject does, since subjects hold no space."""
    return line[: line.index(b" ")]


def literal_datatype(term: bytes) -> tuple[bytes, bytes | None]:
    """A literal term (which starts with ``"``) as its quoted lexical form and its datatype IRI
    term (``None`` for a plain string or a language-tagged one, whose term is then returned
    whole)."""
    if term[-1] == 0x22:  # '"': a plain string
        return term, None
    end = term.rindex(b'"')  # the closing quote: a datatype or language tag holds none
    if term[end + 1] != 0x5E:  # '^': a language tag
        return term, None
    return term[: end + 1], term[end + 3 :]


def line_at(data: bytes, offset: int) -> bytes:
    """The line of *data* (N-Triples or N-Quads) that holds *offset*, without its line break."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data[start : data.index(b"\n", start)]


def first_line_from(data: bytes, key: bytes) -> int:
    """The offset in the sorted lines *data* of the first line not before *key*."""
    low, high = 0, len(data)  # line starts: every line before low is before key; none from high
    while low < high:
        start = data.rfind(b"\n", low, (low + high) // 2) + 1 or low
        end = data.index(b"\n", start) + 1
        if data[start:end] < key:
            low = end
        else:
            high = start
    return low


def subject_lines(ntriples: bytes) -> dict[str, list[bytes]]:
    """The lines of *ntriples* (with their ends) grouped by subject IRI."""
    grouped: dict[str, list[bytes]] = {}
    for line in ntriples.splitlines(keepends=True):
        grouped.setdefault(line[1 : line.index(b">")].decode(), []).append(line)
    return grouped


def object_iris(ntriples: bytes) -> Iterator[str]:
    """The IRI objects of the lines of *ntriples*, in order."""
    for line in ntriples.splitlines():
        obj = line[:-2].split(b" ", 2)[2]  # without its " ."
        if obj[0] == 0x3C:  # "<": an IRI, not a literal (which may end in a datatype's ">")
            yield obj[1:-1].decode()


def lines_with_predicates(ntriples: bytes, predicates: Collection[str]) -> bytes:
    """The lines of *ntriples* with one of *predicates*, and the ``rdf:type`` lines of the
    nodes in them, sorted and each once."""
    found: set[bytes] = set()
    nodes: set[bytes] = set()
    for predicate in predicates:
        marker = f"> <{predicate}> ".encode()
        at = ntriples.find(marker)
        while at >= 0:
            start = ntriples.rfind(b"\n", 0, at) + 1
            end = ntriples.index(b"\n", at)
            found.add(ntriples[start:end])
            nodes.add(ntriples[start : at + 1])
            obj = ntriples[at + len(marker) : end - 2]
            if obj.startswith(b"<"):
                nodes.add(obj)
            at = ntriples.find(marker, end)
    for node in nodes:
        # "<node> <rdf:type> " can only start a line: a node in object position ends its line.
        at = ntriples.find(node + _RDF_TYPE)
        while at >= 0:
            end = ntriples.index(b"\n", at)
            found.add(ntriples[at:end])
            at = ntriples.find(node + _RDF_TYPE, end)
    return b"".join(line + b"\n" for line in sorted(found))


# -- reading -----------------------------------------------------------------------------------

T = TypeVar("T")
Triple = tuple[Node, Node, Node]

_IRI = r'<([A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*)>'
_LINE = re.compile(
    rf"^{_IRI} {_IRI} (?:{_IRI}|"
    r'"([^"\\\n\r]*(?:\\(?:[tbnrf"\'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})[^"\\\n\r]*)*)"'
    rf"(?:\^\^{_IRI})?) \.\n",
    re.MULTILINE,
)
"""A line of policykg's form, which allows only what N-Triples allows: absolute IRIs without
escapes, literals with N-Triples' escapes only, an optional datatype."""
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_LANGUAGE_STRINGS = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString",
)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def read_triples(data: bytes) -> list[Triple]:
    """The triples of the N-Triples *data* as rdflib terms, as a strict RDF 1.1 parser reads them.

    Lines of policykg's form are read with one regular expression, making each distinct term
    once (rdflib's own parser is the larger part of loading a graph); any other text goes to
    pyoxigraph's parser, which reads all of N-Triples and refuses what is not. Raises
    :class:`~policykg.errors.LineFormatError` for data that is not N-Triples.
    """
    fast = fast_triples(data, _rdflib_iri, _rdflib_literal)
    return fast if fast is not None else _strict_triples(data)


def fast_triples(
    data: bytes, iri: Callable[[str], T], literal: Callable[[str, str | None], T]
) -> list[tuple[T, T, T]] | None:
    """The triples of *data* made by *iri* (from an IRI) and *literal* (from a lexical form and
    a datatype IRI or ``None``), if every line of *data* has policykg's form and holds only
    valid IRIs and escapes; else ``None``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    terms = _Terms(iri, literal)
    try:
        triples = [terms.triple(*line.groups()) for line in _LINE.finditer(text)]
    except _NotPolicyKGForm:
        return None
    # A match never spans a line break, so as many matches as lines means every line matched.
    if len(triples) != text.count("\n") or not text.endswith("\n"):
        return None
    return triples


class _NotPolicyKGForm(Exception):
    """A line that the fast reader leaves to the strict parser."""


class _Terms(Generic[T]):
    """The terms of one text, each made once from its N-Triples form."""

    def __init__(self, iri: Callable[[str], T], literal: Callable[[str, str | None], T]) -> None:
        self._make_iri = iri
        self._make_literal = literal
        self._iris: dict[str, T] = {}
        self._literals: dict[tuple[str, str | None], T] = {}

    def triple(
        self,
        subject: str,
        predicate: str,
        iri: str | None,
        lexical: str | None,
        datatype: str | None,
    ) -> tuple[T, T, T]:
        if iri is not None:
            obj = self.iri(iri)
        else:
            assert lexical is not None
            obj = self.literal(lexical, datatype)
        return self.iri(subject), self.iri(predicate), obj

    def iri(self, text: str) -> T:
        term = self._iris.get(text)
        if term is None:
            try:
                NamedNode(text)  # the grammar of RFC 3987, beyond the characters the line allows
            except ValueError as error:
                raise _NotPolicyKGForm from error
            term = self._iris[text] = self._make_iri(text)
        return term

    def literal(self, lexical: str, datatype: str | None) -> T:
        key = (lexical, datatype)
        term = self._literals.get(key)
        if term is None:
            value = _ESCAPE.sub(_unescaped, lexical) if "\\" in lexical else lexical
            if datatype is not None:
                if datatype in _LANGUAGE_STRINGS:
                    raise _NotPolicyKGForm  # these need a language tag
                self.iri(datatype)
            term = self._literals[key] = self._make_literal(value, datatype)
        return term


def _unescaped(escape: re.Match[str]) -> str:
    short, long, char = escape.groups()
    if char is not None:
        return _ECHAR[char]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _NotPolicyKGForm  # not a character
    return chr(code)


def _rdflib_iri(value: str) -> Node:
    return URIRef(value)


def _rdflib_literal(lexical: str, datatype: str | None) -> Node:
    return Literal(lexical, datatype=URIRef(datatype) if datatype is not None else None)


def _strict_triples(data: bytes) -> list[Triple]:
    try:
        quads = list(pyoxigraph.parse(data, format=RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as error:
        raise LineFormatError(f"not valid N-Triples: {error}") from error
    return [
        (_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object))
        for quad in quads
    ]


def _rdflib_term(term: Term) -> Node:
    if isinstance(term, pyoxigraph.Triple) or (
        isinstance(term, pyoxigraph.Literal) and term.direction is not None
    ):
        raise LineFormatError(f"an RDF 1.2 term, which policykg does not read: {term}")
    return rdflib_term(term)
