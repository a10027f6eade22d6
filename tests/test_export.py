"""policykg export events: the example corpus as event data, its CAMEO table, its dates, its errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import policykg
from conftest import ROOT
from policykg.cli import main
from policykg.errors import GraphInputError
from policykg.export.cameo import cameo_codes
from policykg.export.events import COLUMNS, event_table
from policykg.resources import ontology_graph

EXPECTED = ROOT / "tests" / "data" / "export" / "example-events.csv"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus built once, as TriG and N-Quads side by side."""
    folder = tmp_path_factory.mktemp("export")
    result = policykg.build_graphs(ROOT / "examples", validate=False, jobs=1)
    policykg.write(result, folder / "examples.trig")
    policykg.write(result, folder / "examples.nq")
    policykg.write(result, folder / "examples.ttl")
    return folder


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_example_export_is_the_committed_csv(built: Path) -> None:
    # Regenerate after a deliberate change with
    #   policykg export events examples.trig -o tests/data/export/example-events.csv
    # and read the diff row by row.
    assert event_table(built / "examples.trig").to_csv() == EXPECTED.read_bytes()


def test_every_format_and_a_store_give_the_same_bytes(built: Path) -> None:
    store = ox.Store()
    store.load(path=str(built / "examples.nq"), format=ox.RdfFormat.N_QUADS)
    expected = EXPECTED.read_bytes()
    assert event_table(built / "examples.nq").to_csv() == expected
    assert event_table(store).to_csv() == expected
    assert policykg.export_events(built / "examples.trig").to_csv() == expected


def test_a_turtle_union_gives_the_same_rows_without_graph_names(built: Path) -> None:
    from_turtle = _rows(event_table(built / "examples.ttl").to_csv())
    expected = _rows(EXPECTED.read_bytes())
    assert all(row["graph"] == "" for row in from_turtle)
    assert from_turtle == [{**row, "graph": ""} for row in expected]


def test_one_row_per_coded_fact(built: Path) -> None:
    coded = policykg.query(
        built / "examples.trig",
        "SELECT DISTINCT ?fact WHERE { ?fact <https://w3id.org/policykg/ns#cameoCode> ?code }",
    )
    rows = _rows(EXPECTED.read_bytes())
    assert list(rows[0]) == list(COLUMNS)
    assert sorted(row["fact_iri"] for row in rows) == sorted(r[0].value for r in coded.rows)
    assert len(rows) == 27
    kinds = {row["fact_kind"] for row in rows}
    assert kinds == {"event", "statement", "stance"}


def test_no_row_carries_a_day_its_facts_do_not_give() -> None:
    rows = {row["fact_iri"].rsplit("/", 1)[-1]: row for row in _rows(EXPECTED.read_bytes())}
    for row in rows.values():
        if row["date_precision"] != "day":
            assert not DAY.fullmatch(row["date"]), row
        if row["date_precision"] == "month":
            assert re.fullmatch(r"\d{4}-\d{2}", row["date"]), row
    remark = rows["khamenei-remark-2015-04"]
    assert (remark["date"], remark["date_precision"]) == ("2015-04", "month")
    talks = rows["lausanne-talks-2015"]
    assert (talks["date"], talks["date_precision"]) == ("2015-03-26/2015-04-02", "interval")
    undated = rows["nuclear-negotiations"]
    assert (undated["date"], undated["date_precision"], undated["dated_by"]) == ("", "undated", "")


