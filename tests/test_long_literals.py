"""Output time grows with a literal's length, not its square (a 3.2 MB literal took 42 s as
JSON-LD); benchmarks/hostile_sizes.py prints the figures."""

from __future__ import annotations

import json
import time

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


def test_a_literal_of_four_megabytes_is_written_as_json_ld_in_seconds() -> None:
    """A sanity bound only, far above the time it takes (under 1 s here; 80 s before)."""
    started = time.monotonic()
    data = serialize([_graph_with_literal(4_000_000)], "json-ld")
    assert time.monotonic() - started < 20
    assert len(data) > 4_000_000
