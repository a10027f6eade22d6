"""The competency questions of the Khamenei example, as SPARQL 1.1 queries with expected answers.

Each ``examples/khamenei-2016/queries/<name>.rq`` is run on the example's build (ontology included)
in two engines, rdflib and Oxigraph, both querying the union of the named graphs as the default
graph; the rows, in order, must equal ``<name>.expected.csv`` (SPARQL 1.1 CSV results style: a
header of variable names, then IRIs in full and literals as their lexical form, unbound as empty).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.query import ResultRow

from policykg.build.pipeline import build
from policykg.rdf.serialization import serialize

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "khamenei-2016"
REGISTRY = ROOT / "examples" / "registry.yaml"
QUERIES = EXAMPLE / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))

Table = list[list[str]]


@dataclass(frozen=True)
class Engines:
    rdflib: Dataset
    oxigraph: ox.Store

    @classmethod
    def of(cls, nquads: bytes) -> Engines:
        """Both engines loaded with the dataset *nquads*, each taking its union as the default
        graph."""
        dataset = Dataset(default_union=True)
        dataset.parse(data=nquads.decode("utf-8"), format="nquads")
        store = ox.Store()
        store.load(nquads, format=ox.RdfFormat.N_QUADS)
        return cls(dataset, store)


@pytest.fixture(scope="module")
def engines() -> Engines:
    result = build([EXAMPLE, REGISTRY], validate=False)
    return Engines.of(serialize(result.graphs, "nquads"))


def _rdflib_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        raise AssertionError(f"blank node {term!r} in a result: the build mints none")
    if isinstance(term, (URIRef, Literal)):
        return str(term)
    raise AssertionError(f"unexpected rdflib term {term!r}")


def _oxigraph_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term.value)
    raise AssertionError(f"unexpected Oxigraph term {term!r}")


def run_rdflib(dataset: Dataset, query: str) -> Table:
    result = dataset.query(query)
    header = [str(variable) for variable in result.vars or []]
    rows = []
    for row in result:
        assert isinstance(row, ResultRow), "every query is a SELECT"
        rows.append([_rdflib_term(value) for value in row])
    return [header, *rows]


def run_oxigraph(store: ox.Store, query: str) -> Table:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions), "every query is a SELECT"
    header = [variable.value for variable in solutions.variables]
    return [header] + [
        [_oxigraph_term(solution[name]) for name in header] for solution in solutions
    ]


def read_expected(path: Path) -> Table:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle)]


def _show(table: Table) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def test_every_query_has_an_answer_and_vice_versa() -> None:
    queries = {path.name.removesuffix(".rq") for path in QUERY_FILES}
    answers = {path.name.removesuffix(".expected.csv") for path in QUERIES.glob("*.expected.csv")}
    assert queries, "no queries found"
    assert queries == answers
    for name in sorted(answers):
        table = read_expected(QUERIES / f"{name}.expected.csv")
        assert len(table) >= 2, f"{name}: expected answer has no rows"
        assert all(len(row) == len(table[0]) for row in table), f"{name}: ragged CSV"


def test_queries_are_plain_sparql_over_the_union() -> None:
    for path in QUERY_FILES:
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert text.startswith("# Question"), f"{path.name}: no header comment stating the question"
        assert "ORDER BY" in body, f"{path.name}: no ORDER BY"
        used = re.findall(r"(?<![?$\w:])(SERVICE|GRAPH|FROM)\b", body, flags=re.IGNORECASE)
        assert not used, f"{path.name}: uses {used}"


@pytest.mark.parametrize("query_file", QUERY_FILES, ids=[path.stem for path in QUERY_FILES])
def test_query_answers(engines: Engines, query_file: Path) -> None:
    query = query_file.read_text(encoding="utf-8")
    expected = read_expected(query_file.with_name(query_file.stem + ".expected.csv"))
    from_rdflib = run_rdflib(engines.rdflib, query)
    from_oxigraph = run_oxigraph(engines.oxigraph, query)
    assert from_rdflib == expected, f"rdflib:\n{_show(from_rdflib)}"
    assert from_oxigraph == expected, f"Oxigraph:\n{_show(from_oxigraph)}"
