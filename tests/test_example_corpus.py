"""The example corpus as a whole: cross-article competency questions, and one graph per triple.

``examples/`` is a registry (``examples/registry.yaml``) and one folder per article. Each
``examples/queries/<name>.rq`` asks a question that spans articles; it runs on the build of the whole
corpus (ontology included) in rdflib (a Dataset whose default graph is the union) and in Oxigraph
(the union as default graph), and both must give the rows of ``<name>.expected.csv`` in order.

The articles of the corpus arrive one by one, so an expected answer holds the rows of the articles
that were checked against their texts: those listed in ``examples/queries/checked-articles.txt``. A
row belongs to the articles whose document IRIs it names in its ``document…`` columns. The test
compares the engines' rows of checked articles with the expected rows of built articles, and warns
(without failing) about rows of articles not checked yet: regenerate the answer from what the query
returns, and check each new row against its article's text, before listing the article.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT
from policykg.build.pipeline import BuildResult, build
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.serialization import serialize
from test_queries import Engines, Table, _show, read_expected, run_oxigraph, run_rdflib
from test_shared_items import layout_offences, triples_in_several_graphs

EXAMPLES = ROOT / "examples"
QUERIES = EXAMPLES / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))
CHECKED = QUERIES / "checked-articles.txt"
DOCUMENT = f"{DEFAULT_BASE}document/"


def checked_articles() -> set[str]:
    """The ids of the articles whose rows the expected answers hold (one a line, # comments)."""
    lines = CHECKED.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def documents_of(header: list[str], row: list[str]) -> set[str]:
    """The article ids a row names in its ``document…`` columns (the registry's graph is none)."""
    return {
        value.removeprefix(DOCUMENT)
        for name, value in zip(header, row, strict=True)
        if name.startswith("document") and value.startswith(DOCUMENT)
    }


def rows_of(table: Table, articles: set[str]) -> Table:
    """The header and the rows of *table* that name only articles among *articles*."""
    header = table[0]
    return [header] + [row for row in table[1:] if documents_of(header, row) <= articles]


@pytest.fixture(scope="module")
def built() -> BuildResult:
    return build([EXAMPLES])


@pytest.fixture(scope="module")
def engines(built: BuildResult) -> Engines:
    return Engines.of(serialize(built.graphs, "nquads"))


def test_the_example_corpus_conforms(built: BuildResult) -> None:
    assert built.report is not None and built.report.conforms, built.report.describe()
    assert built.registry is not None, "examples/registry.yaml is part of the build"


def test_the_example_corpus_has_no_triple_in_two_graphs(built: BuildResult) -> None:
    data = serialize(built.graphs, "nquads")
    assert triples_in_several_graphs(data, ox.RdfFormat.N_QUADS) == {}
    assert layout_offences(data, built) == []


def test_every_checked_article_is_built(built: BuildResult) -> None:
    assert checked_articles(), "no article is listed as checked"
    assert checked_articles() <= {document.doc_id for document in built.documents}


def test_every_question_has_an_answer_and_states_itself() -> None:
    answers = sorted(QUERIES.glob("*.expected.csv"))
    assert [path.name.removesuffix(".rq") for path in QUERY_FILES] == [
        path.name.removesuffix(".expected.csv") for path in answers
    ]
    assert len(QUERY_FILES) >= 4
    for path in QUERY_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Question"), f"{path.name}: no header comment stating the question"
        table = read_expected(path.with_name(path.stem + ".expected.csv"))
        assert len(table) >= 2, f"{path.name}: the expected answer has no rows"
        assert any(name.startswith("document") for name in table[0]), f"{path.name}: no document"


def test_rows_are_told_apart_by_their_documents() -> None:
    """The filter that lets articles arrive one by one keeps what it should and only that."""
    header = ["event", "document1", "document2"]
    table = [
        header,
        ["e", f"{DOCUMENT}a", f"{DEFAULT_BASE}graph/registry"],
        ["e", f"{DOCUMENT}a", f"{DOCUMENT}b"],
        ["e", "", ""],
    ]
    assert rows_of(table, {"a"}) == [header, table[1], table[3]]
    assert rows_of(table, {"a", "b"}) == table
    assert rows_of(table, set()) == [header, table[3]]


@pytest.mark.parametrize("query_file", QUERY_FILES, ids=[path.stem for path in QUERY_FILES])
def test_query_answers(engines: Engines, built: BuildResult, query_file: Path) -> None:
    query = query_file.read_text(encoding="utf-8")
    from_rdflib = run_rdflib(engines.rdflib, query)
    from_oxigraph = run_oxigraph(engines.oxigraph, query)
    assert from_rdflib == from_oxigraph, (
        f"the engines differ:\nrdflib:\n{_show(from_rdflib)}\nOxigraph:\n{_show(from_oxigraph)}"
    )
    expected = read_expected(query_file.with_name(query_file.stem + ".expected.csv"))
    assert from_rdflib[0] == expected[0], "the query's variables are not the answer's columns"
    present = {document.doc_id for document in built.documents}
    checked = checked_articles() & present
    answer = rows_of(from_rdflib, checked)
    assert answer == rows_of(expected, present), f"rows of checked articles:\n{_show(answer)}"
    unchecked = len(from_rdflib) - len(answer)
    if unchecked:
        warnings.warn(
            f"{query_file.name}: {unchecked} row(s) of articles not checked yet"
            f" (not in {CHECKED.name}): check them against the texts and regenerate the answer",
            stacklevel=1,
        )
