"""Bounds tightened by order (facts.timeline), and relative dates worked out by the loader
(facts.date_specs)."""

from __future__ import annotations

import datetime as dt
import doctest
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, edit
from policykg.errors import FactsError
from policykg.facts import dates, timeline
from policykg.facts.dates import Bounds, parse_duration
from policykg.facts.loader import load_facts
from policykg.facts.model import Event
from policykg.facts.timeline import Constraint, Relation, event_bounds, propagate

DATES = ROOT / "tests" / "data" / "dates"


def day(text: str) -> Bounds:
    first = dt.datetime.fromisoformat(text)
    return first, first + dt.timedelta(hours=23, minutes=59, seconds=59)


def span(first: str, last: str) -> Bounds:
    return dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last)


def test_the_docstring_examples_run() -> None:
    for module in (dates, timeline):
        assert doctest.testmod(module).failed == 0


def test_before_tightens_both_sides() -> None:
    bounds = {"a": span("2015-01-01", "2015-12-31T23:59:59"), "b": day("2015-04-02")}
    result = propagate(bounds, [Constraint(Relation.BEFORE, "a", "b")])
    assert result.bounds["a"] == span("2015-01-01", "2015-04-02T23:59:59")
    assert result.bounds["b"] == day("2015-04-02")
    result = propagate(bounds, [Constraint(Relation.BEFORE, "b", "a")])
    assert result.bounds["a"] == span("2015-04-02", "2015-12-31T23:59:59")
    assert result.contradictions == ()


def test_a_part_lies_within_its_whole_and_a_point_shares_its_parts_bounds() -> None:
    bounds = {"part": span("2015-01-01", "2015-12-31T23:59:59"), "whole": day("2015-07-14")}
    within = [Constraint(Relation.WITHIN, "part", "whole")]
    assert propagate(bounds, within).bounds["part"] == day("2015-07-14")
    bounds = {"part": day("2015-07-14"), "whole": span("2015-01-01", "2015-12-31T23:59:59")}
    assert propagate(bounds, within).bounds["whole"] == bounds["whole"]  # a span may be longer
    assert propagate(bounds, within, points={"whole"}).bounds["whole"] == day("2015-07-14")


def test_an_offset_counts_forward_and_a_point_anchor_back() -> None:
    bounds = {"speech": (None, None), "framework": day("2015-04-02")}
    week = Constraint(Relation.OFFSET, "speech", "framework", parse_duration("P7D"))
    assert propagate(bounds, [week]).bounds["speech"] == day("2015-04-09")
    bounds = {"speech": day("2015-04-09"), "framework": span("2015-04-01", "2015-04-30T23:59:59")}
    assert propagate(bounds, [week]).bounds["framework"] == bounds["framework"]
    assert propagate(bounds, [week], points={"framework"}).bounds["framework"] == day("2015-04-02")


def test_a_tolerance_widens_an_offset_both_ways() -> None:
    bounds = {"conference": (None, None), "framework": day("2015-04-02")}
    minutes = Constraint(
        Relation.OFFSET, "conference", "framework", parse_duration("PT10M"), parse_duration("PT10M")
    )
    assert propagate(bounds, [minutes]).bounds["conference"] == span(
        "2015-04-02T00:00:00", "2015-04-03T00:19:59"
    )


def test_months_are_not_counted_back() -> None:
    """31 March + P1M is 30 April; 30 April - P1M is 30 March: counting back is not exact."""
    bounds = {"later": day("2015-04-30"), "anchor": span("2015-03-01", "2015-03-31T23:59:59")}
    month = Constraint(Relation.OFFSET, "later", "anchor", parse_duration("P1M"))
    assert propagate(bounds, [month], points={"anchor"}).bounds["anchor"] == bounds["anchor"]


def test_an_interval_starts_with_its_beginning_and_ends_with_its_end() -> None:
    bounds = {"talks": (None, None), "talks/begin": day("2013-09-26"), "talks/end": (None, None)}
    constraints = [
        Constraint(Relation.STARTS, "talks/begin", "talks"),
        Constraint(Relation.ENDS, "talks/end", "talks"),
        Constraint(Relation.BEFORE, "talks/end", "signing"),
    ]
    bounds["signing"] = day("2015-07-14")
    result = propagate(bounds, constraints).bounds
    assert result["talks"] == span("2013-09-26", "2015-07-14T23:59:59")
    assert result["talks/end"] == span("2013-09-26", "2015-07-14T23:59:59")


def test_a_contradiction_leaves_its_group_as_it_was_and_other_groups_tightened() -> None:
    bounds = {
        "remark": span("2015-03-01", "2015-03-31T23:59:59"),
        "framework": day("2015-04-02"),
        "signing": span("2015-01-01", "2015-12-31T23:59:59"),
        "speech": day("2015-04-09"),
    }
    constraints = [
        Constraint(Relation.BEFORE, "framework", "remark"),
        Constraint(Relation.BEFORE, "speech", "signing"),
    ]
    result = propagate(bounds, constraints)
    assert result.contradictions == (("framework", "remark"),)
    assert result.bounds["remark"] == bounds["remark"]
    assert result.bounds["signing"][0] == dt.datetime(2015, 4, 9)


