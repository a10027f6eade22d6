"""Parsed SHACL-SPARQL kept as JSON: built again exactly, and nothing but rdflib's query types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from policykg import prepared_sparql, validation
from policykg.prepared_sparql import QueryKey
from policykg.validation import parsed_queries, validate_graph, with_prefixes_sorted

EXAMPLES = Path(__file__).resolve().parent / "shape_examples"
# The shapes with SPARQL constraints, each with its valid and invalid example.
SPARQL_SHAPES = (
    "DatePrecisionShape",
    "WeekdayShape",
    "IntervalShape",
    "EventTimeStampsShape",
    "EventNotAfterPublicationShape",
    "TenureContainsClaimShape",
    "OffsetsInsideDocumentShape",
)
EXAMPLE_FILES = [
    EXAMPLES / shape / f"{kind}.ttl" for shape in SPARQL_SHAPES for kind in ("valid", "invalid")
]


@pytest.fixture(scope="module")
def parsed() -> dict[QueryKey, Query]:
    """Every SHACL-SPARQL query of the shapes, parsed by rdflib while validating the examples."""
    queries = parsed_queries()
    queries.clear()
    for path in EXAMPLE_FILES:
        validate_graph(Graph().parse(path))
    assert len(queries) >= 9
    return dict(queries)


@pytest.fixture
def only(parsed: dict[QueryKey, Query]) -> Iterator[dict[QueryKey, Query]]:
    """Validation's parsed queries are the test's to set; the parsed ones again afterwards."""
    queries = parsed_queries()
    yield queries
    queries.clear()
    queries.update(parsed)


def test_each_query_is_built_again_node_for_node(parsed: dict[QueryKey, Query]) -> None:
    decoded = prepared_sparql.decode(prepared_sparql.encode(parsed))
    assert decoded.keys() == parsed.keys()
    for key, query in parsed.items():
        again = decoded[key]
        assert_same(query.algebra, again.algebra, key[0][:40])
        assert again.prologue.base == query.prologue.base
        assert list(again.prologue.namespace_manager.namespaces()) == list(
            query.prologue.namespace_manager.namespaces()
        )
        assert again._original_args[0] == query._original_args[0]


def test_validation_with_decoded_queries_reports_what_parsed_ones_do(
    parsed: dict[QueryKey, Query], only: dict[QueryKey, Query], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {path: validate_graph(Graph().parse(path)).violations for path in EXAMPLE_FILES}
    assert any(expected.values())
    only.clear()
    only.update(prepared_sparql.decode(prepared_sparql.encode(parsed)))

    def no_parsing(*args: Any, **kwargs: Any) -> Query:
        raise AssertionError("a query was parsed again")

    monkeypatch.setattr(validation, "prepareQuery", no_parsing)
    for path, violations in expected.items():
        assert validate_graph(Graph().parse(path)).violations == violations, path.parent.name


@pytest.mark.parametrize(
    "row",
    [
        # An operator that is not one of rdflib's SPARQL operators (quote is imported there).
        '["Expr", "system", {"name": "Builtin_STR"}, {}]',
        '["Expr", "quote", {"name": "x"}, {}]',
        '["Expr", "__import__", {"name": "x"}, {}]',
        # Kinds the encoder never writes, and a dunder attribute.
        '["Path", "Graph", ["dict", {}]]',
        '["function", "eval"]',
        '["CompValue", null, {"__class__": "x"}, {}]',
        # Not a row at all.
        '{"algebra": 1}',
    ],
)
def test_anything_but_encoded_queries_is_refused(row: str) -> None:
    query = (
        '{"base":null,"prefixes":[],"text":"","namespaces":{},"original_base":null,'
        f'"algebra":{row}}}'
    )
    with pytest.raises(ValueError):
        prepared_sparql.decode(f'[["ASK {{}}", [], {query}]]'.encode())
    with pytest.raises(ValueError):
        prepared_sparql.decode(b"not json")


def test_a_query_holding_an_unknown_type_is_not_encoded(parsed: dict[QueryKey, Query]) -> None:
    key, query = next(iter(parsed.items()))
    odd = Query(query.prologue, CompValue("SelectQuery", p=object()))
    odd._original_args = query._original_args
    with pytest.raises(ValueError, match="object"):
        prepared_sparql.encode({key: odd})


def assert_same(one: Any, other: Any, where: str) -> None:
    """*one* and *other* are the same tree: types, values, attributes and operators."""
    assert type(one) is type(other), where
    if isinstance(one, CompValue):
        assert list(dict.keys(one)) == list(dict.keys(other)), where
        for key in dict.keys(one):
            assert_same(dict.__getitem__(one, key), dict.__getitem__(other, key), f"{where}/{key}")
        mine, theirs = dict(vars(one)), dict(vars(other))
        function, again = mine.pop("_evalfn", None), theirs.pop("_evalfn", None)
        assert (function is None) == (again is None), where
        if function is not None:
            assert function.__func__ is again.__func__ and again.__self__ is other, where
        assert_same(mine, theirs, f"{where}.")
    elif isinstance(one, PropertyPath):
        assert_same(vars(one), vars(other), f"{where}(path)")
    elif isinstance(one, dict):
        assert one.keys() == other.keys(), where
        for key in one:
            assert_same(one[key], other[key], f"{where}{key}")
    elif isinstance(one, list | tuple):
        assert len(one) == len(other), where
        for index, (item, again) in enumerate(zip(one, other, strict=True)):
            assert_same(item, again, f"{where}[{index}]")
    else:
        assert one == other, where
        assert getattr(one, "datatype", None) == getattr(other, "datatype", None), where
        assert getattr(one, "language", None) == getattr(other, "language", None), where


def test_a_query_has_one_text_whatever_order_its_prefixes_come_in() -> None:
    body = "\nSELECT $this WHERE { $this a pkg:Claim }"
    prefixes = ["PREFIX pkg: <https://w3id.org/policykg/ns#>", "PREFIX rdf: <urn:rdf#>"]
    one = with_prefixes_sorted("\n".join(prefixes) + "\n" + body)
    other = with_prefixes_sorted("\n".join(reversed(prefixes)) + "\n" + body)
    assert one == other == "\n".join(prefixes) + "\n" + body
    # A prefix declared twice: the later declaration wins, so the order is kept.
    twice = "PREFIX a: <urn:2#>\nPREFIX a: <urn:1#>\n" + body
    assert with_prefixes_sorted(twice) == twice
