"""`policykg report` on hedges, negations, unattributed views, ranged dates and readings: the page's
data, then the page in headless Chromium.

Built from tests/data/factuality, tests/data/dates and a minimal corpus whose articles read one
shared event; the browser fixtures are those of tests/test_report.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, edit, minimal_corpus
from policykg.build.pipeline import build, write_output
from policykg.html.report import build_report
from test_report import Browser, browser, chromium, page_data  # noqa: F401 (fixtures)

D = "https://w3id.org/policykg/data/"


@dataclass(frozen=True)
class Page:
    path: Path
    data: dict[str, Any]

    def fact(self, iri: str) -> dict[str, Any]:
        (fact,) = [f for f in self.data["facts"] if f["iri"] == D + iri]
        return fact


def _page(corpus: Path, folder: Path) -> Page:
    graph_path = folder / "graph.trig"
    write_output(build([corpus]), graph_path)
    path = folder / "report.html"
    build_report(graph_path, facts_paths=[corpus]).write(path)
    return Page(path, page_data(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def factuality(tmp_path_factory: pytest.TempPathFactory) -> Page:
    return _page(ROOT / "tests" / "data" / "factuality", tmp_path_factory.mktemp("factuality"))


@pytest.fixture(scope="module")
def dates(tmp_path_factory: pytest.TempPathFactory) -> Page:
    return _page(ROOT / "tests" / "data" / "dates", tmp_path_factory.mktemp("dates"))


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> Page:
    """Two articles reading the registry's speech, one to the day and one to the month."""
    folder = tmp_path_factory.mktemp("readings")
    corpus = minimal_corpus(folder / "corpus", 2, own_events=False)
    edit(corpus / "doc1" / "facts.yaml", 'value: "2016-06-03"', 'value: "2016-06"')
    edit(corpus / "doc1" / "facts.yaml", "      weekday: Friday\n", "")
    return _page(corpus, folder)


# -- hedges, negations and unattributed views ----------------------------------------------------


def test_a_hedged_claim_carries_its_certainty_and_hedge(factuality: Page) -> None:
    claim = factuality.fact("claim/ecfr-2016/khamenei-likely-to-hold-position")
    assert claim["certainty"]["code"] == "probable"
    assert claim["hedges"] == ["is likely to"]
    assert claim["factualPolarity"] is None
    possible = factuality.fact("claim/ecfr-2016/precedent-most-important")
    assert (possible["certainty"]["label"], possible["hedges"]) == ("possible", ["perhaps"])


def test_a_plain_claim_is_certain_and_positive_by_absence(factuality: Page) -> None:
    claim = factuality.fact("claim/brookings-2015/framework-announced")
    assert (claim["certainty"], claim["factualPolarity"], claim["hedges"]) == (None, None, [])
    assert claim["sources"] == [] and claim["unattributed"] is False


def test_a_negated_statement_and_a_further_sources_value(factuality: Page) -> None:
    negated = factuality.fact("statement/ecfr-2016/khamenei-no-countermeasures")
    assert negated["factualPolarity"]["code"] == "negative"
    claim = factuality.fact("claim/ecfr-2016/tehran-open-beyond-nuclear")
    assert (claim["certainty"]["code"], claim["factualPolarity"]["code"]) == (
        "uncommitted",
        "unknown",
    )
    (source,) = claim["sources"]
    assert source["source"] == D + "actor/senior-iranian-officials"
    assert (source["certainty"]["code"], source["hedges"]) == (
        "probable",
        ["viewed it as a signal"],
    )
    assert source["factualPolarity"] is None
    assert source["source"] in {a["iri"] for a in factuality.data["actors"]}


def test_an_unattributed_view_has_no_holder_and_says_so(factuality: Page) -> None:
    view = factuality.fact("stance/brookings-2015/hopes-resolution-within-reach")
    assert (view["unattributed"], view["holder"]) == (True, None)
    held = factuality.fact("stance/brookings-2015/khamenei-doubts-deal")
    assert held["unattributed"] is False and held["holder"] == D + "actor/khamenei"


# -- ranges and relative dates on the timeline ---------------------------------------------------


def test_a_range_keeps_its_bounds_and_is_not_a_day(dates: Page) -> None:
    time = dates.fact("event/khamenei-warning")["time"]
    assert (time["precision"], time["value"], time["weekday"]) == ("range", None, "Thursday")
    assert (time["earliest"], time["latest"]) == ("2015-04-09T00:00:00", "2015-04-30T23:59:59")
    assert (time["placedEarliest"], time["placedLatest"]) == (time["earliest"], time["latest"])


