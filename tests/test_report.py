"""`policykg report`: the page's data and escaping as text, then the page in a real headless Chromium.

The browser tests drive Debian's ``chromium`` (``.ci/run`` installs it) through playwright, with no
browser download. Set ``POLICYKG_UPDATE_SCREENSHOT=1`` to rewrite ``docs/report-example.png``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from conftest import EXAMPLE, MINIMAL, REGISTRY, ROOT
from policykg.build.pipeline import build, read_graph, write_output
from policykg.cli import main
from policykg.errors import UsageError
from policykg.html.report import build_report, render_report
from policykg.validate.shacl import ValidationReport

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = ROOT / "docs" / "report-example.png"
STANCE = "khamenei-rules-out-negotiations-beyond-nuclear"
HOSTILE = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


# -- fixtures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    graph_path: Path
    graph: Graph
    page: Path
    page_without_facts: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("report")
    graph_path = folder / "khamenei.trig"
    write_output(build([EXAMPLE, REGISTRY]), graph_path)
    page = folder / "khamenei.html"
    build_report(graph_path, facts_paths=[EXAMPLE, REGISTRY]).write(page)
    page_without_facts = folder / "khamenei-context.html"
    build_report(graph_path).write(page_without_facts)
    return Built(graph_path, read_graph(graph_path), page, page_without_facts)


def page_data(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="policykg-data">(.*?)</script>', html, re.S
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def select(graph: Graph, query: str) -> list[str]:
    prefixes = """
        PREFIX pkg: <https://w3id.org/policykg/ns#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        PREFIX time: <http://www.w3.org/2006/time#>
    """
    return sorted(str(row[0]) for row in graph.query(prefixes + query))


def event_labels(graph: Graph, *, dated: bool) -> list[str]:
    having = "" if dated else "NOT"
    return select(
        graph,
        # An undated event has a time too (a bare time:TemporalEntity that dates may point at).
        f"SELECT ?l WHERE {{ ?e a sem:Event ; rdfs:label ?l . FILTER {having} EXISTS"
        " { ?e time:hasTime ?t . { ?t a time:Instant } UNION { ?t a time:Interval } } }",
    )


def position_actor_labels(graph: Graph) -> list[str]:
    """Holders of stances, and the actors they are toward or about (the graph's actors)."""
    return select(
        graph,
        """SELECT DISTINCT ?l WHERE {
            ?s a pkg:Stance .
            { ?s pkg:holder ?a } UNION { ?s pkg:target ?a } UNION { ?s schema:about ?a }
            ?a a prov:Agent ; rdfs:label ?l }""",
    )


def quotes_of(graph: Graph, fact_id: str) -> list[str]:
    return select(
        graph,
        f"""SELECT ?exact WHERE {{
            ?annotation oa:hasBody ?fact ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
            FILTER(STRENDS(STR(?fact), "/{fact_id}")) }}""",
    )


def stance_iri(graph: Graph, fact_id: str) -> str:
    (iri,) = select(
        graph, f'SELECT ?s WHERE {{ ?s a pkg:Stance FILTER(STRENDS(STR(?s), "/{fact_id}")) }}'
    )
    return iri


# -- the page as text ----------------------------------------------------------------------------


def test_the_page_holds_the_examples_events_actors_and_quotes(built: Built) -> None:
    data = page_data(built.page.read_text(encoding="utf-8"))
    events = sorted(f["label"] for f in data["facts"] if f["kind"] == "event")
    assert events == sorted(
        event_labels(built.graph, dated=True) + event_labels(built.graph, dated=False)
    )
    assert len(events) == 15
    actors = sorted(a["label"] for a in data["actors"])
    assert actors == select(built.graph, "SELECT ?l WHERE { ?a a prov:Agent ; rdfs:label ?l }")
    assert len(actors) == 30
    kinds = [f["kind"] for f in data["facts"]]
    assert (kinds.count("statement"), kinds.count("stance"), kinds.count("claim")) == (12, 9, 16)
    quotes = sorted(q["exact"] for f in data["facts"] for q in f["quotes"])
    expected = select(
        built.graph,
        """SELECT ?exact WHERE { ?a oa:hasBody ?fact ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
            { ?fact a sem:Event } UNION { ?fact a pkg:Claim } }""",
    )
    assert quotes == sorted(expected) and len(quotes) > 40
    (document,) = data["documents"]
    assert document["text"] == (EXAMPLE / "article.txt").read_text(encoding="utf-8")
    assert data["validation"] == {"conforms": True, "violations": []}


def test_time_keeps_its_precision_and_open_ends(built: Built) -> None:
    facts = {
        f["iri"].rsplit("/", 1)[-1]: f for f in page_data(built.page.read_text("utf-8"))["facts"]
    }
    assert facts["khamenei-remark-2015-04"]["time"]["precision"] == "month"
    assert facts["khomeini-death"]["time"]["precision"] == "year"
    assert facts["speech-2016-06-03"]["time"]["precision"] == "day"
    iaea = facts["iaea-compliance-confirmations"]["time"]
    assert iaea["kind"] == "interval" and iaea["end"] is None
    assert (iaea["begin"]["earliest"], iaea["begin"]["latest"]) == (
        "2016-01-01T00:00:00",
        "2016-01-31T23:59:59",
    )
    assert facts["nuclear-negotiations"]["time"] is None  # undated: its time has no bounds


def test_without_facts_the_page_has_no_text_but_every_quotes_context(built: Built) -> None:
    data = page_data(built.page_without_facts.read_text(encoding="utf-8"))
    assert data["documents"][0]["text"] is None
    stance = next(f for f in data["facts"] if f["iri"].endswith("/" + STANCE))
    assert stance["quotes"][0]["prefix"] == "e Leader Ayatollah Ali Khamenei "
    assert stance["quotes"][0]["suffix"].startswith(". The anti-US rhetoric")


def test_the_same_graph_gives_the_same_bytes(built: Built, tmp_path: Path) -> None:
    as_nquads = tmp_path / "khamenei.nq"
    write_output(build([EXAMPLE, REGISTRY]), as_nquads)
    again = build_report(as_nquads, facts_paths=[EXAMPLE, REGISTRY]).html
    assert again.encode("utf-8") == built.page.read_bytes()


def hostile_graph(graph: Graph) -> Graph:
    """The example with an event, an actor and the document named by markup."""
    hostile = Graph()
    hostile += graph
    for name in (
        "event/speech-2016-06-03",
        "actor/khamenei",
        "document/khamenei-negotiations-2016",
    ):
        node = URIRef("https://w3id.org/policykg/data/" + name)
        hostile.remove((node, RDFS.label, None))
        hostile.remove((node, URIRef("https://schema.org/name"), None))
        hostile.add((node, RDFS.label, Literal(HOSTILE)))
    return hostile


def test_labels_are_data_never_markup(built: Built) -> None:
    page = render_report(
        hostile_graph(built.graph), texts={}, validation=ValidationReport(True, (), Graph())
    )
    assert HOSTILE not in page and "<img" not in page and "<script>window" not in page
    assert page.count("</script>") == page.count("<script") == 6  # the data and five scripts
    assert "<title>&lt;/script&gt;&lt;script&gt;window.pwned = 1" in page
    data = page_data(page)
    assert HOSTILE in {f["label"] for f in data["facts"]} and HOSTILE in {
        a["label"] for a in data["actors"]
    }


def test_the_docstring_examples_run() -> None:
    import doctest

    from policykg.html import report

    assert doctest.testmod(report).failed == 0


def test_facts_of_another_document_are_refused(built: Built) -> None:
    with pytest.raises(UsageError, match="not the text of any document"):
        build_report(built.graph_path, facts_paths=[MINIMAL])


def test_the_command_writes_the_page(built: Built, tmp_path: Path) -> None:
    output = tmp_path / "page.html"
    args = [
        "report",
        str(built.graph_path),
        "--facts",
        str(EXAMPLE),
        "--facts",
        str(REGISTRY),
        "-o",
        str(output),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "1 document(s), 54 events and claims on the timeline, quotes in the full text, conforms"
        in result.stderr
    )
    assert output.read_bytes() == built.page.read_bytes()


def test_the_command_reports_a_bad_graph(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(bad), "-o", str(tmp_path / "page.html")])
    assert result.exit_code == 2 and "bad.ttl" in result.stderr
    assert not (tmp_path / "page.html").exists()


