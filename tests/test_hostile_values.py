"""Hostile URLs, ids, base IRIs and literals through the real build, in every output format: each
is either refused with its location, or written so that pyoxigraph and rdflib both read back the
same triples, the hostile text included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.build.pipeline import build
from policykg.errors import FactsError, MappingError
from policykg.rdf.serialization import serialize, union_ntriples

PIECES = [
    "a",
    "\u00e9",
    "%zz",
    "%41",
    "%",
    "\x80",
    "\u0085",
    "\ue000",
    ":abc",
    "\n",
    "\r",
    "\t",
    " ",
    "\u202e",
    "\u2066",
    "\u2028",
    "\ufeff",
    "\x00",
    "<",
    ">",
    '"',
    "\\",
    "{",
    "#",
    "?",
    "/",
    "\ud800",
    "\U0001f600",
]
HOSTILE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)

# Where a hostile text goes: (field, how to make the value from it).
TARGETS: dict[str, Any] = {
    "url": lambda text: "https://example.org/" + text,
    "source": lambda text: "https://ecfr.eu/" + text,
    "wikidata": lambda text: "Q1" + text,
    "id": lambda text: "minimal" + text,
    "name": lambda text: text + "x",
    "summary": lambda text: "x" + text,
    "base": lambda text: "https://example.org/" + text + "/",
}
FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "turtle"),
    "nt": (ox.RdfFormat.N_TRIPLES, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, "nquads"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "json-ld": (ox.RdfFormat.JSON_LD, "json-ld"),
}
BASE = "https://example.org/kg/"


def _place(tree: dict[str, Any], target: str, value: str) -> None:
    if target in ("url", "id"):
        tree["document"][target] = value
    elif target == "source":
        tree["actors"]["ecfr"]["source"] = value
    elif target in ("wikidata", "name"):
        tree["actors"]["khamenei"][target] = value
    elif target == "summary":
        tree["claims"]["speech-significant"]["summary"] = value


def _oxigraph_term(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    assert not isinstance(term, BNode), "policykg writes no blank nodes"
    raise AssertionError(term)


def _by_rdflib(data: bytes, rdflib_format: str) -> set[tuple[Any, Any, Any]]:
    if rdflib_format in ("turtle", "nt"):
        triples = list(Graph().parse(data=data, format=rdflib_format))
    else:
        dataset = Dataset()
        dataset.parse(data=data, format=rdflib_format)
        triples = [(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))]
    return {tuple(_oxigraph_term(term) for term in triple) for triple in triples}  # type: ignore[misc]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(sorted(TARGETS)), text=HOSTILE)
def test_a_hostile_value_is_refused_where_it_is_or_read_back_alike(
    fmt: str, target: str, text: str, minimal_copy: Path
) -> None:
    value = TARGETS[target](text)
    facts_path = minimal_copy / "facts.yaml"
    tree = yaml.safe_load((Path(__file__).parent / "data" / "minimal" / "facts.yaml").read_text())
    _place(tree, target, value)
    # As JSON (which is YAML): its escapes keep every character, where YAML's own dumper turns
    # U+0085 (a YAML line break) into a space when read back.
    facts_path.write_text(json.dumps(tree, indent=2), encoding="ascii")
    try:
        result = build(
            [minimal_copy],
            base=value if target == "base" else BASE,
            validate=False,
            include_ontology=False,
        )
    except MappingError as error:
        assert target == "base" and "base IRI" in str(error)
        return
    except FactsError as error:
        assert error.location.line is not None, error
        assert str(error).startswith(f"{facts_path}:{error.location.line}"), error
        return
    oxigraph_format, rdflib_format = FORMATS[fmt]
    data = serialize(result.graphs, fmt)
    written = {
        (q.subject, q.predicate, q.object)
        for q in ox.parse(union_ntriples(result.graphs), format=ox.RdfFormat.N_TRIPLES)
    }
    by_oxigraph = {
        (q.subject, q.predicate, q.object) for q in ox.parse(data, format=oxigraph_format)
    }
    assert by_oxigraph == written
    assert _by_rdflib(data, rdflib_format) == written
    if target in ("name", "summary"):
        assert ox.Literal(value) in {obj for _, _, obj in written}