def test_the_columns_hold_what_the_facts_say() -> None:
    rows = {row["fact_iri"].rsplit("/", 1)[-1]: row for row in _rows(EXPECTED.read_bytes())}
    zarif = rows["zarif-americans-brought-what-they-desired"]
    assert zarif["source_name"] == "Mohammad Javad Zarif"
    assert zarif["source_country"] == "Iran"  # through his tenure as foreign minister
    assert (zarif["target_name"], zarif["target_wikidata"]) == ("United States", "Q30")
    assert (zarif["cameo_code"], zarif["goldstein"], zarif["quad_class"]) == ("112", "-2.0", "3")
    assert (zarif["date"], zarif["dated_by"]) == ("2015-04-02", "event")  # the interview's day
    assert zarif["asserted_as"] == "stated"
    assert zarif["publisher"] == "Tasnim News Agency"
    assert zarif["graph"].endswith("/graph/tasnim-own-fact-sheet-2015")
    hedged = rows["khamenei-us-destructive-role"]
    assert hedged["certainty"] == "probable"
    framework = rows["lausanne-framework"]
    assert (framework["source_name"], framework["source_wikidata"]) == ("Iran; P5+1", "Q794; ")
    assert framework["asserted_as"] == "curator" and framework["quote"] == ""
    assert framework["curator_source"].startswith("https://en.wikipedia.org/")
    ecfr = rows["khamenei-scorned-us"]
    assert ecfr["document_published"] == "2016-06-07"  # its first publication, LobeLog's


def test_every_quote_is_the_text_at_its_offsets() -> None:
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "examples").glob("*/article.txt")]
    quoted = [row for row in _rows(EXPECTED.read_bytes()) if row["quote"]]
    assert len(quoted) == 23  # the four registry events have no quote of their own
    for row in quoted:
        start, end = int(row["quote_start"]), int(row["quote_end"])
        assert any(text[start:end] == row["quote"] for text in texts), row["fact_iri"]


def test_pandas_reads_the_csv() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(EXPECTED, dtype={"cameo_code": str})
    assert len(frame) == 27 and list(frame.columns) == list(COLUMNS)
    assert frame.fact_iri.is_unique
    assert set(frame.cameo_code) >= {"010", "05", "057", "112"}
    assert frame.goldstein.between(-10, 10).all()
    month = frame[frame.date_precision == "month"]
    assert len(month) == 3 and not month.date.str.fullmatch(DAY.pattern).any()


def test_jsonl_reads_back_as_the_csv(built: Path) -> None:
    table = event_table(built / "examples.trig")
    objects = [json.loads(line) for line in table.to_jsonl().decode("utf-8").splitlines()]
    assert [list(o) for o in objects] == [list(COLUMNS)] * len(objects)
    as_text = [{k: "" if v is None else str(v) for k, v in o.items()} for o in objects]
    assert as_text == _rows(EXPECTED.read_bytes())
    assert isinstance(objects[0]["goldstein"], float) and isinstance(objects[0]["quad_class"], int)


def test_day_precision_only_leaves_out_exactly_the_non_day_rows(built: Path) -> None:
    everything = _rows(EXPECTED.read_bytes())
    days = _rows(event_table(built / "examples.trig", day_precision_only=True).to_csv())
    assert days == [row for row in everything if row["date_precision"] == "day"]
    assert 0 < len(days) < len(everything)


