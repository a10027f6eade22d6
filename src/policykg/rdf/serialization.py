"""Write graphs as Turtle, JSON-LD, N-Triples, N-Quads or TriG, byte for byte the same
for the same graphs, and atomically (a temporary file in the target folder, renamed into place)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import groupby, islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph
from rdflib.namespace import RDF, XSD

from policykg.errors import UsageError
from policykg.namespaces import LOCAL_NAME, PREFIXES, bind_prefixes
from policykg.processes import exit_with_parent
from policykg.rdf.ntriples import (
    LINE_END,
    as_nquads,
    distinct_triples,
    first_line_from,
    line_at,
    literal_datatype,
    read_triples,
    split_lines,
    subject_of,
)
from policykg.resources import jsonld_context

FORMATS: dict[str, str] = {
    "turtle": ".ttl",
    "json-ld": ".jsonld",
    "nt": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
}
DATASET_FORMATS = frozenset({"json-ld", "nquads", "trig"})
"""Formats that keep one named graph per source document; the others write the union graph."""

_ALIASES = {
    "ttl": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nquads",
}
_ALIASES.update({"n-quads": "nquads"})
CONTEXT_URL = "https://w3id.org/policykg/context.jsonld"


def format_for(path: Path | None, requested: str | None) -> str:
    """The format to write: *requested* (a name or alias), else the one *path*'s extension names."""
    if requested:
        name = _ALIASES.get(requested.lower(), requested.lower())
        if name not in FORMATS:
            raise UsageError(
                f"unknown format {requested!r}; choose one of {', '.join(sorted(FORMATS))}"
            )
        return name
    if path is not None:
        for name, suffix in FORMATS.items():
            if path.suffix.lower() == suffix:
                return name
    suffixes = ", ".join(FORMATS.values())
    raise UsageError(f"cannot tell the format of {path}: give --format or use one of {suffixes}")


class NamedGraph(Protocol):
    """A named graph as policykg passes it around: its IRI and its sorted lines, one space
    between the terms and :attr:`line_end` after them (no literal holds a raw line break)."""

    @property
    def graph_iri(self) -> str: ...

    @property
    def graph_lines(self) -> bytes | memoryview:
        """The lines: bytes, or a view of a cache entry (written as N-Quads without a copy)."""
        ...

    @property
    def line_end(self) -> bytes:
        """``" .\n"`` (N-Triples lines), or a space, the graph and ``" .\n"`` (N-Quads)."""
        ...

    @property
    def ntriples(self) -> bytes:
        """The lines as N-Triples."""
        ...

    @property
    def triple_count(self) -> int: ...


def serialize(
    graphs: Sequence[NamedGraph], fmt: str, *, embed_context: bool = True, jobs: int | None = None
) -> bytes:
    """Serialize named *graphs* in format *fmt*; the bytes depend only on the triples.

    N-Quads are the graphs' lines, graph by graph in IRI order; N-Triples the sorted union, and
    Turtle that union grouped by subject and predicate; TriG each graph as Turtle, graph by graph
    in IRI order. So equal input gives equal bytes. A large Turtle union is written by up to two
    processes (*jobs*, default: all cores), with the same bytes.
    """
    return b"".join(serialize_chunks(graphs, fmt, embed_context=embed_context, jobs=jobs))


def serialize_chunks(
    graphs: Sequence[NamedGraph], fmt: str, *, embed_context: bool = True, jobs: int | None = None
) -> Iterator[bytes | memoryview]:
    """The bytes of :func:`serialize` in pieces (N-Quads: one per graph), to write as they come."""
    ordered = sorted(graphs, key=lambda graph: graph.graph_iri)
    if fmt == "nquads":
        yield from map(_quads, ordered)
    elif fmt == "nt":
        yield from _in_pieces(_union_lines(ordered))
    elif fmt == "turtle":
        yield _prefix_lines()
        yield from _turtle_union(ordered, jobs or os.cpu_count() or 1)
    elif fmt == "trig":
        yield _prefix_lines()
        yield from _trig_body(ordered)
    elif fmt == "json-ld":
        yield _jsonld(ordered, embed_context)
    else:
        raise UsageError(f"unknown format {fmt!r}")


def union_ntriples(graphs: Sequence[NamedGraph]) -> bytes:
    """The union of *graphs* as sorted N-Triples, each triple once."""
    return b"".join(_in_pieces(_union_lines(graphs)))


def _union_lines(graphs: Sequence[NamedGraph]) -> Iterator[bytes]:
    """The triples of *graphs*, sorted and each once, as N-Triples lines without their " .\n"."""
    return map(itemgetter(0), groupby(_sorted_lines(graphs)))


def _sorted_lines(graphs: Sequence[NamedGraph]) -> list[bytes]:
    """The N-Triples lines of *graphs* without their " .\n", sorted: a triple that several graphs
    hold is there once for each, next to itself."""
    lines: list[bytes] = []
    for graph in graphs:
        lines += split_lines(bytes(graph.graph_lines), graph.line_end)
    # Each graph's lines are sorted already: the sort merges the runs, cheaper than a set (and a
    # sort of it).
    lines.sort()
    return lines


