import datetime as dt

import pytest

from policykg.facts.dates import (
    WEEKDAYS,
    PreciseDate,
    Precision,
    date_of_bounds,
    narrow_to_weekday,
    parse_date,
    parse_duration,
)


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


# -- durations, ranges and weekdays ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment", "shifted"),
    [
        ("-P7D", "2015-04-09T00:00:00", "2015-04-02T00:00:00"),
        ("PT10M", "2015-04-02T23:59:59", "2015-04-03T00:09:59"),
        ("P1M", "2016-01-31T00:00:00", "2016-02-29T00:00:00"),  # cut to the shorter month
        ("-P1Y", "2016-02-29T12:00:00", "2015-02-28T12:00:00"),
        ("P1Y2M10DT2H", "2015-12-25T00:00:00", "2017-03-07T02:00:00"),
        ("P0D", "2015-04-09T00:00:00", "2015-04-09T00:00:00"),
    ],
)
def test_a_duration_shifts_a_moment_as_xml_schema_adds_one(
    text: str, moment: str, shifted: str
) -> None:
    duration = parse_duration(text)
    assert duration.lexical == text
    start = dt.datetime.fromisoformat(moment)
    assert duration.shift(start).isoformat() == shifted
    if not duration.has_months:
        assert duration.shift(duration.shift(start), -1) == start


@pytest.mark.parametrize("text", ["P", "PT", "P1W", "7D", "P1.5D", "-PT", "P1DT", "+P1D", ""])
def test_what_is_not_a_whole_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_a_shift_beyond_the_calendar_overflows() -> None:
    with pytest.raises(OverflowError):
        parse_duration("P1Y").shift(dt.datetime(9999, 6, 1))


def _bounds(first: str, last: str) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last)


@pytest.mark.parametrize(
    ("first", "last", "date"),
    [
        ("2015-04-09T00:00:00", "2015-04-09T23:59:59", "2015-04-09"),
        ("2015-04-01T00:00:00", "2015-04-30T23:59:59", "2015-04"),
        ("2016-02-01T00:00:00", "2016-02-29T23:59:59", "2016-02"),
        ("2015-01-01T00:00:00", "2015-12-31T23:59:59", "2015"),
        ("2015-04-09T00:00:00", "2015-04-30T23:59:59", None),
        ("2015-04-01T00:00:00", "2015-04-29T23:59:59", None),
        ("2015-04-09T00:10:00", "2015-04-09T23:59:59", None),
        ("2015-04-09T00:00:00", "2015-04-10T00:09:59", None),
    ],
)
def test_bounds_that_are_one_day_month_or_year_are_that_date(
    first: str, last: str, date: str | None
) -> None:
    found = date_of_bounds(*_bounds(first, last))
    assert (found.lexical if found else None) == date


def test_a_weekday_narrows_a_range_to_its_first_and_last_such_day() -> None:
    bounds = _bounds("2015-04-01T00:00:00", "2015-04-30T23:59:59")
    narrowed = narrow_to_weekday(bounds, "Thursday")
    assert narrowed == _bounds("2015-04-02T00:00:00", "2015-04-30T23:59:59")
    assert narrow_to_weekday(bounds, "Friday") == _bounds(
        "2015-04-03T00:00:00", "2015-04-24T23:59:59"
    )
    assert (
        narrow_to_weekday(_bounds("2015-04-10T00:00:00", "2015-04-15T23:59:59"), "Thursday") is None
    )


def test_weekday_narrowing_agrees_with_the_calendar_day_by_day() -> None:
    start = dt.datetime(2015, 12, 20)
    for length in range(9):
        end = start + dt.timedelta(days=length, hours=23, minutes=59, seconds=59)
        days = [start.date() + dt.timedelta(days=n) for n in range(length + 1)]
        for weekday in WEEKDAYS:
            matching = [day for day in days if WEEKDAYS[day.weekday()] == weekday]
            narrowed = narrow_to_weekday((start, end), weekday)
            if not matching:
                assert narrowed is None
            else:
                assert narrowed is not None
                assert (narrowed[0].date(), narrowed[1].date()) == (matching[0], matching[-1])
