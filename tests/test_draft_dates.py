"""The date finder of ``policykg draft``: every date expression of an article, resolved against the
publication date at the text's precision, measured against the dates curated in the examples."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from policykg.build.pipeline import load_all
from policykg.draft.dates import DateMention, find_dates
from policykg.facts.dates import parse_date
from policykg.facts.model import FactsFile

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "src" / "policykg" / "data" / "facts.schema.json"


@dataclass(frozen=True)
class Curated:
    """A date expression of an example article and the date its facts file gives it."""

    folder: str
    words: str
    """The expression as the text writes it (any run of whitespace for a space)."""
    occurrence: int
    value: str
    """The date as the finder should propose it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    curated: str
    """Where the facts file dates it: ``document``, ``<id>.date`` or ``<id>.from-to``."""
    between: tuple[str, str] | None = None
    """For a range the facts file gives instead of one date."""


K, D, F, R, T = (
    "khamenei-2016",
    "dw-joint-statement-2015",
    "financial-tribune-fact-sheet-2015",
    "reuters-un-chief-2015",
    "tasnim-own-fact-sheet-2015",
)
SINGLE = [
    Curated(K, "7 June 2016", 0, "2016-06-07", "document"),
    Curated(K, "On Friday", 0, "2016-06-03", "speech-2016-06-03.date"),
    Curated(K, "the 27th anniversary", 0, "1989", "khomeini-death.date"),
    Curated(K, "April 2015", 0, "2015-04", "khamenei-remark-2015-04.date"),
    Curated(D, "June 30", 0, "2015-06-30", "dw-negotiations-continuation.to"),
    Curated(D, "June 30", 1, "2015-06-30", "jcpoa-deadline-2015-06-30.date"),
    Curated(D, "on Tuesday", 0, "2015-03-31", "lausanne-deadline-2015-03-31.date"),
    # The joint statement's release, from which the continued negotiations are dated.
    Curated(D, "have released", 0, "2015-04-02", "dw-negotiations-continuation.from"),
    Curated(F, "April 2", 0, "2015-04-02", "lausanne-press-conference-2015-04-02.date"),
    Curated(F, "June 30", 0, "2015-06-30", "jcpoa-deadline-2015-06-30.date"),
    Curated(R, "April 2", 0, "2015-04-02", "document"),
    Curated(R, "on Thursday", 0, "2015-04-02", "ban-deal-could-enable-cooperation.date"),
    Curated(R, "June 30", 0, "2015-06-30", "jcpoa-deadline-2015-06-30.date"),
    Curated(R, "April", 1, "2015-04", "kawar-as-unsc-president.from-to"),
    Curated(T, "on Tuesday", 0, "2015-04-07", "majlis-closed-session-2015-04-07.date"),
    Curated(T, "April 2", 0, "2015-04-02", "lausanne-framework.date"),
    Curated(T, "April 2", 1, "2015-04-02", "zarif-interview-2015-04-02.date"),
]
"""Every date expression the examples' facts files date as one day, month or year (the
dates of the ECFR article's "since January" and Tasnim's "the end of June" are not the text's: the
one is the curator's, the other not given)."""

RANGES = [
    Curated(K, "Almost a year after", 0, "2015", "jcpoa.date", ("2015-06-07", "2015-09-07")),
    Curated(K, "almost a year after", 0, "2015", "jcpoa.date", ("2015-06-07", "2015-09-07")),
    Curated(F, "late 2013", 0, "2013", "geneva-interim-accord.date", ("2013-09-01", "2013-12-31")),
    Curated(
        R, "last week", 0, "2015-03", "france-statement-2015-03.date", ("2015-03-23", "2015-03-29")
    ),
    # The day of publication is not printed (published between 5 April and 30 June 2015), so
    # "on Sunday" is one of 13 Sundays.
    Curated(
        F, "on Sunday", 0, "2015", "baeidinejad-sunday-remarks.date", ("2015-04-05", "2015-06-28")
    ),
    # "On April 2, … after more than a week of intensive negotiations": begun by 26 March.
    Curated(
        T, "more than a week", 0, "2015-03", "lausanne-talks-2015.from", ("2015-03", "2015-03-26")
    ),
]
"""The expressions the facts files date as a range."""


@cache
def _examples() -> dict[str, FactsFile]:
    return {facts.path.parent.name: facts for facts in load_all([EXAMPLES])}


PUBLISHED_FROM = {F: dt.date(2015, 4, 5)}
"""The first day an example can have appeared where its day is not printed (its ``published`` is
the last), as in benchmarks/draft_recall.py."""