def test_a_graph_that_does_not_conform_lists_its_violations(tmp_path: Path) -> None:
    graph = build([MINIMAL], validate=False).union_graph()
    speech = URIRef("https://w3id.org/policykg/data/event/speech")
    assert (speech, RDFS.label, None) in graph
    graph.remove((speech, RDFS.label, None))
    path = tmp_path / "broken.ttl"
    graph.serialize(path, format="turtle")
    report = build_report(path, facts_paths=[MINIMAL])
    violations = page_data(report.html)["validation"]["violations"]
    assert not report.validation.conforms and violations
    assert any(v["focusNode"] == str(speech) and v["origin"] for v in violations)


# -- the page in a browser -----------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Browser:
    """A page in headless Chromium that records console messages, errors and requests."""

    page: Any
    messages: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.policykgReport && window.policykgReport.ready")

    def problems(self) -> list[str]:
        return [
            f"{kind}: {text}" for kind, text in self.messages if kind in ("error", "warning")
        ] + [f"page error: {e}" for e in self.errors]


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1440, "height": 1000},
            device_scale_factor=1,
        )
        yield context
        context.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Browser]:
    page = chromium.new_page()
    recorder = Browser(page)
    page.on("console", lambda message: recorder.messages.append((message.type, message.text)))
    page.on("pageerror", lambda error: recorder.errors.append(str(error)))
    page.on("request", lambda request: recorder.requests.append(request.url))
    yield recorder
    page.close()


