"""policykg's N-Triples lines: written with RDF 1.1's escapes, taken apart, and read back as strict
parsers read them (the fast reader is held to pyoxigraph's verdicts on generated lines)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import EXAMPLE, REGISTRY
from policykg.build.pipeline import build
from policykg.errors import LineFormatError
from policykg.rdf.ntriples import (
    as_nquads,
    as_ntriples,
    distinct_triples,
    fast_triples,
    iri_triple,
    iri_triples,
    literal_datatype,
    literal_term,
    literal_triple,
    object_iris,
    read_triples,
    sorted_ntriples,
    split_lines,
    subject_lines,
)
from policykg.rdf.serialization import union_ntriples

XSD = "http://www.w3.org/2001/XMLSchema#"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def strictly(data: bytes) -> list[tuple[object, object, object]] | None:
    """pyoxigraph's triples of *data*, or ``None`` if it refuses it."""
    try:
        return [
            (q.subject, q.predicate, q.object)
            for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        ]
    except SyntaxError:
        return None


def oxigraph_literal(value: str, datatype: str | None) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def fast(data: bytes) -> list[tuple[object, object, object]] | None:
    found = fast_triples(data, ox.NamedNode, oxigraph_literal)
    return None if found is None else [tuple(triple) for triple in found]


# -- writing -----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@SETTINGS
@given(TEXT, st.sampled_from([None, XSD + "string", XSD + "gYear", "https://example.org/t"]))
def test_a_literal_reads_back_as_written(lexical: str, datatype: str | None) -> None:
    line = literal_triple("https://example.org/s", "https://example.org/p", lexical, datatype)
    data = sorted_ntriples([line])
    (triple,) = strictly(data) or [None]
    assert triple is not None, data
    assert triple[2] == oxigraph_literal(lexical, datatype)
    assert data.count(b"\n") == 1  # no raw line break, whatever the text holds
    assert fast(data) == [triple]


def test_terms_are_written_as_before() -> None:
    """The golden files hold these bytes: control characters as \\uXXXX, the rest as RDF 1.1's
    short escapes."""
    assert literal_term('a"b\\c\nd\re\tf\bg\fh\x00i\x7fj\u2028k') == (
        '"a\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u007Fj\u2028k"'
    )
    assert literal_term("2016", XSD + "gYear") == f'"2016"^^<{XSD}gYear>'
    assert literal_term("x", XSD + "string") == '"x"'
    assert iri_triple("a:s", "a:p", "a:o") == "<a:s> <a:p> <a:o>"
    pairs = [("a:p", "a:o"), ("a:q", "a:o2")]
    assert list(iri_triples("a:s", pairs)) == [iri_triple("a:s", p, o) for p, o in pairs]


# -- taking lines apart ------------------------------------------------------------------------


def test_lines_are_taken_apart_by_their_terms() -> None:
    lines = [
        iri_triple("https://e.org/a", "https://e.org/p", "https://e.org/b"),
        literal_triple("https://e.org/a", "https://e.org/q", 'say "x y" <z> .', XSD + "token"),
        iri_triple("https://e.org/b", "https://e.org/p", "https://e.org/a"),
    ]
    data = sorted_ntriples(lines)
    assert list(subject_lines(data)) == ["https://e.org/a", "https://e.org/b"]
    assert list(object_iris(data)) == ["https://e.org/b", "https://e.org/a"]
    subject, predicate, obj = list(distinct_triples(split_lines(data)))[1]
    assert (subject, predicate) == (b"<https://e.org/a>", b"<https://e.org/q>")
    assert literal_datatype(obj) == (b'"say \\"x y\\" <z> ."', f"<{XSD}token>".encode())
    assert literal_datatype(b'"plain"') == (b'"plain"', None)
    assert literal_datatype(b'"tagged"@en') == (b'"tagged"@en', None)
    quads = as_nquads(data, "https://e.org/g")
    assert strictly(data) == [
        (q.subject, q.predicate, q.object)
        for q in ox.parse(quads, format=ox.RdfFormat.N_QUADS)
        if q.graph_name == ox.NamedNode("https://e.org/g")
    ]
    assert as_ntriples(quads, "https://e.org/g") == data


# -- reading -----------------------------------------------------------------------------------

_TRICKY_NTRIPLES = (
    "<https://example.org/a> <https://example.org/p> <https://example.org/caf\\u00E9> .\n"
    '<https://example.org/a> <https://example.org/p> "" .\n'
    '<https://example.org/a> <https://example.org/p> "say \\"no\\"\\n\\\\ \\u00E9\\U0001F600 \u2019" .\n'
    '<https://example.org/a> <https://example.org/p> "Iran"@en-GB .\n'
    '<https://example.org/a> <https://example.org/p> "2016-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n'
    '<https://example.org/a> <https://example.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
).encode()