@cache
def _found(folder: str) -> tuple[DateMention, ...]:
    facts = _examples()[folder]
    published = facts.document.reference_date
    day = dt.date(published.year, published.month, published.day)
    return tuple(find_dates(facts.text, day, PUBLISHED_FROM.get(folder)))


def _span(folder: str, words: str, occurrence: int) -> tuple[int, int]:
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    matches = list(re.finditer(rf"(?<!\w){pattern}(?!\w)", _examples()[folder].text))
    return matches[occurrence].span()


def _bounds(value: str) -> tuple[dt.datetime, dt.datetime]:
    date = parse_date(value)
    return date.earliest(), date.latest()


def _curated_bounds(curated: Curated) -> tuple[object, object]:
    facts = _examples()[curated.folder]
    if curated.curated == "document":
        return _bounds(str(facts.document.reference_date))
    item_id, field = curated.curated.split(".")
    readings = {reading.id: reading for reading in facts.readings}
    reading = readings.get(item_id)
    dated = reading is not None and (reading.date or reading.start or reading.end)
    item = reading if dated else facts.items_by_id[item_id]
    if field == "from-to":
        return item.start.earliest, item.end.latest  # type: ignore[union-attr]
    spec = getattr(item, {"date": "date", "from": "start", "to": "end"}[field])
    return spec.earliest, spec.latest


def _is_found(curated: Curated) -> bool:
    start, end = _span(curated.folder, curated.words, curated.occurrence)
    for mention in _found(curated.folder):
        if (mention.start, mention.end) == (start, end):
            precision = parse_date(curated.value).precision.value
            return (mention.value, mention.precision, mention.between) == (
                curated.value,
                precision,
                curated.between,
            )
    return False


@pytest.mark.parametrize("curated", SINGLE + RANGES, ids=lambda c: f"{c.folder}:{c.words}")
def test_the_table_gives_the_dates_of_the_facts_files(curated: Curated) -> None:
    if curated.between is not None:
        expected = _bounds(curated.between[0])[0], _bounds(curated.between[1])[1]
    else:
        expected = _bounds(curated.value)
    assert _curated_bounds(curated) == expected


def test_the_finder_proposes_nine_tenths_of_the_curated_dates_with_value_and_precision() -> None:
    missed = [c for c in SINGLE if not _is_found(c)]
    recall = 1 - len(missed) / len(SINGLE)
    assert recall >= 0.9, f"recall {recall:.0%}; missed {missed}"


def test_the_finder_proposes_every_curated_range() -> None:
    assert [c.words for c in RANGES if not _is_found(c)] == []


@pytest.mark.parametrize("folder", [K, D, F, R, T])
def test_every_mention_is_its_exact_span_and_a_valid_facts_date(folder: str) -> None:
    text = _examples()[folder].text
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    date_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/date"}
    for mention in _found(folder):
        assert text[mention.start : mention.end] == mention.text
        assert parse_date(mention.value).precision.value == mention.precision
        jsonschema.validate(mention.as_facts(), date_schema)


def test_the_mentions_are_deterministic() -> None:
    text = _examples()[K].text
    first = find_dates(text, dt.date(2016, 6, 7))
    find_dates(text, dt.date(2015, 1, 1))  # nothing carries over from another call
    assert find_dates(text, dt.date(2016, 6, 7)) == first


# --- each kind of expression ---------------------------------------------------------------------

TUESDAY = dt.date(2016, 6, 7)


def _one(text: str, published: dt.date = TUESDAY) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


def _seen(text: str, published: dt.date = TUESDAY) -> list[tuple[str, str, str]]:
    return [(m.text, m.value, m.precision) for m in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("signed on 2 April 2015 in", ("2 April 2015", "2015-04-02", "day")),
        ("on the 2nd of April 2015,", ("the 2nd of April 2015", "2015-04-02", "day")),
        ("on April 2, 2015, the", ("April 2, 2015", "2015-04-02", "day")),
        ("dated Sept. 12, 2014.", ("Sept. 12, 2014", "2014-09-12", "day")),
        ("dated 2015-04-02.", ("2015-04-02", "2015-04-02", "day")),
        ("a comment in April 2015 after", ("April 2015", "2015-04", "month")),
        ("in 2015 the deal", ("2015", "2015", "year")),
    ],
)
def test_an_absolute_date_is_stated_at_the_precision_written(
    text: str, expected: tuple[str, str, str]
) -> None:
    mention = _one(text)
    assert (mention.text, mention.value, mention.precision) == expected
    assert mention.basis == "stated"
    assert mention.as_facts()["value"] == expected[1]