def test_the_page_loads_alone_without_errors(built: Built, browser: Browser) -> None:
    browser.open(built.page)
    browser.page.click(f'.fact-row[data-fact$="/{STANCE}"]')
    browser.page.click("#graph-fit")
    assert browser.problems() == []
    assert browser.requests == [built.page.as_uri()]


def test_the_timeline_shows_the_events_at_their_precision(built: Built, browser: Browser) -> None:
    browser.open(built.page)
    rows = browser.page.locator('#timeline .tl-row[data-kind="event"]')
    names = sorted(rows.locator(".tl-name").all_inner_texts())
    assert names == event_labels(built.graph, dated=True)
    undated = sorted(browser.page.locator("#timeline-undated button").all_inner_texts())
    assert undated == event_labels(built.graph, dated=False)

    def mark(event_id: str, shape: str) -> dict[str, float]:
        locator = browser.page.locator(f'.tl-row[data-fact$="/{event_id}"] .tl-mark.{shape}')
        box: dict[str, float] = locator.bounding_box()
        return box

    year = mark("khomeini-death", "period")
    month = mark("khamenei-remark-2015-04", "period")
    assert month["width"] == pytest.approx(year["width"] * 30 / 365, abs=2)  # April 2015, 1989
    assert year["x"] + year["width"] <= month["x"]
    day = mark("speech-2016-06-03", "day")
    assert day["width"] < 17  # a turned 11 px square, not a span
    assert (
        browser.page.locator(
            '.tl-row[data-fact$="/iaea-compliance-confirmations"] .open-end'
        ).count()
        == 1
    )


def test_the_graph_draws_the_actors_and_their_positions(built: Built, browser: Browser) -> None:
    browser.open(built.page)
    drawn = browser.page.evaluate(
        """() => {
            const cy = window.policykgReport.cy;
            const box = cy.elements().renderedBoundingBox();
            return {
                actors: cy.nodes('[kind = "actor"]').map((n) => n.data('label').replace(/\\n/g, ' ')),
                stances: cy.nodes('[kind = "stance"]').length,
                inside: box.x1 >= 0 && box.y1 >= 0 && box.x2 <= cy.width() && box.y2 <= cy.height(),
            };
        }"""
    )
    assert sorted(drawn["actors"]) == position_actor_labels(built.graph)
    assert drawn["stances"] == 9 and drawn["inside"]


def test_clicking_a_fact_shows_its_quotes_highlighted_in_the_text(
    built: Built, browser: Browser
) -> None:
    browser.open(built.page)
    browser.page.click(f'.fact-row[data-fact$="/{STANCE}"]')
    detail = browser.page.locator("#detail")
    marks = detail.locator(".source-text mark")
    assert sorted(marks.all_inner_texts()) == quotes_of(built.graph, STANCE)
    assert (
        "reported" in detail.inner_text() and "Author of the ECFR commentary" in detail.inner_text()
    )
    text_box = detail.locator(".source-text").bounding_box()
    first = marks.first.bounding_box()
    assert text_box["y"] <= first["y"] <= text_box["y"] + text_box["height"]  # scrolled to it


