"""`policykg report` on relations and roles: the page's data, then the page in headless Chromium.

Built from the test corpus tests/corpora/lausanne-2015; the browser fixtures are those of
tests/test_report.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from policykg.build.pipeline import build, write_output
from policykg.html.report import build_report
from test_report import Browser, browser, chromium, page_data  # noqa: F401 (fixtures)

CORPUS = Path(__file__).resolve().parent / "corpora" / "lausanne-2015"
D = "https://w3id.org/policykg/data/"


@dataclass(frozen=True)
class Page:
    path: Path
    data: dict[str, Any]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    folder = tmp_path_factory.mktemp("report-relations")
    graph_path = folder / "lausanne.trig"
    write_output(build([CORPUS]), graph_path)
    path = folder / "lausanne.html"
    build_report(graph_path, facts_paths=[CORPUS]).write(path)
    return Page(path, page_data(path.read_text(encoding="utf-8")))


def _fact(page: Page, iri: str) -> dict[str, Any]:
    (fact,) = [f for f in page.data["facts"] if f["iri"] == iri]
    return fact


def test_relations_are_facts_of_their_own_kind_with_their_ends(page: Page) -> None:
    relation = _fact(page, D + "relation/mee-2015/reports-and-speech-overshadow-success")
    assert relation["kind"] == "relation"
    assert relation["relationType"]["code"] == "undermines"
    assert relation["from"] == [
        D + "event/khamenei-speech",
        D + "work/iran-lausanne-summary",
        D + "work/us-lausanne-parameters",
    ]
    assert relation["to"] == D + "claim/mee-2015/framework-a-success"
    assert page.data["names"][D + "work/iran-lausanne-summary"].startswith("A Summary of")


def test_events_list_roles_apart_from_plain_actors(page: Page) -> None:
    event = _fact(page, D + "event/lausanne-press-conference")
    assert event["actors"] == []
    assert [(r["actor"], r["role"]["code"], r["document"]) for r in event["roles"]] == [
        (D + "actor/mogherini", "reader", D + "document/mee-2015"),
        (D + "actor/zarif", "reader", D + "document/mee-2015"),
    ]


def test_an_actor_carries_its_roles_in_events_and_groups(page: Page) -> None:
    (zarif,) = [a for a in page.data["actors"] if a["iri"] == D + "actor/zarif"]
    assert sorted((r["in"], r["role"]["code"]) for r in zarif["roles"]) == [
        (D + "actor/iranian-negotiating-team", "leader"),
        (D + "event/lausanne-press-conference", "reader"),
        (D + "event/zarif-tweet", "announcer"),
    ]


def test_the_page_shows_a_relation_and_an_actor_s_roles(
    page: Page,
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    browser.open(page.path)
    browser.page.click('.fact-row[data-fact$="/speech-punctured-hopes"]')
    detail = browser.page.locator("#detail").inner_text()
    assert "undermines" in detail
    assert "Khamenei's speech of 9 April 2015" in detail
    assert "A resolution to the long impasse was finally within reach." in detail
    browser.page.click('.fact-row[data-fact$="/resolution-within-reach"]')
    assert "Linked by" in browser.page.locator("#detail").inner_text()
    browser.page.click('#actor-list [data-actor$="/zarif"]')
    detail = browser.page.locator("#detail").inner_text()
    assert "Roles" in detail and "leader" in detail and "announcer" in detail
    assert "according to Why didn't Ayatollah Khamenei support" in detail
    assert browser.problems() == []