def test_a_month_is_never_its_first_day() -> None:
    mention = _one("in April 2015")
    assert (mention.value, mention.precision) == ("2015-04", "month")
    assert mention.as_facts() == {
        "value": "2015-04",
        "basis": "stated",
        "note": "“April 2015”: written in full",
    }


def test_a_day_without_a_year_takes_the_year_of_the_nearest_such_day() -> None:
    assert _one("on June 3").value == "2016-06-03"
    assert _one("until June 30", dt.date(2015, 4, 2)).value == "2015-06-30"
    assert _one("since December 20", dt.date(2016, 1, 5)).value == "2015-12-20"
    assert _one("until January 10", dt.date(2015, 12, 20)).value == "2016-01-10"
    assert _one("on June 3").basis == "derived"


def test_a_month_without_a_year_takes_the_nearest_such_month() -> None:
    assert _seen("since January") == [("January", "2016-01", "month")]
    assert _seen("until the end of June", dt.date(2015, 4, 7)) == [
        ("the end of June", "2015-06", "month")
    ]
    assert _seen("last November") == [("last November", "2015-11", "month")]


def test_may_and_march_are_dates_only_as_names_of_months() -> None:
    assert _seen("Iran may march on. It may well.") == []
    assert _seen("in May the talks") == [("May", "2016-05", "month")]
    assert _seen("on May 5 the talks") == [("May 5", "2016-05-05", "day")]


@pytest.mark.parametrize(
    ("text", "value", "how"),
    [
        ("On Friday, Khamenei spoke", "2016-06-03", "the Friday before publication"),
        ("spoke on Tuesday", "2016-06-07", "the day of publication"),
        ("spoke last Tuesday", "2016-05-31", "a week before publication"),
        ("will meet on Thursday", "2016-06-09", "after publication"),
        ("meets next Tuesday", "2016-06-14", "after publication"),
        ("yesterday", "2016-06-06", "-1 day"),
        ("tomorrow", "2016-06-08", "+1 day"),
    ],
)
def test_a_day_relative_to_publication(text: str, value: str, how: str) -> None:
    mention = _one(text)
    assert (mention.value, mention.precision) == (value, "day")
    assert how in mention.note and mention.basis == "derived"


@pytest.mark.parametrize(
    ("text", "value", "precision", "between"),
    [
        ("last month", "2016-05", "month", None),
        ("this year", "2016", "year", None),
        ("next year", "2017", "year", None),
        ("earlier this year", "2016", "year", ("2016-01-01", "2016-06-06")),
        ("last week", "2016", "year", ("2016-05-30", "2016-06-05")),
        ("this week", "2016-06", "month", ("2016-06-06", "2016-06-12")),
        ("two years ago", "2014", "year", None),
        ("three months ago", "2016-03", "month", None),
        ("five days ago", "2016-06-02", "day", None),
        ("three weeks ago", "2016-05", "month", ("2016-05-16", "2016-05-22")),
        ("almost a year ago", "2015", "year", ("2015-06-07", "2015-09-07")),
    ],
)
def test_a_period_relative_to_publication(
    text: str, value: str, precision: str, between: tuple[str, str] | None
) -> None:
    mention = _one(text)
    assert (mention.text, mention.value, mention.precision, mention.between) == (
        text,
        value,
        precision,
        between,
    )
    expected = {"between": list(between)} if between else {"value": value}
    assert mention.as_facts().items() >= expected.items()


def test_the_tense_of_quoted_words_does_not_date_the_weekday_of_their_report() -> None:
    text = '"We will have talks next week," IRNA quoted her as saying on Wednesday.'
    wednesday = next(m for m in find_dates(text, dt.date(2014, 10, 9)) if "Wednesday" in m.text)
    assert wednesday.value == "2014-10-08" and "future" not in wednesday.note
    assert _one("She will speak on Wednesday.", dt.date(2014, 10, 9)).value == "2014-10-15"


@pytest.mark.parametrize(
    ("text", "value", "between"),
    [
        (
            "he would meet them in three to four weeks' time",
            "2014-11",
            ("2014-11-06", "2014-11-13"),
        ),
        ("in two days’ time", "2014-10-18", None),
        ("in a year's time", "2015-10-16", None),
    ],
)
def test_in_some_time_counts_ahead_from_publication(
    text: str, value: str, between: tuple[str, str] | None
) -> None:
    mention = _one(text, dt.date(2014, 10, 16))
    assert (mention.value, mention.between) == (value, between)
    assert "counted ahead from publication" in mention.note


def test_in_some_units_without_time_is_no_date() -> None:
    assert _seen("Iran built it in two years.") == []