def test_offsets_pushing_each_other_round_a_circle_do_not_settle() -> None:
    week = parse_duration("P7D")
    constraints = [
        Constraint(Relation.OFFSET, "a", "b", week),
        Constraint(Relation.OFFSET, "b", "a", week),
    ]
    result = propagate({"a": (dt.datetime(2015, 1, 1), None)}, constraints, points={"a", "b"})
    assert result.contradictions == (("a", "b"),)
    assert result.bounds == {"a": (dt.datetime(2015, 1, 1), None)}


def test_propagation_is_deterministic_whatever_the_order_of_the_constraints() -> None:
    bounds = {"a": span("2015-01-01", "2015-12-31T23:59:59"), "b": day("2015-04-02")}
    constraints = [
        Constraint(Relation.BEFORE, "b", "a"),
        Constraint(Relation.WITHIN, "c", "a"),
        Constraint(Relation.BEFORE, "c", "d"),
    ]
    bounds["d"] = day("2015-06-30")
    forward = propagate(bounds, constraints).bounds
    assert forward == propagate(bounds, constraints[::-1]).bounds
    assert forward["c"] == span("2015-04-02", "2015-06-30T23:59:59")


# -- one article ------------------------------------------------------------------------------


@pytest.fixture
def dates_copy(tmp_path: Path) -> Path:
    target = tmp_path / "dates"
    shutil.copytree(DATES, target, ignore=shutil.ignore_patterns("queries"))
    return target


def test_the_loader_counts_offsets_from_events_and_from_the_publication() -> None:
    facts = load_facts(DATES / "facts.yaml")
    events = {event.id: event for event in facts.events}
    speech = events["khamenei-speech"].date
    assert speech is not None and speech.date is not None and speech.date.lexical == "2015-04-09"
    meeting = events["vienna-meeting"].date
    assert meeting is not None and meeting.date is not None and meeting.date.lexical == "2015-07-19"
    conference = events["press-conference"].date
    assert conference is not None and conference.date is None
    assert conference.bounds == span("2015-04-02T00:00:00", "2015-04-03T00:19:59")


def test_an_offset_from_an_offset_is_counted_in_turn(dates_copy: Path) -> None:
    edit(
        dates_copy / "facts.yaml",
        "offset: {from: lausanne-framework, by: PT10M, tolerance: PT10M}",
        "offset: {from: khamenei-speech, by: -P7D}",
    )
    conference = load_facts(dates_copy / "facts.yaml").items_by_id["press-conference"]
    assert isinstance(conference, Event) and conference.date is not None
    assert conference.date.date is not None and conference.date.date.lexical == "2015-04-02"


def test_offsets_counted_from_each_other_are_refused_at_their_line(dates_copy: Path) -> None:
    edit(
        dates_copy / "facts.yaml",
        "offset: {from: lausanne-framework, by: P7D}",
        "offset: {from: press-conference, by: P7D}",
    )
    edit(
        dates_copy / "facts.yaml",
        "offset: {from: lausanne-framework, by: PT10M, tolerance: PT10M}",
        "offset: {from: khamenei-speech, by: -P7D}",
    )
    with pytest.raises(FactsError, match="in a circle") as error:
        load_facts(dates_copy / "facts.yaml")
    assert error.value.location.line is not None


def test_a_weekday_is_checked_against_the_day_an_offset_gives(dates_copy: Path) -> None:
    edit(dates_copy / "facts.yaml", "weekday: Thursday\n      basis: derived", "weekday: Friday")
    with pytest.raises(FactsError, match="no Friday falls between 2015-04-09 and 2015-04-09"):
        load_facts(dates_copy / "facts.yaml")


def test_an_interval_that_an_offset_makes_end_before_it_begins_is_refused(
    dates_copy: Path,
) -> None:
    edit(dates_copy / "facts.yaml", 'to: "2015-06-30"', "to: {offset: {from: published, by: -P1Y}}")
    edit(dates_copy / "facts.yaml", "from: {after: khamenei-speech}", 'from: "2015-04"')
    with pytest.raises(FactsError, match=r"'to' \(2014-07-20\) is before 'from' \(2015-04\)"):
        load_facts(dates_copy / "facts.yaml")


def test_published_cannot_also_be_an_id(dates_copy: Path) -> None:
    edit(dates_copy / "facts.yaml", "  vienna-meeting:\n", "  published:\n")
    with pytest.raises(FactsError, match="'published' is both the publication date and an id"):
        load_facts(dates_copy / "facts.yaml")


def test_an_anchor_must_be_an_event(dates_copy: Path) -> None:
    edit(dates_copy / "facts.yaml", '{after: lausanne-framework, within: "2015"}', "{after: iran}")
    with pytest.raises(FactsError, match="'date' must name an event, but 'iran' is an actor"):
        load_facts(dates_copy / "facts.yaml")


def test_a_statement_at_an_event_narrows_a_month_to_its_day() -> None:
    bounds = event_bounds(load_facts(DATES / "facts.yaml"))
    assert bounds["zarif-tweet"] == day("2015-04-02")
    assert bounds["sanctions-debate"][1] == dt.datetime(2015, 7, 20, 23, 59, 59)  # publication
    assert bounds["talks-resumption"] == (dt.datetime(2015, 5, 1), None)


def test_a_single_date_needs_no_work(tmp_path: Path) -> None:
    """The common path: a file without ranges or relative dates comes back as loaded."""
    facts = load_facts(ROOT / "tests" / "data" / "minimal" / "facts.yaml")
    speech = facts.items_by_id["speech"]
    assert isinstance(speech, Event) and speech.date is not None
    assert speech.date.is_single and speech.date.bounds is None
