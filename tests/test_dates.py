import datetime as dt

import pytest

from policykg.facts.dates import PreciseDate, Precision, parse_date


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2016-06-03", Precision.DAY, "2016-06-03T00:00:00", "2016-06-03T23:59:59"),
        ("2015-04", Precision.MONTH, "2015-04-01T00:00:00", "2015-04-30T23:59:59"),
        ("2016-02", Precision.MONTH, "2016-02-01T00:00:00", "2016-02-29T23:59:59"),
        ("1989", Precision.YEAR, "1989-01-01T00:00:00", "1989-12-31T23:59:59"),
    ],
)
def test_precision_and_bounds(text: str, precision: Precision, earliest: str, latest: str) -> None:
    date = parse_date(text)
    assert date.precision is precision
    assert date.lexical == text
    assert date.earliest().isoformat() == earliest
    assert date.latest().isoformat() == latest


def test_a_year_written_as_a_number_is_a_year() -> None:
    assert parse_date(1989) == PreciseDate(1989)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2016-02-30", "February 2016 has 29 days"),
        ("2015-02-29", "February 2015 has 28 days"),
        ("2016-13", "month must be 01 to 12"),
        ("2016-00-10", "month must be 01 to 12"),
        ("0000", "no year 0"),
        ("June 2016", "write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2016-6-3", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_impossible_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_weekday_only_for_days() -> None:
    assert parse_date("2016-06-03").weekday_name() == "Friday"
    assert parse_date("2016-06-07").weekday_name() == "Tuesday"
    assert parse_date("2016-06").weekday_name() is None


def test_weekday_agrees_with_the_calendar_over_many_days() -> None:
    day = dt.date(1899, 12, 25)
    for _ in range(3000):
        day += dt.timedelta(days=47)
        assert parse_date(day.isoformat()).weekday_name() == day.strftime("%A")
