"""Dates with honest precision: a year, a month or a day, never more precise than the text."""

from __future__ import annotations

import calendar
import datetime as dt
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
        return dt.datetime.combine(self.first_day(), dt.time(0, 0, 0))

    def latest(self) -> dt.datetime:
        """The last whole second the date can mean."""
        return dt.datetime.combine(self.last_day(), dt.time(23, 59, 59))

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