def _quads(graph: NamedGraph) -> bytes | memoryview:
    if graph.line_end != LINE_END:
        return graph.graph_lines
    return as_nquads(bytes(graph.graph_lines), graph.graph_iri)


def _in_pieces(lines: Iterable[bytes], size: int = 100_000) -> Iterator[bytes]:
    """*lines* as N-Triples text, *size* lines at a time: a corpus's union is never one string."""
    lines = iter(lines)
    while piece := list(islice(lines, size)):
        yield LINE_END.join(piece) + LINE_END


def _trig_body(graphs: Sequence[NamedGraph]) -> Iterator[bytes]:
    """TriG for *graphs*, sorted by IRI: one block per graph that holds triples, written as
    Turtle is."""
    terms = _policykg_terms()
    for graph_iri, same in groupby(graphs, key=attrgetter("graph_iri")):
        lines = _sorted_lines(list(same))
        if lines:
            yield terms.node(f"<{graph_iri}>".encode()) + b" {\n"
            yield from _turtle_body(lines, terms, indent=b"\t")
            yield b"}\n"


PARALLEL_TURTLE_FROM = 32 * 1024 * 1024
"""The size of N-Triples from which a second process writes half of a Turtle union."""

_forked: tuple[Sequence[NamedGraph], bytes, _TurtleTerms, int] | None = None
"""What :func:`_turtle_union` hands the process it forks: graphs, pivot, how to write terms, and
the file descriptor to write its part to."""


def _turtle_union(graphs: Sequence[NamedGraph], jobs: int) -> Iterator[bytes]:
    """Turtle for the union of *graphs*: when they are large and *jobs* allows, a forked process
    writes the subjects before a pivot subject while this one writes the others.

    Writing Turtle is a Python loop over the lines, about 1 µs each. Each graph's lines are
    sorted, so each process finds its part of a graph by bisection and splits and sorts only
    that; the fork shares the graphs' few large byte strings, never a list of millions of lines
    (whose pages would be copied one by one as both processes counted references to them). Cut
    between subjects, the two parts join into the same bytes as one process writes. The forked
    process writes its part to a temporary file, read back in pieces: returned as one bytes
    object, it was joined, pickled through a pipe and unpickled, three copies of a hundred
    megabytes into fresh memory.
    """
    global _forked
    terms = _policykg_terms()
    size = sum(len(graph.graph_lines) for graph in graphs)
    if jobs < 2 or size < PARALLEL_TURTLE_FROM or not _can_fork():
        yield from _turtle_body(_sorted_lines(graphs), terms)
        return
    pivot = _pivot_subject(graphs)
    with tempfile.TemporaryFile() as first_part:
        _forked = (graphs, pivot, terms, first_part.fileno())
        try:
            with ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                first = pool.submit(_turtle_before_pivot)
                rest = list(_turtle_body(_sorted_part(graphs, pivot, before=False), terms))
                first.result()
        finally:
            _forked = None
        first_part.seek(0)
        while piece := first_part.read(_READ_SIZE):
            yield piece
    yield from rest


_READ_SIZE = 8 * 1024 * 1024


def _turtle_before_pivot() -> None:
    """In the forked process: write the Turtle for the subjects before the pivot it was handed
    to the file it was handed."""
    assert _forked is not None, "called outside a process forked by _turtle_union"
    graphs, pivot, terms, descriptor = _forked
    with open(descriptor, "wb", closefd=False) as out:
        for piece in _turtle_body(_sorted_part(graphs, pivot, before=True), terms):
            out.write(piece)


