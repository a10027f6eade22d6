"""Competency questions on relations, disputed accounts and roles, answered on a test corpus.

``tests/corpora/lausanne-2015`` is a registry and the stored openings of two real analyses of the
Lausanne framework, curated for these questions only. Each ``queries/<name>.rq`` runs on its build
(ontology included) in rdflib and in Oxigraph, over the union of the named graphs, and must give
the rows of ``<name>.expected.csv`` in order, as the example's questions do (tests/test_queries.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.build.pipeline import build
from policykg.rdf.serialization import serialize
from test_queries import Engines, _show, read_expected, run_oxigraph, run_rdflib

CORPUS = Path(__file__).resolve().parent / "corpora" / "lausanne-2015"
QUERY_FILES = sorted((CORPUS / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def engines() -> Engines:
    result = build([CORPUS])
    assert result.report is not None and result.report.conforms, result.report
    return Engines.of(serialize(result.graphs, "nquads"))


def test_every_query_has_an_answer() -> None:
    answers = sorted((CORPUS / "queries").glob("*.expected.csv"))
    assert [p.name.removesuffix(".rq") for p in QUERY_FILES] == [
        p.name.removesuffix(".expected.csv") for p in answers
    ]
    assert len(QUERY_FILES) >= 3


@pytest.mark.parametrize("query_file", QUERY_FILES, ids=[path.stem for path in QUERY_FILES])
def test_query_answers(engines: Engines, query_file: Path) -> None:
    query = query_file.read_text(encoding="utf-8")
    expected = read_expected(query_file.with_name(query_file.stem + ".expected.csv"))
    from_rdflib = run_rdflib(engines.rdflib, query)
    from_oxigraph = run_oxigraph(engines.oxigraph, query)
    assert from_rdflib == expected, f"rdflib:\n{_show(from_rdflib)}"
    assert from_oxigraph == expected, f"Oxigraph:\n{_show(from_oxigraph)}"