def test_a_relative_date_is_placed_by_its_tightened_timestamps(dates: Page) -> None:
    """The final bargaining began after the speech: its beginning has no bound of its own and is
    placed by the event's sem:hasEarliestBeginTimeStamp (the speech's day)."""
    time = dates.fact("event/final-bargaining")["time"]
    begin = time["begin"]
    assert (begin["precision"], begin["earliest"], begin["latest"]) == ("range", None, None)
    assert (begin["placedEarliest"], begin["placedLatest"]) == ("2015-04-09T00:00:00", None)
    assert time["end"]["value"] == "2015-06-30"
    conference = dates.fact("event/press-conference")["time"]
    assert conference["precision"] == "range"  # 2 April, or 3 April shortly after midnight
    assert conference["placedLatest"] == "2015-04-03T00:19:59"


def test_dates_with_a_literal_keep_their_precision(dates: Page) -> None:
    assert dates.fact("event/rouhani-remark")["time"]["precision"] == "month"
    assert dates.fact("event/khamenei-speech")["time"]["precision"] == "day"
    assert "placedEarliest" not in dates.fact("event/deal-signing")["time"]
    assert dates.fact("event/talks-resumption")["time"] is None  # undated


# -- readings of shared events -------------------------------------------------------------------


def test_a_shared_event_lists_its_readings_with_their_documents(readings: Page) -> None:
    event = readings.fact("event/speech")
    assert event["readings"] == [D + f"reading/minimal-{n}/speech" for n in range(2)]
    day, month = (readings.fact(f"reading/minimal-{n}/speech") for n in range(2))
    assert (day["readingOf"], day["accordingTo"]) == (D + "event/speech", D + "document/minimal-0")
    assert month["accordingTo"] == D + "document/minimal-1"
    assert (day["time"]["precision"], month["time"]["precision"]) == ("day", "month")


# -- the page ------------------------------------------------------------------------------------


def test_the_page_marks_hedges_negations_and_unnamed_holders(
    factuality: Page,
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    browser.open(factuality.path)
    row = browser.page.locator('.fact-row[data-fact$="/khamenei-likely-to-hold-position"]')
    assert "probable" in row.inner_text()
    row.click()
    detail = browser.page.locator("#detail").inner_text()
    assert "probable, hedged by “is likely to”" in detail
    negated = browser.page.locator('.fact-row[data-fact$="/khamenei-no-countermeasures"]')
    assert "did not say" in negated.inner_text()
    negated.click()
    assert "did not say it" in browser.page.locator("#detail").inner_text()
    browser.page.click('.fact-row[data-fact$="/tehran-open-beyond-nuclear"]')
    detail = browser.page.locator("#detail").inner_text()
    assert "uncommitted, whether it holds is unknown" in detail
    assert "probable, hedged by “viewed it as a signal”" in detail
    plain = browser.page.locator('.fact-row[data-fact$="/framework-announced"]')
    assert plain.locator(".badge.factuality").count() == 0
    browser.page.click('.fact-row[data-fact$="/hopes-resolution-within-reach"]')
    assert "holder not named" in browser.page.locator("#detail").inner_text()
    assert browser.problems() == []


def test_the_page_shows_ranges_as_ranges(
    dates: Page,
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    browser.open(dates.path)
    warning = browser.page.locator('.tl-row[data-fact$="/khamenei-warning"]').inner_text()
    assert "9–30 April 2015" in warning and "known to the day" not in warning
    bargaining = browser.page.locator('.tl-row[data-fact$="/final-bargaining"]').inner_text()
    assert "after 9 Apr 2015" in bargaining
    browser.page.click('.fact-row[data-fact$="/khamenei-warning"]')
    detail = browser.page.locator("#detail").inner_text()
    assert "9–30 April 2015" in detail and "Thursday" in detail
    assert browser.problems() == []


def test_the_page_lists_readings_under_their_event(
    readings: Page,
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    browser.open(readings.path)
    browser.page.click('.fact-row[data-fact$="/event/speech"]')
    detail = browser.page.locator("#detail").inner_text()
    assert "Readings" in detail
    assert "· 3 June 2016" in detail and "· June 2016" in detail  # the day's and the month's
    title = readings.data["documents"][0]["title"]
    assert f"in {title}" in detail
    assert browser.problems() == []