def test_the_command_writes_csv_and_jsonl(built: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "events", str(built / "examples.trig"), "-o", str(tmp_path / "e.csv")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "e.csv").read_bytes() == EXPECTED.read_bytes()
    assert "e.csv: 27 coded fact(s)" in result.stderr
    arguments = ["export", "events", str(built / "examples.trig"), "-o", str(tmp_path / "e.jsonl")]
    result = runner.invoke(main, [*arguments, "--day-precision-only"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21 and all(json.loads(x)["date_precision"] == "day" for x in lines)


def test_the_command_writes_to_standard_output_in_the_format_asked(built: Path) -> None:
    graph = str(built / "examples.trig")
    result = CliRunner().invoke(main, ["export", "events", graph, "-o", "-"])
    assert result.exit_code == 0 and result.stdout.encode() == EXPECTED.read_bytes()
    result = CliRunner().invoke(main, ["export", "events", graph, "-o", "-", "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line)["fact_iri"] for line in result.stdout.splitlines()] == [
        row["fact_iri"] for row in _rows(EXPECTED.read_bytes())
    ]


@pytest.mark.parametrize("content", [None, b"@prefix broken <"], ids=["missing", "not-turtle"])
def test_an_unreadable_graph_is_an_error_and_leaves_no_file(
    tmp_path: Path, content: bytes | None
) -> None:
    graph = tmp_path / "graph.ttl"
    if content is not None:
        graph.write_bytes(content)
    output = tmp_path / "events.csv"
    result = CliRunner().invoke(main, ["export", "events", str(graph), "-o", str(output)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and str(graph) in result.stderr
    assert not output.exists()
    assert [p.name for p in tmp_path.iterdir()] == ([] if content is None else ["graph.ttl"])
    with pytest.raises(GraphInputError):
        policykg.export_events(graph)


def test_an_unreadable_graph_leaves_an_existing_output_as_it_was(tmp_path: Path) -> None:
    output = tmp_path / "events.csv"
    output.write_text("earlier export\n")
    result = CliRunner().invoke(
        main, ["export", "events", str(tmp_path / "none.trig"), "-o", str(output)]
    )
    assert result.exit_code == 2
    assert output.read_text() == "earlier export\n"


_DATES = """
@prefix pkg: <https://w3id.org/policykg/ns#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cameo: <https://w3id.org/policykg/cameo/> .
@prefix e: <https://example.org/event/> .
e:range a sem:Event ; pkg:cameoCode cameo:010 ; time:hasTime e:range-time .
e:range-time a time:Instant ; pkg:earliest "2015-04-09T00:00:00"^^xsd:dateTime ;
    pkg:latest "2015-04-30T23:59:59"^^xsd:dateTime .
e:after a sem:Event ; pkg:cameoCode cameo:010 ; time:hasTime e:after-time .
e:after-time a time:Instant ; pkg:earliest "2015-04-02T00:10:00"^^xsd:dateTime .
e:year a sem:Event ; pkg:cameoCode cameo:010 ; time:hasTime e:year-time .
e:year-time a time:Instant ; time:inXSDgYear "2015"^^xsd:gYear ;
    pkg:earliest "2015-01-01T00:00:00"^^xsd:dateTime .
e:unknown-code a sem:Event ; pkg:cameoCode cameo:999 .
"""


def test_ranges_years_and_unknown_codes() -> None:
    store = ox.Store()
    store.load(_DATES.encode(), format=ox.RdfFormat.TURTLE)
    rows = {r["fact_iri"].rsplit("/", 1)[-1]: r for r in _rows(event_table(store).to_csv())}
    assert (rows["range"]["date"], rows["range"]["date_precision"]) == (
        "2015-04-09/2015-04-30",
        "range",
    )
    assert (rows["after"]["date"], rows["after"]["date_precision"]) == (
        "2015-04-02T00:10:00/..",
        "range",
    )
    assert (rows["year"]["date"], rows["year"]["date_precision"]) == ("2015", "year")
    unknown = rows["unknown-code"]
    assert (unknown["cameo_code"], unknown["cameo_label"], unknown["goldstein"]) == ("999", "", "")
    assert list(rows) == ["year", "after", "range", "unknown-code"]  # by earliest bound
    assert event_table(store, day_precision_only=True).rows == ()


def test_the_cameo_table_has_every_code_with_a_value_and_a_quad_class() -> None:
    codes = cameo_codes()
    assert len(codes) == 311
    roots = {code.root for code in codes.values()}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
    for code in codes.values():
        assert re.fullmatch(r"\d{2,4}", code.code) and code.label.strip() == code.label
        assert -10 <= code.goldstein <= 10
        assert code.quad_class == codes[code.root].quad_class  # a code is in its root's class
    quad = {root: codes[root].quad_class for root in sorted(roots)}
    assert [quad[f"{n:02d}"] for n in range(1, 21)] == [1] * 5 + [2] * 4 + [3] * 5 + [4] * 6
    assert (codes["057"].label, codes["057"].goldstein) == ("Sign formal agreement", 8.0)
    assert (codes["0874"].goldstein, codes["1823"].goldstein) == (10.0, -10.0)
    assert codes["106"].label == "Demand withdrawal"  # split from GDELT's run-on line
    assert codes["044"].label == "Meet at a 'third' location"


def test_every_cameo_code_of_the_ontology_is_in_the_table() -> None:
    scheme = "https://w3id.org/policykg/cameo/"
    concepts = {
        str(s).removeprefix(scheme)
        for s in ontology_graph().subjects()
        if str(s).startswith(scheme)
    }
    assert concepts and concepts <= set(cameo_codes())