def _pivot_subject(graphs: Sequence[NamedGraph]) -> bytes:
    """A subject that about half of the lines of *graphs* sort before, and a space: the median of
    the subjects in the middle of each graph."""
    middles = sorted(
        subject_of(line_at(data, len(data) // 2))
        for data in (bytes(graph.graph_lines) for graph in graphs)
        if data
    )
    return middles[len(middles) // 2] + b" "


def _sorted_part(graphs: Sequence[NamedGraph], pivot: bytes, *, before: bool) -> list[bytes]:
    """The lines of *graphs* (as :func:`_sorted_lines` gives them) whose subject sorts before
    *pivot* (a subject and a space), or the others.

    A line sorts before *pivot* exactly when its subject does (see
    :func:`~policykg.rdf.ntriples.subject_of`).
    """
    lines: list[bytes] = []
    for graph in graphs:
        data = bytes(graph.graph_lines)
        cut = first_line_from(data, pivot)
        lines += split_lines(data[:cut] if before else data[cut:], graph.line_end)
    lines.sort()
    return lines


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _prefix_lines() -> bytes:
    """The ``@prefix`` lines of policykg's prefixes, sorted, and a blank line."""
    lines = "".join(f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n" for prefix in sorted(PREFIXES))
    return lines.encode() + b"\n"


def _turtle_body(
    lines: Iterable[bytes], terms: _TurtleTerms, *, indent: bytes = b"", size: int = 100_000
) -> Iterator[bytes]:
    """Turtle for sorted N-Triples *lines* (without their " .\n"; a line repeated is written once),
    in pieces of about *size* triples: a subject's triples grouped with ``;``, a predicate's
    objects with ``,``; each subject after *indent*, its other predicates after one more tab.

    Sorted lines keep a subject's triples, and a subject and predicate's, next to each other.
    """
    first: dict[bytes, bytes] = {}  # a subject's first predicate, with the spaces around it
    then: dict[bytes, bytes] = {}  # any other, after the " ;" that ends the previous one
    out: list[bytes] = []
    append = out.append
    subject = predicate = b""
    for s, p, o in distinct_triples(lines):
        if s == subject:
            if p == predicate:
                append(b" , ")
            else:
                predicate = p
                piece = then.get(p)
                if piece is None:
                    piece = then[p] = b" ;\n\t" + indent + terms.predicate(p) + b" "
                append(piece)
        else:
            if subject:
                append(b" .\n")
                if len(out) > size:
                    yield b"".join(out)
                    out.clear()
            subject, predicate = s, p
            piece = first.get(p)
            if piece is None:
                piece = first[p] = b" " + terms.predicate(p) + b" "
            append(indent)
            append(terms.node(s))
            append(piece)
        append(terms.obj(o))
    if subject:
        append(b" .\n")
    yield b"".join(out)


_LOCAL_NAME = re.compile(LOCAL_NAME.encode())
_BARE_LITERALS = {
    f"<{XSD[name]}>".encode(): re.compile(grammar)
    for name, grammar in (
        ("boolean", rb"true|false"),
        ("integer", rb"[+-]?[0-9]+"),
        ("decimal", rb"[+-]?[0-9]*\.[0-9]+"),
        ("double", rb"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    )
}
"""The datatypes Turtle writes without quotes, and the lexical forms it reads back unchanged."""


_RDF_TYPE = f"<{RDF.type}>".encode()


def _policykg_terms() -> _TurtleTerms:
    """Terms written with policykg's prefixes."""
    return _TurtleTerms({prefix: str(namespace) for prefix, namespace in PREFIXES.items()})


class _TurtleTerms:
    """N-Triples terms as Turtle: IRIs under a prefix as prefixed names where the local name
    allows, ``rdf:type`` as ``a``, booleans and numbers bare; the rest as N-Triples wrote it,
    which Turtle reads alike."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # The longest namespace first: where one holds another, the longer gives the shorter name,
        # and the choice never depends on the order of *prefixes*.
        self._namespaces = sorted(
            ((b"<" + iri.encode(), f"{prefix}:".encode()) for prefix, iri in prefixes.items()),
            key=lambda pair: (-len(pair[0]), pair),
        )
        self._starts = tuple(namespace for namespace, _ in self._namespaces)
        # Predicates, classes and datatypes repeat: each is compacted once.
        self._compacted: dict[bytes, bytes] = {}

    def node(self, term: bytes) -> bytes:
        """*term*, an IRI or a blank node, as Turtle."""
        if not term.startswith(self._starts):
            return term
        turtle = self._compacted.get(term)
        if turtle is None:
            turtle = self._compacted[term] = self._prefixed(term)
        return turtle

    def predicate(self, term: bytes) -> bytes:
        return b"a" if term == _RDF_TYPE else self.node(term)

    def obj(self, term: bytes) -> bytes:
        if term[0] != 0x22:  # not a literal's '"'
            return self.node(term)
        quoted, datatype = literal_datatype(term)
        if datatype is None:  # a plain string, or one with a language tag
            return term
        bare = _BARE_LITERALS.get(datatype)
        if bare is not None and bare.fullmatch(quoted, 1, len(quoted) - 1):
            return quoted[1:-1]
        return quoted + b"^^" + self.node(datatype)

    def _prefixed(self, term: bytes) -> bytes:
        for namespace, prefix in self._namespaces:
            start = len(namespace)
            if term.startswith(namespace) and _LOCAL_NAME.fullmatch(term, start, len(term) - 1):
                return prefix + term[start:-1]
        return term


def _jsonld(graphs: Sequence[NamedGraph], embed_context: bool) -> bytes:
    context = jsonld_context()
    named = []
    for graph in graphs:
        parsed = bind_prefixes(Graph())
        parsed.addN((*triple, parsed) for triple in read_triples(graph.ntriples))
        compacted = json.loads(
            parsed.serialize(format="json-ld", context=context, auto_compact=False)
        )
        nodes = compacted.get("@graph", [compacted] if "@id" in compacted else [])
        for node in nodes:
            node.pop("@context", None)
        named.append({"@id": graph.graph_iri, "@graph": _canonical(nodes)})
    document = {"@context": context if embed_context else CONTEXT_URL, "@graph": named}
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _canonical(value: Any) -> Any:
    """Sort every JSON-LD array (nodes by @id, values by their JSON), recursively."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
