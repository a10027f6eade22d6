"""The Turtle writer: the union of the graphs (and, in TriG, each graph) read back by pyoxigraph
and rdflib, for the example, for hand-made graphs full of edge cases and for generated ones; the
layout; the bytes, whatever the order of the graphs; the prefix header."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.term import URIRef

from conftest import EXAMPLE, REGISTRY
from policykg.build.pipeline import build
from policykg.namespaces import PKG, PREFIXES
from policykg.rdf import serialization
from policykg.rdf.serialization import (
    _policykg_terms,
    _sorted_lines,
    _sorted_part,
    _turtle_body,
    _TurtleTerms,
    serialize,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
DATA = "https://example.org/kg/"
# rdflib warns about the odd booleans and numbers the edge cases hold on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:(Parsing|Serializing) weird:UserWarning")
HEADER = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(PREFIXES)) + "\n"


@dataclass(frozen=True)
class NamedGraph:
    graph_iri: str
    ntriples: bytes

    @property
    def graph_lines(self) -> bytes:
        return self.ntriples

    @property
    def line_end(self) -> bytes:
        return b" .\n"

    @property
    def triple_count(self) -> int:
        return self.ntriples.count(b"\n")


def named(graph_iri: str, lines: Iterable[str]) -> NamedGraph:
    """A graph as policykg passes it: sorted N-Triples lines, each ending in " .\\n"."""
    return NamedGraph(graph_iri, "".join(sorted({f"{line} .\n" for line in lines})).encode())


def iri(value: str) -> str:
    return str(ox.NamedNode(value))


def literal(value: str, *, datatype: str | None = None, language: str | None = None) -> str:
    kind = ox.NamedNode(XSD + datatype) if datatype else None
    return str(ox.Literal(value, datatype=kind, language=language))


def union_of(graphs: Sequence[NamedGraph]) -> set[ox.Triple]:
    data = b"".join(graph.ntriples for graph in graphs)
    return set(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def assert_same_graph(graphs: Sequence[NamedGraph]) -> bytes:
    """Serialize *graphs* as Turtle; check that pyoxigraph and rdflib read their union back."""
    turtle = serialize(graphs, "turtle")
    assert set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == union_of(graphs)
    expected = Graph().parse(data=b"".join(g.ntriples for g in graphs), format="nt")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    return turtle


def assert_same_dataset(graphs: Sequence[NamedGraph]) -> bytes:
    """Serialize *graphs* as TriG; check that pyoxigraph and rdflib read each graph back."""
    trig, nquads = serialize(graphs, "trig"), serialize(graphs, "nquads")
    read = set(ox.parse(trig, format=ox.RdfFormat.TRIG))
    assert read == set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    actual = Dataset().parse(data=trig, format="trig")
    expected = Dataset().parse(data=nquads, format="nquads")
    names = {graph.graph_iri for graph in graphs if graph.ntriples}
    assert {str(g.identifier) for g in actual.graphs() if len(g)} == names
    for name in names:
        assert isomorphic(actual.graph(URIRef(name)), expected.graph(URIRef(name))), name
    return trig


# Local names under policykg's namespaces: some can be prefixed names, the others must stay IRIs.
LOCAL_NAMES = [
    "Claim",
    "a",
    "_under",
    "1st",
    "Q794",
    "with-dash",
    "with.dot",
    "two..dots",
    "ends-",
    "ends_",
    "trailing.",
    ".leading",
    "-leading",
    "with/slash",
    "percent%20encoded",
    "tilde~",
    "colon:inside",
    "café",
    "\u00b7middle-dot",
    "astral\U0001f600",
    "it's",
    "paren(s)",
    "a,b;c=d",
    "q?x=1&y=2",
    "at@sign",
    "star*plus+",
    "dollar$bang!",
    "",
]
PREFIXED = {"Claim", "a", "_under", "1st", "Q794", "with-dash", "with.dot", "two..dots", "ends-"}
PREFIXED |= {"ends_"}
NAMESPACES = [str(PKG), "http://www.w3.org/ns/oa#", "https://w3id.org/policykg/topic/"]


def edge_case_graphs() -> list[NamedGraph]:
    subject, other = iri(DATA + "claim/1"), iri(DATA + "claim/1/part")
    pkg = str(PKG)
    lines = [
        f"{subject} {RDF_TYPE} {iri(pkg + 'Claim')}",
        f"{subject} {RDF_TYPE} {iri('http://www.w3.org/ns/prov#Entity')}",
        f"{subject} {iri(pkg + 'about')} {RDF_TYPE}",  # rdf:type as an object is not "a"
        f"{RDF_TYPE} {RDF_TYPE} {iri('http://www.w3.org/1999/02/22-rdf-syntax-ns#Property')}",
        f"{other} {iri(pkg + 'partOf')} {subject}",
        f"{subject} {iri('http://example.org/unprefixed#p')} {iri('http://example.org/o')}",
        f"{subject} {iri(pkg + 'blank')} _:b0",
        "_:b0 <http://example.org/p> _:b.1-x",
        '_:b.1-x <http://example.org/p> "blank"',
        # N-Triples may escape characters of IRIs and strings that it could also write as they are.
        f"{subject} {iri(pkg + 'escaped')} <http://example.org/caf\\u00E9>",
        f'{subject} {iri(pkg + "escaped")} "caf\\u00E9 \\U0001F600"',
        f'<{pkg}\\u0041scaped> {iri(pkg + "p")} "x"',
    ]
    for number, local in enumerate(LOCAL_NAMES):
        for namespace in NAMESPACES:
            lines.append(f"{subject} {iri(namespace + local)} {iri(namespace + local)}")
            lines.append(f"{iri(namespace + local)} {iri(pkg + 'n')} {literal(str(number))}")
    for text in ['plain', 'a "quote"', "back\\slash", "line\nbreak\r\n", "tab\tbell\x07\x00\x7f",
                 "\b\f", "é ü 漢字 😀", "", " ", "ends with \\", '"', "'''", '"""x"""', "@en",
                 "^^", "<http://example.org/x>", "# not a comment", "a .\n<x> <y> <z>"]:  # fmt: skip
        lines.append(f"{subject} {iri(pkg + 'text')} {literal(text)}")
        lines.append(f"{subject} {iri(pkg + 'text')} {literal(text, language='en-GB')}")
        lines.append(f"{subject} {iri(pkg + 'text')} {literal(text, datatype='token')}")
    lines.append(f'{subject} {iri(pkg + "text")} "typed string"^^<{XSD}string>')
    lines.append(f"{subject} {iri(pkg + 'text')} {literal('x', language='fr')}")
    lexicals = {
        "boolean": ["true", "false", "1", "0", "TRUE", " true"],
        "integer": ["5", "+5", "-0", "007", "5.0", "1e3", "", "five", "12345678901234567890"],
        "decimal": ["1.5", ".5", "+1.50", "-0.0", "5.", "5", "1e3", "1.5.5"],
        "double": ["1e5", "1.5E-3", ".5e1", "5.e1", "+1.0e+5", "1.5", "INF", "-INF", "NaN", "e5"],
        "date": ["2016-06-07"],
        "nonNegativeInteger": ["91"],
        "gYear": ["2016"],
    }
    for datatype, forms in lexicals.items():
        for form in forms:
            lines.append(f"{subject} {iri(pkg + datatype)} {literal(form, datatype=datatype)}")
    lines.append(f'{subject} {iri(pkg + "custom")} "x"^^<http://example.org/datatype>')
    lines.append(f'{subject} {iri(pkg + "custom")} "x"^^<{pkg}with/slash>')
    half = len(lines) // 2
    shared = lines[:10]  # in both graphs: written once
    return [
        named(DATA + "graph/one", lines[:half] + shared),
        named(DATA + "graph/two", lines[half:] + shared),
        named(DATA + "graph/empty", []),
    ]


def test_the_graphs_of_a_build_keep_to_the_lines_the_writer_reads(tmp_path: Path) -> None:
    """Sorted, distinct lines, one space between the terms, " .\n" after them (or the graph and
    " .\n" when kept as N-Quads, as with a cache)."""
    graphs = [*build([EXAMPLE, REGISTRY], validate=False).graphs]
    graphs += build([EXAMPLE, REGISTRY], validate=False, cache=tmp_path / "cache").graphs
    for graph in graphs:
        end = graph.line_end
        assert end in (b" .\n", f" <{graph.graph_iri}> .\n".encode()), graph.graph_iri
        data = bytes(graph.graph_lines)
        assert data.endswith(end), graph.graph_iri
        lines = data[: -len(end)].split(end)
        assert lines == sorted(set(lines)), graph.graph_iri
        for line in lines:
            (triple,) = ox.parse(line + b" .\n", format=ox.RdfFormat.N_TRIPLES)
            subject, predicate, _ = line.split(b" ", 2)
            assert (subject, predicate) == (
                str(triple.subject).encode(),
                str(triple.predicate).encode(),
            ), line


def test_the_example_reads_back_as_the_union_graph_in_both_parsers() -> None:
    assert_same_graph(build([EXAMPLE, REGISTRY], validate=False).graphs)


def test_edge_cases_read_back_as_the_union_graph_in_both_parsers() -> None:
    assert_same_graph(edge_case_graphs())


def test_edge_cases_read_back_as_the_same_graphs_from_trig_in_both_parsers() -> None:
    trig = assert_same_dataset(edge_case_graphs()).decode()
    assert trig.startswith(HEADER + "<https://example.org/kg/graph/one> {\n\trdf:type a ")
    assert "graph/empty" not in trig


def test_only_local_names_that_need_no_escape_become_prefixed_names() -> None:
    turtle = serialize(edge_case_graphs(), "turtle").decode()
    for local in LOCAL_NAMES:
        prefixed = local in PREFIXED
        assert (f"\tpkg:{local} pkg:{local} " in turtle) is prefixed, local
        assert (f"\t<{PKG}{local}> <{PKG}{local}> " in turtle) is not prefixed, local


def test_booleans_and_numbers_are_bare_only_where_turtle_reads_the_same_literal() -> None:
    turtle = assert_same_graph(edge_case_graphs()).decode()
    for bare in ("true", "false", "5", "+5", "007", "1.5", ".5", "1e5", "5.e1", "+1.0e+5"):
        assert f" {bare} ," in turtle or f" {bare} ;" in turtle or f" {bare} ." in turtle, bare
    for quoted in (
        '"1"^^xsd:boolean',
        '"5.0"^^xsd:integer',
        '"5."^^xsd:decimal',
        '"INF"^^xsd:double',
    ):
        assert quoted in turtle


def test_triples_are_grouped_by_subject_and_predicate() -> None:
    subject, pkg, label = iri(DATA + "claim/1"), str(PKG), literal('A "claim"')
    graph = named(
        DATA + "graph/one",
        [
            f"{subject} {RDF_TYPE} {iri(pkg + 'Claim')}",
            f"{subject} {RDF_TYPE} {iri('http://www.w3.org/ns/prov#Entity')}",
            f"{subject} <http://www.w3.org/2000/01/rdf-schema#label> {label}",
            f"{subject} {iri(pkg + 'forecast')} {literal('true', datatype='boolean')}",
            f"{subject} {iri(pkg + 'trailing.')} {iri(DATA + 'x')}",
            f"{iri(DATA + 'claim/2')} {iri(pkg + 'n')} {literal('7', datatype='integer')}",
        ],
    )
    assert serialize([graph], "turtle").decode() == HEADER + (
        "<https://example.org/kg/claim/1> a prov:Entity , pkg:Claim ;\n"
        '\trdfs:label "A \\"claim\\"" ;\n'
        "\tpkg:forecast true ;\n"
        "\t<https://w3id.org/policykg/ns#trailing.> <https://example.org/kg/x> .\n"
        "<https://example.org/kg/claim/2> pkg:n 7 .\n"
    )


def test_trig_writes_each_graph_as_turtle_in_a_block() -> None:
    lines = [
        f"{iri(DATA + 'a')} {RDF_TYPE} {iri(str(PKG) + 'Claim')}",
        f"{iri(DATA + 'a')} {iri(str(PKG) + 'n')} {literal('1', datatype='integer')}",
        f"{iri(DATA + 'a')} {iri(str(PKG) + 'n')} {literal('2', datatype='integer')}",
    ]
    graphs = [named(DATA + "graph/b", lines[:1]), named(DATA + "graph/a", lines)]
    assert serialize(graphs, "trig").decode() == HEADER + (
        "<https://example.org/kg/graph/a> {\n"
        "\t<https://example.org/kg/a> a pkg:Claim ;\n"
        "\t\tpkg:n 1 , 2 .\n"
        "}\n"
        "<https://example.org/kg/graph/b> {\n"
        "\t<https://example.org/kg/a> a pkg:Claim .\n"
        "}\n"
    )


def test_the_header_holds_every_prefix_sorted_then_a_blank_line() -> None:
    turtle = serialize(edge_case_graphs(), "turtle").decode()
    assert turtle.startswith(HEADER)
    assert turtle.count("@prefix ") == len(PREFIXES)
    assert serialize([], "turtle").decode() == HEADER
    assert serialize(edge_case_graphs(), "trig").decode().startswith(HEADER)
    assert serialize([], "trig").decode() == HEADER


def test_the_bytes_depend_only_on_the_triples() -> None:
    graphs = edge_case_graphs()
    expected = {fmt: serialize(graphs, fmt) for fmt in ("turtle", "trig")}
    shuffled = random.Random(7)
    for _ in range(5):
        order = graphs[:]
        shuffled.shuffle(order)
        assert {fmt: serialize(order, fmt) for fmt in expected} == expected
    # The same triples split between graphs another way.
    lines = [line for graph in graphs for line in graph.ntriples.decode().splitlines()]
    regrouped = [named("urn:a", (line[:-2] for line in lines[::2])), named("urn:b", [])]
    regrouped.append(named("urn:c", (line[:-2] for line in lines[1::2])))
    assert serialize(regrouped, "turtle") == expected["turtle"]


def test_the_pieces_join_to_the_same_text_whatever_their_size() -> None:
    lines = sorted({line for g in edge_case_graphs() for line in g.ntriples.split(b" .\n") if line})
    whole = b"".join(_turtle_body(lines, _policykg_terms()))
    assert len(list(_turtle_body(lines, _policykg_terms(), size=3))) > 2
    assert b"".join(_turtle_body(lines, _policykg_terms(), size=3)) == whole


def test_the_longest_namespace_names_an_iri_whatever_the_order_of_the_prefixes() -> None:
    term = b"<http://example.org/ns/sub/x>"
    for prefixes in (
        {"ns": "http://example.org/ns/", "sub": "http://example.org/ns/sub/"},
        {"sub": "http://example.org/ns/sub/", "ns": "http://example.org/ns/"},
    ):
        terms = _TurtleTerms(prefixes)
        assert terms.node(term) == b"sub:x"
        # where the longer one's local name cannot be written, a shorter one's may be
        assert terms.node(b"<http://example.org/ns/sub/x.>") == b"<http://example.org/ns/sub/x.>"
        assert terms.node(b"<http://example.org/ns/sub2>") == b"ns:sub2"


# Generated graphs: terms drawn from pools that mix the cases above.
IRI_PARTS = st.sampled_from([*"aZ09_-.~:/?#@!$&'()*+,;=%", "é", "\u00b7", "😀", "%41"])
LOCALS = st.lists(IRI_PARTS, max_size=6).map("".join)
NODES = st.one_of(
    st.tuples(st.sampled_from(sorted(str(ns) for ns in PREFIXES.values())), LOCALS).map(
        lambda parts: "".join(parts)
    ),
    st.sampled_from([DATA + "a", DATA + "a/b", DATA + "b", "http://example.org/x"]),
)
LITERALS = st.one_of(
    st.text(max_size=8).map(literal),
    st.tuples(st.text(max_size=4), st.sampled_from(["en", "en-GB", "fa"])).map(
        lambda pair: literal(pair[0], language=pair[1])
    ),
    st.tuples(
        st.sampled_from(["1", "+1", "-1.5", ".5", "1e3", "true", "x", "01", "5."]),
        st.sampled_from(["boolean", "integer", "decimal", "double", "date", "string"]),
    ).map(lambda pair: literal(pair[0], datatype=pair[1])),
)


def _valid_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


@st.composite
def generated_graphs(draw: st.DrawFn) -> list[NamedGraph]:
    nodes = draw(st.lists(NODES.filter(_valid_iri), min_size=1, max_size=6))
    blank = ["_:b1", "_:b2"]
    triples = draw(
        st.lists(
            st.tuples(
                st.sampled_from([*nodes, *blank]).map(lambda n: n if n in blank else iri(n)),
                st.sampled_from([*nodes, RDF_TYPE[1:-1]]).map(iri),
                st.one_of(st.sampled_from([*nodes, RDF_TYPE[1:-1]]).map(iri), LITERALS),
            ),
            max_size=25,
        )
    )
    lines = [" ".join(triple) for triple in triples]
    cut = draw(st.integers(0, len(lines)))
    return [named("urn:g1", lines[:cut]), named("urn:g2", lines[cut // 2 :])]


@given(generated_graphs())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_graphs_read_back_as_their_union_and_as_themselves(
    graphs: list[NamedGraph],
) -> None:
    assert_same_graph(graphs)
    assert_same_dataset(graphs)


def test_a_graph_given_twice_is_one_block_of_trig() -> None:
    one, two = (f"{iri(DATA + 's')} {iri(str(PKG) + 'p')} {literal(n)}" for n in "12")
    graphs = [named("urn:g", [two]), named("urn:g", [one, two])]
    assert (
        serialize(graphs, "trig")
        .decode()
        .endswith('<urn:g> {\n\t<https://example.org/kg/s> pkg:p "1" , "2" .\n}\n')
    )


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_a_triple_in_several_graphs_is_written_once(fmt: str) -> None:
    line = f"{iri(DATA + 's')} {iri(str(PKG) + 'p')} {literal('o')}"
    graphs = [named("urn:a", [line]), named("urn:b", [line]), named("urn:c", [line])]
    assert serialize(graphs, fmt).count(b'"o"') == 1


# A large union is written by two processes, cut at a pivot subject: the same bytes as one.
SUBJECTS = st.sampled_from(
    [iri(DATA + "a"), iri(DATA + "a/b"), iri(DATA + "ab"), "_:b1", "_:b12", "_:b2", iri(DATA)]
)


@st.composite
def graphs_and_pivot(draw: st.DrawFn) -> tuple[list[NamedGraph], bytes]:
    predicates = [iri(str(PKG) + name) for name in ("p", "q")]
    graphs = [
        named(
            f"urn:g{index}",
            draw(
                st.lists(
                    st.tuples(SUBJECTS, st.sampled_from(predicates), LITERALS).map(" ".join),
                    max_size=12,
                )
            ),
        )
        for index in range(draw(st.integers(1, 4)))
    ]
    return graphs, draw(SUBJECTS).encode() + b" "


@given(graphs_and_pivot())
@settings(max_examples=200, deadline=None)
def test_the_parts_before_and_after_a_pivot_subject_make_the_sorted_union(
    case: tuple[list[NamedGraph], bytes],
) -> None:
    graphs, pivot = case
    before = _sorted_part(graphs, pivot, before=True)
    after = _sorted_part(graphs, pivot, before=False)
    assert before + after == _sorted_lines(graphs)
    assert all(line < pivot for line in before)
    assert all(line >= pivot for line in after)


def test_two_processes_write_a_large_union_with_the_same_bytes_as_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graphs = build([EXAMPLE, REGISTRY], validate=False).graphs
    alone = serialize(graphs, "turtle", jobs=1)
    pivots: list[bytes] = []
    pivot_subject = serialization._pivot_subject

    def recorded(graphs: Sequence[serialization.NamedGraph]) -> bytes:
        pivots.append(pivot_subject(graphs))
        return pivots[-1]

    monkeypatch.setattr(serialization, "PARALLEL_TURTLE_FROM", 0)
    monkeypatch.setattr(serialization, "_pivot_subject", recorded)
    monkeypatch.setattr(serialization, "_READ_SIZE", 4096)  # the forked part is read in pieces
    assert serialize(graphs, "turtle", jobs=2) == alone
    assert len(pivots) == 1, "two processes wrote it"
    assert serialize(graphs, "turtle", jobs=1) == alone
    assert len(pivots) == 1, "jobs=1 writes in this process"
