"""Ranges, relative dates and ordering across precisions, end to end: tests/data/dates built,
validated and queried on two engines, and the contradictions the shapes must catch.

The competency question "events in date order across precisions" is
``tests/data/dates/queries/events-in-date-order.rq``; its answer is checked on rdflib and Oxigraph
as the example's questions are (tests/test_queries.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, TIME, XSD

from conftest import ROOT, edit
from policykg.build.pipeline import build
from policykg.namespaces import PKG, SEM
from policykg.rdf.serialization import serialize
from test_queries import _show, read_expected, run_oxigraph, run_rdflib

DATES = ROOT / "tests" / "data" / "dates"
QUERIES = sorted((DATES / "queries").glob("*.rq"))
DATA = "https://w3id.org/policykg/data/"


@pytest.fixture(scope="module")
def dates_build() -> tuple[bytes, Dataset]:
    result = build([DATES], validate=True)
    assert result.report is not None and result.report.conforms, result.report.describe()
    nquads = serialize(result.graphs, "nquads")
    dataset = Dataset(default_union=True)
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    return nquads, dataset


@pytest.mark.parametrize("query_file", QUERIES, ids=[path.stem for path in QUERIES])
def test_events_sort_by_their_tightened_bounds_on_both_engines(
    dates_build: tuple[bytes, Dataset], query_file: Path
) -> None:
    nquads, dataset = dates_build
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    query = query_file.read_text(encoding="utf-8")
    expected = read_expected(query_file.with_name(query_file.stem + ".expected.csv"))
    from_rdflib = run_rdflib(dataset, query)
    assert from_rdflib == expected, f"rdflib:\n{_show(from_rdflib)}"
    from_oxigraph = run_oxigraph(store, query)
    assert from_oxigraph == expected, f"Oxigraph:\n{_show(from_oxigraph)}"


def test_a_year_after_an_april_event_sorts_after_its_beginning(
    dates_build: tuple[bytes, Dataset],
) -> None:
    """The signing, "later in 2015, after the framework": its date stays the year, its earliest
    timestamp is the framework's day."""
    _, dataset = dates_build
    signing = URIRef(DATA + "event/deal-signing")
    time = URIRef(DATA + "event/deal-signing/time")
    assert (time, TIME.inXSDgYear, Literal("2015", datatype=XSD.gYear)) in dataset
    assert (time, PKG.earliest, Literal("2015-01-01T00:00:00", datatype=XSD.dateTime)) in dataset
    assert (time, TIME.after, URIRef(DATA + "event/lausanne-framework/time")) in dataset
    earliest = Literal("2015-04-02T00:00:00", datatype=XSD.dateTime)
    assert (signing, SEM.hasEarliestBeginTimeStamp, earliest) in dataset


def test_an_undated_anchor_has_a_time_to_point_at(dates_build: tuple[bytes, Dataset]) -> None:
    _, dataset = dates_build
    resumption = URIRef(DATA + "event/talks-resumption")
    time = URIRef(DATA + "event/talks-resumption/time")
    assert (resumption, TIME.hasTime, time) in dataset
    assert (time, RDF.type, TIME.TemporalEntity) in dataset
    assert (URIRef(DATA + "event/iaea-visit/time"), TIME.before, time) in dataset


def test_an_offset_from_the_publication_points_at_its_time(
    dates_build: tuple[bytes, Dataset],
) -> None:
    _, dataset = dates_build
    published = URIRef(DATA + "document/dates/published")
    meeting = URIRef(DATA + "event/vienna-meeting/time")
    assert (URIRef(DATA + "document/dates"), TIME.hasTime, published) in dataset
    assert (published, TIME.inXSDDate, Literal("2015-07-20", datatype=XSD.date)) in dataset
    assert (meeting, PKG.offsetFrom, published) in dataset
    assert (meeting, PKG.offset, Literal("-P1D", datatype=XSD.duration)) in dataset
    assert (meeting, TIME.before, published) in dataset
    assert (meeting, TIME.inXSDDate, Literal("2015-07-19", datatype=XSD.date)) in dataset


@pytest.fixture
def dates_copy(tmp_path: Path) -> Path:
    target = tmp_path / "dates"
    shutil.copytree(DATES, target, ignore=shutil.ignore_patterns("queries"))
    return target


def _failed_shapes(folder: Path) -> set[str]:
    result = build([folder], validate=True)
    assert result.report is not None
    return {violation.shape for violation in result.report.violations}


def test_a_statement_dated_before_the_event_it_was_made_at_does_not_validate(
    dates_copy: Path,
) -> None:
    """Issue 16: a statement dated 3 April at a speech of 9 April validated."""
    edit(dates_copy / "facts.yaml", 'date: "2015-04-09"\n', 'date: "2015-04-03"\n')
    assert _failed_shapes(dates_copy) == {"pkgsh:ClaimWithinEventShape"}


def test_a_date_after_an_event_that_ends_before_it_does_not_validate(dates_copy: Path) -> None:
    edit(
        dates_copy / "facts.yaml",
        'date: {after: lausanne-framework, within: "2015-04"}',
        'date: {after: lausanne-framework, within: "2015-03"}',
    )
    result = build([dates_copy], validate=True)
    assert result.report is not None
    (violation,) = result.report.violations
    assert violation.shape == "pkgsh:TimeShape"
    assert "This date is 'after'" in violation.message
    line = _line_of(dates_copy / "facts.yaml", "  rouhani-remark:")
    assert violation.origin == f"{dates_copy / 'facts.yaml'}:{line} [rouhani-remark]"


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_contradicting_dates_keep_their_own_bounds(dates_copy: Path) -> None:
    """Nothing is tightened from facts that contradict one another: the shapes report them."""
    edit(dates_copy / "facts.yaml", 'date: "2015-04-09"\n', 'date: "2015-04-03"\n')
    result = build([dates_copy], validate=False)
    dataset = Dataset(default_union=True)
    dataset.parse(data=serialize(result.graphs, "nquads").decode("utf-8"), format="nquads")
    signing = URIRef(DATA + "event/deal-signing")
    earliest = Literal("2015-01-01T00:00:00", datatype=XSD.dateTime)
    assert (signing, SEM.hasEarliestBeginTimeStamp, earliest) in dataset