def test_after_counts_back_from_the_present_only_with_a_present_perfect() -> None:
    assert _seen("A year after the deal, there has been little movement.") == [
        ("A year after", "2015", "year")
    ]
    assert _seen("A year after the deal, he resigned.") == []


def test_an_anniversary_is_the_year_counted_back_from_the_date_before_it() -> None:
    text = "On Friday he spoke. The speech marked the 27th anniversary of the death of Khomeini."
    mention = find_dates(text, TUESDAY)[1]
    assert (mention.text, mention.value, mention.precision) == (
        "the 27th anniversary",
        "1989",
        "year",
    )
    assert "counted from “On Friday” (2016-06-03): 2016 - 27 = 1989" in mention.note
    assert "the death of Khomeini" in mention.note
    alone = _one("It marks the twenty-seventh anniversary of the revolution.", dt.date(2006, 2, 1))
    assert alone.value == "1979" and "from publication" in alone.note


def test_a_weekday_named_with_a_date_is_checked() -> None:
    agrees = _one("on Thursday, April 2, 2015,")
    assert (agrees.text, agrees.value, agrees.weekday_ok) == (
        "Thursday, April 2, 2015",
        "2015-04-02",
        True,
    )
    wrong = _one("on Wednesday 2 April 2015")
    assert (wrong.value, wrong.weekday_ok) == ("2015-04-02", False)
    assert "does NOT agree" in wrong.note
    # Kept in the facts, so that loading them refuses the date until the analyst corrects it.
    assert wrong.as_facts()["weekday"] == "Wednesday"
    assert _one("in April 2015").weekday_ok is None


def test_a_part_of_a_year_or_month_is_a_range_within_it() -> None:
    late = _one("signed in late 2013")
    assert (late.value, late.precision, late.between) == (
        "2013",
        "year",
        ("2013-09-01", "2013-12-31"),
    )
    assert late.as_facts()["between"] == ["2013-09-01", "2013-12-31"]
    early = _one("in early April 2015")
    assert (early.value, early.between) == ("2015-04", ("2015-04-01", "2015-04-10"))


def test_an_impossible_day_is_not_proposed_but_its_month_is() -> None:
    assert _seen("on 31 April 2015") == [("April 2015", "2015-04", "month")]


def test_one_expression_is_one_mention() -> None:
    assert _seen("first published on 7 June 2016.") == [("7 June 2016", "2016-06-07", "day")]


# --- a publication known only as a range ---------------------------------------------------------

APRIL_5, JUNE_30 = dt.date(2015, 4, 5), dt.date(2015, 6, 30)


def test_a_weekday_in_a_text_of_unknown_day_is_every_such_day_the_publication_allows() -> None:
    sunday = find_dates("Baeidinejad said on Sunday, IRNA reported.", JUNE_30, APRIL_5)[0]
    assert (sunday.text, sunday.value, sunday.precision) == ("on Sunday", "2015", "year")
    assert sunday.between == ("2015-04-05", "2015-06-28")
    assert sunday.as_facts()["weekday"] == "Sunday"
    assert "between Sunday 5 April 2015 and Tuesday 30 June 2015" in sunday.note
    # Published on a Wednesday to a Saturday: the Sunday of that week, a single day, is known.
    known = find_dates("he said on Sunday", dt.date(2015, 4, 11), dt.date(2015, 4, 8))[0]
    assert (known.value, known.between) == ("2015-04-05", None)


def test_an_absolute_date_does_not_depend_on_the_day_of_publication() -> None:
    assert _seen("signed on 2 April 2015") == [("2 April 2015", "2015-04-02", "day")]
    written = find_dates("signed on 2 April 2015", JUNE_30, APRIL_5)[0]
    assert (written.value, written.between, written.basis) == ("2015-04-02", None, "stated")


def test_a_period_in_a_text_of_unknown_day_spans_what_both_ends_give() -> None:
    yesterday = find_dates("yesterday", dt.date(2015, 4, 10), dt.date(2015, 4, 8))[0]
    assert (yesterday.value, yesterday.between) == ("2015-04", ("2015-04-07", "2015-04-09"))
    month = find_dates("last month", dt.date(2015, 6, 10), dt.date(2015, 5, 20))[0]
    assert (month.value, month.between) == ("2015", ("2015-04-01", "2015-05-31"))


# --- the start of a span measured back from a date -----------------------------------------------