@pytest.mark.filterwarnings("ignore::UserWarning")  # rdflib warns about "x" as an integer
def test_n_triples_are_read_as_rdflib_reads_them() -> None:
    built = build([EXAMPLE, REGISTRY], validate=False)
    own = union_ntriples(built.graphs)  # what builds hand to validation
    by_rdflib = built.union_graph().serialize(format="nt", encoding="utf-8")
    articles = union_ntriples(
        build([EXAMPLE, REGISTRY], validate=False, include_ontology=False).graphs
    )
    assert fast(articles) is not None, "the fast reader reads what builds map"
    for data in (_TRICKY_NTRIPLES, own, by_rdflib):
        assert set(read_triples(data)) == set(Graph().parse(data=data, format="nt"))
        assert len(read_triples(data)) == len(data.splitlines())


@pytest.mark.parametrize(
    "data",
    [
        b"_:b1 <https://example.org/p> _:b2 .\n_:b2 <https://example.org/p> _:b1 .\n",
        b"# a comment\n<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n",
        b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .",
        b"<https://example.org/a>  <https://example.org/p> <https://example.org/b> .\n",
    ],
    ids=["blank nodes", "comment", "no final newline", "two spaces"],
)
def test_other_n_triples_go_to_the_strict_parser(data: bytes) -> None:
    assert fast(data) is None
    ours = Graph()
    ours.addN((*triple, ours) for triple in read_triples(data))
    assert isomorphic(ours, Graph().parse(data=data, format="nt"))
    assert len(ours) > 0


@pytest.mark.parametrize(
    "line",
    [
        "<http://e.org/a b> <http://e.org/p> <http://e.org/o> .",
        "<a> <http://e.org/p> <http://e.org/o> .",
        "<http://e.org/s> <http://e.org/p> <o> .",
        "<http://e.org/s> <http://e.org/p> <http://e.org/%zz> .",
        "<http://e.org:abc/s> <http://e.org/p> <http://e.org/o> .",
        "<http://e.org/\ue000> <http://e.org/p> <http://e.org/o> .",
        '<http://e.org/s> <http://e.org/p> "\\q" .',
        '<http://e.org/s> <http://e.org/p> "\\u12" .',
        '<http://e.org/s> <http://e.org/p> "\\uD800" .',
        '<http://e.org/s> <http://e.org/p> "raw\nbreak" .',
        '<http://e.org/s> <http://e.org/p> "x"^^<string> .',
    ],
)
def test_what_strict_parsers_refuse_is_refused(line: str) -> None:
    data = (line + "\n").encode()
    assert strictly(data) is None
    assert fast(data) is None
    with pytest.raises(LineFormatError):
        read_triples(data)


# Pieces of lines, valid and not: the fast reader must agree with pyoxigraph on every mix.
_IRIS = st.one_of(
    st.sampled_from(
        [
            "https://example.org/kg/actor/iran",
            "http://www.w3.org/2001/XMLSchema#gYear",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
            "urn:x",
            "https://e.org/caf\u00e9",
            "https://e.org/a?b=c#d",
            "https://e.org/%41",
            "https://[::1]:8080/",
            "https://e.org/\u202e",
            "https://e.org/\u2028",
            "https://e.org/\ue000",
            "https://e.org/?\ue000",
            "https://e.org/a b",
            "https://e.org/a>",
            'https://e.org/a"',
            "https://e.org/a\\u0041",
            "https://e.org/%zz",
            "https://e.org/%4",
            "https://e.org:abc/",
            "https://e.org/a#b#c",
            "relative",
            "",
            "_:b",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12).map("https://e.org/".__add__),
)
_ESCAPED = st.text(st.characters(exclude_categories=["Cs"]), max_size=12).map(
    lambda text: literal_term(text)[1:-1]
)
_RAW = st.lists(
    st.sampled_from(
        [
            *("a", '"', "\\", "\n", "\r", "\t", "\u2028", "\x00", "\u00e9"),
            *("\\u00E9", "\\uD800", "\\U00110000", "\\U0001F600", "\\q", "\\'", "\\u12"),
        ]
    ),
    max_size=6,
).map("".join)


@st.composite
def _terms(draw: st.DrawFn, *, literal: bool) -> str:
    if literal and draw(st.booleans()):
        lexical = draw(st.one_of(_ESCAPED, _RAW))
        suffix = draw(st.sampled_from(["", "", "@en", "@en-GB", "@1", "^^"]))
        if suffix == "^^":
            suffix = f"^^<{draw(_IRIS)}>"
        return f'"{lexical}"{suffix}'
    iri = draw(_IRIS)
    return iri if iri.startswith("_:") else f"<{iri}>"


@st.composite
def _lines(draw: st.DrawFn) -> bytes:
    subject, predicate = draw(_terms(literal=False)), draw(_terms(literal=False))
    obj = draw(_terms(literal=True))
    space = draw(st.sampled_from([" ", " ", " ", "  ", "\t"]))
    end = draw(st.sampled_from([" .\n", " .\n", " .\n", ".\n", " . \n", " .", " .\r\n"]))
    return f"{subject}{space}{predicate}{space}{obj}{end}".encode()


@SETTINGS
@given(st.lists(_lines(), min_size=1, max_size=3).map(b"".join))
def test_the_fast_reader_agrees_with_pyoxigraph(data: bytes) -> None:
    expected = strictly(data)
    found = fast(data)
    if found is not None:
        assert found == expected, data
    try:
        ours = read_triples(data)
    except LineFormatError:
        assert expected is None, data
    else:
        assert expected is not None and len(ours) == len(expected), data
