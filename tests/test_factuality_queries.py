"""Competency questions of factuality, negation, unattributed views and the smaller gaps of issue 16.

Each ``tests/data/factuality/queries/<name>.rq`` is run on the build of tests/data/factuality (the
ECFR commentary and the opening of the Brookings analysis, ontology included) in rdflib and in
Oxigraph, both over the union of the named graphs; the rows, in order, must equal
``<name>.expected.csv``, as in tests/test_queries.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykg.build.pipeline import build
from policykg.rdf.serialization import serialize
from test_queries import Engines, read_expected, run_oxigraph, run_rdflib

CORPUS = Path(__file__).parent / "data" / "factuality"
QUERIES = CORPUS / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))


@pytest.fixture(scope="module")
def engines() -> Engines:
    return Engines.of(serialize(build([CORPUS], validate=False).graphs, "nquads"))


def test_every_question_has_an_answer_of_some_rows() -> None:
    queries = {path.name.removesuffix(".rq") for path in QUERY_FILES}
    answers = {path.name.removesuffix(".expected.csv") for path in QUERIES.glob("*.expected.csv")}
    assert len(queries) >= 6 and queries == answers
    for path in QUERY_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Question"), path.name
        assert "ORDER BY" in text and not re.search(r"\b(GRAPH|SERVICE|FROM)\b", text), path.name
        table = read_expected(path.with_suffix(".expected.csv"))
        assert len(table) >= 2 and all(len(row) == len(table[0]) for row in table), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_both_engines_give_the_expected_answer(engines: Engines, path: Path) -> None:
    query = path.read_text(encoding="utf-8")
    expected = read_expected(path.with_suffix(".expected.csv"))
    assert run_rdflib(engines.rdflib, query) == expected
    assert run_oxigraph(engines.oxigraph, query) == expected
