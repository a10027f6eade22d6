"""One rule for writing IRIs as prefixed names, shared by the Turtle writer and the query tables."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from policykg.namespaces import PKG, SCHEMA, prefixed_name
from policykg.rdf.serialization import serialize
from policykg.store.results import Solutions, render


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (f"{SCHEMA}Person", "schema:Person"),
        (f"{PKG}Stance", "pkg:Stance"),
        (f"{SCHEMA}a.b", "schema:a.b"),
        (f"{SCHEMA}ends.", f"{SCHEMA}ends."),  # a final dot needs an escape rdflib cannot read
        (f"{SCHEMA}a/b", f"{SCHEMA}a/b"),
        (f"{SCHEMA}café", f"{SCHEMA}café"),
        ("https://example.org/x", "https://example.org/x"),
    ],
)
def test_prefixed_name(iri: str, expected: str) -> None:
    assert prefixed_name(iri) == expected


@dataclass(frozen=True)
class _Graph:
    graph_iri: str
    graph_lines: bytes
    line_end: bytes = b" .\n"

    @property
    def ntriples(self) -> bytes:
        return self.graph_lines

    @property
    def triple_count(self) -> int:
        return self.graph_lines.count(b"\n")


@pytest.mark.parametrize("local", ["Person", "ends.", "a/b"])
def test_turtle_and_tables_shorten_alike(local: str) -> None:
    iri = f"{SCHEMA}{local}"
    graph = _Graph("https://example.org/g", f"<https://example.org/s> <{iri}> <{iri}> .\n".encode())
    turtle = serialize([graph], "turtle").decode()
    written = prefixed_name(iri) if prefixed_name(iri) != iri else f"<{iri}>"
    assert f"{written} {written} ." in turtle
    table = render(Solutions(variables=("x",), rows=((ox.NamedNode(iri),),)), "table").decode()
    assert table.splitlines()[-1].strip() == prefixed_name(iri)
