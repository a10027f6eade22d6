"""JSON-LD output of long literals: whole, and read without rdflib's N-Triples parser, whose time
grows with the square of a line's length (benchmarks/hostile_sizes.py prints the figures)."""

from __future__ import annotations

import json

import pytest
from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

from policykg.rdf.mapping import MappedDocument
from policykg.rdf.serialization import serialize

GRAPH = "https://example.org/kg/graph/long"
SUBJECT = "<https://example.org/kg/document/long>"
PREDICATE = "<https://w3id.org/policykg/ns#text>"


def _graph_with_literal(length: int) -> MappedDocument:
    literal = ("word " * (length // 5 + 1))[:length]
    line = f'{SUBJECT} {PREDICATE} "{literal}" .\n'
    return MappedDocument(GRAPH, None, line.encode("utf-8"))


def test_a_long_literal_is_written_whole_as_json_ld() -> None:
    data = json.loads(serialize([_graph_with_literal(100_000)], "json-ld"))
    [graph] = data["@graph"]
    [node] = graph["@graph"]
    values = [value for key, value in node.items() if key.endswith("text")]
    assert values == ["word " * 20_000]


def test_json_ld_never_reads_lines_with_rdflibs_n_triples_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """rdflib's N-Triples parser reads a line 2,048 characters at a time and searches the whole
    line after each read: quadratic in a literal's length. JSON-LD reads its graphs with the line
    format's own reader instead (the figures are in benchmarks/hostile_sizes.py)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rdflib's N-Triples parser was used")

    monkeypatch.setattr(W3CNTriplesParser, "parse", refuse)
    monkeypatch.setattr(W3CNTriplesParser, "parseline", refuse)
    data = serialize([_graph_with_literal(400_000)], "json-ld")
    assert len(data) > 400_000
