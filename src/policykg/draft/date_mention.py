"""A date expression of a text (:class:`DateMention`), and the day arithmetic and sentence
bounds that the date finders of :mod:`policykg.draft.dates` and :mod:`policykg.draft.date_anchors`
share."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateparser.date import DateDataParser

from policykg.draft.date_words import WEEKDAY
from policykg.facts.dates import WEEKDAYS


@dataclass(frozen=True)
class DateMention:
    """A date expression of the text and the date it resolves to."""

    start: int
    end: int
    text: str
    """The words of the article, ``article[start:end]``."""
    value: str
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: the date at the precision the text gives."""
    precision: str
    """``day``, ``month`` or ``year``."""
    weekday_ok: bool | None
    """When the text names a weekday: whether the date falls on it; ``None`` when it names none."""
    note: str
    """How the date was resolved, for the analyst to check."""
    between: tuple[str, str] | None = None
    """The first and the last day it can be, when the text narrows *value* ("last week", "late
    2013", "almost a year ago"); ``None`` when *value* is all the text says."""
    basis: str = "derived"
    """``stated`` when the text writes the date out in full, ``derived`` when it was worked out."""
    ends: str | None = None
    """When the mention dates the start of a span of time the text measures back from a date
    ("on April 2 … after more than a week of talks"): the date it ends on; else ``None``."""

    @property
    def weekday(self) -> str | None:
        """The weekday the text names, if any."""
        found = re.search(WEEKDAY, self.text)
        return found[0] if found else None

    def as_facts(self) -> dict[str, object]:
        """The date as the facts format writes it (a ``value`` or a ``between`` mapping).

        The weekday is kept even when it does not agree with the date, so that loading the
        confirmed facts refuses it until the analyst corrects one or the other.
        """
        facts: dict[str, object]
        facts = {"between": list(self.between)} if self.between else {"value": self.value}
        if self.weekday is not None:
            facts["weekday"] = self.weekday
        facts["basis"] = self.basis
        facts["note"] = self.note
        return facts


def mention_at(
    match: re.Match[str],
    value: str,
    precision: str,
    weekday_ok: bool | None,
    how: str,
    *,
    between: tuple[str, str] | None = None,
    basis: str = "derived",
) -> DateMention:
    """The mention *match* gives, its note the words quoted and *how* they were resolved."""
    note = f"“{' '.join(match[0].split())}”: {how}"
    return DateMention(
        match.start(), match.end(), match[0], value, precision, weekday_ok, note, between, basis
    )


def sentence_before(text: str, match: re.Match[str]) -> str:
    """The words of the sentence of *match* before it."""
    start = max(text.rfind(mark, 0, match.start()) for mark in ".!?\n") + 1
    return text[start : match.start()]


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The start and end of the sentence holding *offset* (split at . ! ? and line ends)."""
    start = max(text.rfind(mark, 0, offset) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, offset) for mark in ".!?\n") if i >= 0]
    return start, min(ends, default=len(text))


def sentence_after(text: str, match: re.Match[str]) -> str:
    """The words of the sentence of *match* after it."""
    ends = [i for i in (text.find(mark, match.end()) for mark in ".!?\n") if i >= 0]
    return text[match.end() : min(ends, default=len(text))]


def count_of(n: int, unit: str) -> str:
    """A count of a unit: 1 week, 3 weeks."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def long_date(day: dt.date) -> str:
    """*day* written out: Thursday 2 April 2015."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"


def truncated(day: dt.date, precision: str) -> str:
    """*day* at *precision*: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


def whole_span(value: str, precision: str) -> tuple[dt.date, dt.date]:
    """The first and the last day of the day, month or year *value*."""
    year = int(value[:4])
    if precision == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(value[5:7])
    if precision == "month":
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(value)
    return day, day


def containing(first: dt.date, last: dt.date) -> tuple[str, str]:
    """The most precise day, month or year that holds *first* to *last* (the earlier year when
    they lie in two)."""
    if first == last:
        return first.isoformat(), "day"
    if (first.year, first.month) == (last.year, last.month):
        return first.isoformat()[:7], "month"
    return str(first.year), "year"


@functools.cache
def _parser(published: dt.date | None) -> DateDataParser:
    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


def read_by_dateparser(words: str, published: dt.date | None = None) -> dt.date | None:
    """The day ``dateparser`` reads in *words* (relative to *published*), or ``None``."""
    data = _parser(published).get_date_data(words)
    return data.date_obj.date() if data.date_obj is not None else None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day *months* months before *day* (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def precision_of(value: str) -> str:
    """The precision of a date value written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return {4: "year", 7: "month"}.get(len(value), "day")