def test_clicking_a_position_in_the_graph_shows_it(built: Built, browser: Browser) -> None:
    browser.open(built.page)
    iri = stance_iri(built.graph, STANCE)
    browser.page.locator("#graph").scroll_into_view_if_needed()
    position = browser.page.evaluate(
        "(iri) => window.policykgReport.cy.getElementById(iri).renderedPosition()", iri
    )
    browser.page.locator("#graph").click(position=position)
    label = select(built.graph, f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")
    assert browser.page.locator("#detail h2").inner_text() == label[0]
    assert browser.page.evaluate(
        "(iri) => window.policykgReport.cy.getElementById(iri).selected()", iri
    )


def test_without_facts_the_quote_is_shown_in_its_context(built: Built, browser: Browser) -> None:
    browser.open(built.page_without_facts)
    browser.page.click(f'.fact-row[data-fact$="/{STANCE}"]')
    contexts = browser.page.locator("#detail .quote-context")
    assert sorted(contexts.locator("mark").all_inner_texts()) == quotes_of(built.graph, STANCE)
    assert contexts.first.inner_text().startswith(
        "…e Leader Ayatollah Ali Khamenei made a significant"
    )
    assert "--facts" in browser.page.locator("#detail .evidence-note").first.inner_text()
    assert browser.problems() == []


def test_markup_in_labels_is_shown_as_text(built: Built, browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        render_report(
            hostile_graph(built.graph), texts={}, validation=ValidationReport(True, (), Graph())
        ),
        encoding="utf-8",
    )
    browser.open(page)
    browser.page.click('.fact-row[data-fact$="/speech-2016-06-03"]')
    assert browser.page.locator("#detail h2").inner_text() == HOSTILE
    assert browser.page.locator("#doc-title").inner_text() == HOSTILE
    assert browser.page.evaluate("window.pwned") is None
    assert browser.problems() == [] and browser.requests == [page.as_uri()]


def test_a_graph_without_documents_or_stances_still_opens(browser: Browser, tmp_path: Path) -> None:
    graph = tmp_path / "bare.ttl"
    graph.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    page = tmp_path / "bare.html"
    build_report(graph).write(page)
    browser.open(page)
    assert browser.page.locator("#timeline").inner_text() == "No dated events or statements."
    assert "The graph holds no stances." in browser.page.locator("#graph-section").inner_text()
    assert browser.problems() == [] and browser.requests == [page.as_uri()]


def test_screenshot_of_the_example(built: Built, browser: Browser, tmp_path: Path) -> None:
    browser.page.set_viewport_size({"width": 1440, "height": 1720})
    browser.open(built.page)
    iri = stance_iri(built.graph, STANCE)
    browser.page.evaluate("(iri) => window.policykgReport.select(iri)", iri)
    browser.page.mouse.move(0, 0)
    shot = tmp_path / "report.png"
    browser.page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("POLICYKG_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, SCREENSHOT)
    committed = SCREENSHOT.read_bytes()
    assert committed[:8] == b"\x89PNG\r\n\x1a\n", "run with POLICYKG_UPDATE_SCREENSHOT=1"
    assert committed[16:24] == shot.read_bytes()[16:24], "its width and height have changed"


def test_a_dataset_is_validated_graph_by_graph_as_validate_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import minimal_corpus
    from policykg.build import pipeline

    graph_path = tmp_path / "two.trig"
    write_output(build([minimal_corpus(tmp_path / "corpus", 2)]), graph_path)
    per_graph: list[int] = []
    real = pipeline.validate_graphs

    def recorded(graphs: Any, **options: Any) -> ValidationReport:
        per_graph.append(len(graphs))
        return real(graphs, **options)

    monkeypatch.setattr(pipeline, "validate_graphs", recorded)
    report = build_report(graph_path)
    assert per_graph == [4]  # two documents, the registry and the ontology, not one union
    assert report.validation.conforms
    whole = pipeline.validate_file(graph_path)
    assert (report.validation.conforms, report.validation.violations) == (
        whole.conforms,
        whole.violations,
    )