def test_more_than_a_week_of_talks_ending_on_a_day_began_by_a_week_before() -> None:
    text = "On April 2, they reached a deal after more than a week of talks in Lausanne."
    start = find_dates(text, dt.date(2015, 4, 7))[1]
    assert (start.text, start.value, start.precision) == ("more than a week", "2015-03", "month")
    assert start.between == ("2015-03", "2015-03-26") and start.ends == "2015-04-02"
    assert "Thursday 26 March 2015 or earlier" in start.note
    assert start.as_facts()["between"] == ["2015-03", "2015-03-26"]


@pytest.mark.parametrize(
    ("text", "between"),
    [
        (
            "On 10 May 2015 the strike ended after over two weeks of talks.",
            ("2015-04", "2015-04-26"),
        ),
        (
            "On 10 May 2015 they signed, after more than three months of talks.",
            ("2014", "2015-02-10"),
        ),
        ("On 10 May 2015 they signed after more than two years of talks.", ("2012", "2013-05-10")),
    ],
)
def test_a_lower_bound_on_a_span_reads_as_less_than_the_next_unit(
    text: str, between: tuple[str, str]
) -> None:
    assert find_dates(text, dt.date(2015, 5, 12))[1].between == between


def test_a_span_without_a_day_in_its_sentence_is_not_dated() -> None:
    assert _seen("They agreed after more than a week of talks. On April 2 they met.") == [
        ("April 2", "2016-04-02", "day")
    ]
    assert _seen("On April 2 they met for more than a week of talks.") == [
        ("April 2", "2016-04-02", "day")
    ]


# --- the news of the day -------------------------------------------------------------------------

NEWS = "Iran talks will continue\n\n{}\n\nMore text follows. It has changed nothing."


@pytest.mark.parametrize(
    "opening",
    [
        "World powers and Iran have released a joint statement in Lausanne.",
        "The U.S. Senate has approved the bill on sanctions.",
        "Iran has been hit by new sanctions, officials said.",
    ],
)
def test_an_opening_present_perfect_is_the_news_of_the_publication_day(opening: str) -> None:
    mention = _one(NEWS.format(opening), dt.date(2015, 4, 2))
    assert (mention.value, mention.precision, mention.basis) == ("2015-04-02", "day", "derived")
    assert re.fullmatch(r"ha(s|ve) (been )?\w+", mention.text)
    assert "opening sentence" in mention.note and "or just before" in mention.note


@pytest.mark.parametrize(
    "opening",
    [
        # a subordinate clause, as analysis opens
        "Although the negotiations have taken relations to new levels, the animosity persists.",
        # the opening dates itself: that date is proposed instead
        "Iran and world powers have agreed on Thursday on a framework.",
        # the verb far from the start: not the sentence's main event
        "The long and winding series of meetings among the six powers and the Islamic Republic over"
        " its programme have ended.",
        # not a perfect
        "Iran will release its own fact sheet, an MP said.",
        # the perfect of a state, not of an act
        "Iran has been under sanctions for a decade.",
    ],
)
def test_other_openings_give_no_date_of_publication(opening: str) -> None:
    found = find_dates(NEWS.format(opening), dt.date(2015, 4, 2))
    assert [m for m in found if "opening sentence" in m.note] == []


def test_only_the_opening_sentence_gives_the_news_of_the_day() -> None:
    text = NEWS.format("A nuclear negotiator said the fact sheet is unreliable.")
    assert find_dates(text, dt.date(2015, 4, 2)) == []
    untitled = "Iran has rejected the offer. It has said so before."
    assert [m.text for m in find_dates(untitled, dt.date(2015, 4, 2))] == ["has rejected"]


# --- days counted from the day named before -----------------------------------------------------


@pytest.mark.parametrize(
    ("sequel", "value", "between"),
    [
        ("Two days later", "2025-05-14", None),
        ("A week later", "2025-05-19", None),
        ("The next day", "2025-05-13", None),
        ("The following week", "2025-05", ("2025-05-19", "2025-05-25")),
        ("In the week that followed", "2025-05", ("2025-05-13", "2025-05-19")),
    ],
)
def test_a_sequel_counts_from_the_day_named_before(
    sequel: str, value: str, between: tuple[str, str] | None
) -> None:
    text = f"The round was held on May 12, 2025. {sequel} the talks resumed."
    mention = find_dates(text, dt.date(2025, 5, 20))[1]
    assert (mention.value, mention.between) == (value, between)
    assert "counted from “May 12, 2025” (2025-05-12)" in mention.note


def test_a_sequel_without_a_day_before_it_in_its_paragraph_is_not_dated() -> None:
    assert _seen("Talks were held.\nTwo days later they ended. On May 12 they met.") == [
        ("May 12", "2016-05-12", "day")
    ]
