"""Dates with honest precision: a year, a month or a day, never more precise than the text."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from enum import Enum

_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Precision(Enum):
    """How much of a date the source gives."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True)
class PreciseDate:
    """A calendar date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def lexical(self) -> str:
        """The XSD lexical form: ``2016``, ``2016-06`` or ``2016-06-03``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def earliest(self) -> dt.datetime:
        """The first second the date can mean (no time zone: a local calendar date)."""
        return self._bounds[0]

    def latest(self) -> dt.datetime:
        """The last whole second the date can mean."""
        return self._bounds[1]

    @functools.cached_property
    def _bounds(self) -> tuple[dt.datetime, dt.datetime]:
        # Kept: the build asks a date for its bounds several times (ordering, then the RDF).
        return (
            dt.datetime.combine(self.first_day(), dt.time(0, 0, 0)),
            dt.datetime.combine(self.last_day(), dt.time(23, 59, 59)),
        )

    def weekday_name(self) -> str | None:
        """The English weekday of a day-precision date, else ``None``."""
        if self.day is None:
            return None
        return WEEKDAYS[self.first_day().weekday()]

    def __str__(self) -> str:
        return self.lexical


def parse_date(value: str | int) -> PreciseDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` saying what is wrong.

    >>> parse_date("2015-04").precision
    <Precision.MONTH: 'month'>
    >>> parse_date("2016-02-30")
    Traceback (most recent call last):
    ...
    ValueError: 2016-02-30 is not a date: February 2016 has 29 days
    """
    text = f"{value:04d}" if isinstance(value, int) else value.strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if year == 0:
        raise ValueError(f"{text} is not a date: there is no year 0")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text} is not a date: the month must be 01 to 12")
    if day is not None:
        assert month is not None
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            name = calendar.month_name[month]
            raise ValueError(f"{text} is not a date: {name} {year} has {days} days")
    return PreciseDate(year, month, day)


Bounds = tuple[dt.datetime | None, dt.datetime | None]
"""The first and the last moment a time can be (inclusive; ``None``: not known)."""

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A signed ISO 8601 duration in whole units, as ``xsd:duration`` writes it (``-P7D``)."""

    lexical: str
    sign: int
    months: int
    """Years and months, as months: their length in days depends on where they are counted from."""
    delta: dt.timedelta
    """Days, hours, minutes and seconds."""

    @property
    def has_months(self) -> bool:
        return self.months != 0

    @property
    def is_zero(self) -> bool:
        return self.months == 0 and not self.delta

    def shift(self, moment: dt.datetime, direction: int = 1) -> dt.datetime:
        """*moment* moved by the duration (by its opposite when *direction* is -1).

        Months are added first, the day kept or cut to the end of a shorter month (31 January
        plus P1M is 28 or 29 February), then days and the time, as XML Schema adds a duration to
        a dateTime. Raises ``OverflowError`` when the result leaves years 1 to 9999.
        """
        sign = self.sign * direction
        if self.months:
            index = moment.year * 12 + moment.month - 1 + sign * self.months
            year, month = divmod(index, 12)
            if not 1 <= year <= 9999:
                raise OverflowError("the date leaves years 1 to 9999")
            day = min(moment.day, calendar.monthrange(year, month + 1)[1])
            moment = moment.replace(year=year, month=month + 1, day=day)
        return moment + sign * self.delta

    def __str__(self) -> str:
        return self.lexical


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration of whole units (``P7D``, ``-P1Y2M``, ``PT10M``).

    >>> parse_duration("-P7D").shift(dt.datetime(2015, 4, 9))
    datetime.datetime(2015, 4, 2, 0, 0)

    Raises ``ValueError`` for anything else: weeks (``P1W``), fractions (``P1.5D``), ``P`` alone.
    """
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration: write it as ISO 8601 does, P1Y2M10D or PT10M (a minus"
            " sign before it for 'before'), in whole years, months, days, hours, minutes or"
            " seconds"
        )
    part = {name: int(value or 0) for name, value in match.groupdict().items() if name != "sign"}
    delta = dt.timedelta(
        days=part["days"], hours=part["hours"], minutes=part["minutes"], seconds=part["seconds"]
    )
    return Duration(
        lexical=text.strip(),
        sign=-1 if match["sign"] else 1,
        months=part["years"] * 12 + part["months"],
        delta=delta,
    )


def date_of_bounds(earliest: dt.datetime | None, latest: dt.datetime | None) -> PreciseDate | None:
    """The day, month or year that runs exactly from *earliest* to *latest*, if there is one.

    >>> date_of_bounds(dt.datetime(2015, 4, 1), dt.datetime(2015, 4, 30, 23, 59, 59))
    PreciseDate(year=2015, month=4, day=None)
    """
    if earliest is None or latest is None or earliest.time() != dt.time(0, 0, 0):
        return None
    if latest.time() != dt.time(23, 59, 59):
        return None
    first, last = earliest.date(), latest.date()
    candidates = (
        PreciseDate(first.year, first.month, first.day),
        PreciseDate(first.year, first.month),
        PreciseDate(first.year),
    )
    for candidate in candidates:
        if candidate.first_day() == first and candidate.last_day() == last:
            return candidate
    return None


def narrow_to_weekday(bounds: Bounds, weekday: str) -> Bounds | None:
    """*bounds* cut to the first and the last day in them that is a *weekday*; ``None`` if no
    day is (both bounds must be known).

    >>> narrow_to_weekday((dt.datetime(2015, 4, 10), dt.datetime(2015, 4, 15, 23, 59, 59)),
    ...                   "Thursday") is None
    True
    """
    earliest, latest = bounds
    assert earliest is not None and latest is not None
    wanted = WEEKDAYS.index(weekday)
    first = earliest.date() + dt.timedelta(days=(wanted - earliest.weekday()) % 7)
    last = latest.date() - dt.timedelta(days=(latest.weekday() - wanted) % 7)
    if first > last:
        return None
    # The first day keeps the earliest moment when it is that day; otherwise the day starts it.
    start = earliest if first == earliest.date() else dt.datetime.combine(first, dt.time(0, 0))
    end = latest if last == latest.date() else dt.datetime.combine(last, dt.time(23, 59, 59))
    return start, end
