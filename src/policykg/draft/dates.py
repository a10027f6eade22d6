"""Every date expression of an article, resolved against the publication date at its precision.

:func:`find_dates` finds absolute dates ("2 April 2015", "April 2015", "in 2015", "June 3"),
relative ones ("on Friday", "yesterday", "last month", "earlier this year", "two years ago"), a
weekday named with a date (checked against it), and those that :mod:`policykg.draft.date_anchors`
counts from other dates or reads from the shape of the text (anniversaries, the start of a span,
sequels, the news of the day); a publication known only as a range widens the relative ones to
the ranges it allows. Each becomes a :class:`DateMention`: its exact span, its value at the
precision the text gives ("April 2015" is the month ``2015-04``, never a day), and a note saying
how it was resolved, ready to be proposed as a facts-file date (:meth:`DateMention.as_facts`).

The patterns are this module's own, because a date's precision and its span must be exact;
``dateparser`` reads the quantities of "N units ago" and checks every absolute date it finds (it
drops "31 April 2015"). Its ``search_dates`` is not used: on the example articles it takes "we"
and "the 27th" for dates and puts "a year after" in the future.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator

from policykg.draft.date_anchors import anniversaries, durations, opening_perfect, sequels
from policykg.draft.date_mention import (
    DateMention,
    containing,
    count_of,
    long_date,
    mention_at,
    months_before,
    precision_of,
    read_by_dateparser,
    sentence_after,
    sentence_before,
    truncated,
    whole_span,
)
from policykg.draft.date_words import (
    MONTH,
    QUANTITY,
    WEEKDAY,
    YEAR,
    month_number,
    quantity_number,
)
from policykg.facts.dates import WEEKDAYS


def find_dates(text: str, published: dt.date, earliest: dt.date | None = None) -> list[DateMention]:
    """Every date expression of *text*, in text order, resolved against *published*.

    When the day of publication is not known, *earliest* is the first day the article can have
    appeared and *published* the last: a relative date then becomes the range of the days the two
    allow ("on Sunday" is any Sunday from the last one up to *earliest* to the last one up to
    *published*).

    >>> [(m.text, m.value) for m in find_dates("On Friday, in April 2015.", dt.date(2016, 6, 7))]
    [('On Friday', '2016-06-03'), ('April 2015', '2015-04')]
    """
    latest = _resolved(text, published)
    if earliest is None or earliest >= published:
        return latest
    first = {(m.start, m.end): m for m in _resolved(text, earliest)}
    return [_across(first.get((m.start, m.end)), m, earliest, published) for m in latest]


def _resolved(text: str, published: dt.date) -> list[DateMention]:
    found = _without_overlaps(mention for finder in _FINDERS for mention in finder(text, published))
    anchored = [
        *anniversaries(text, published, found),
        *durations(text, found),
        *sequels(text, found),
        *opening_perfect(text, published, found),
    ]
    return _without_overlaps([*found, *anchored])


def _without_overlaps(mentions: Iterator[DateMention] | list[DateMention]) -> list[DateMention]:
    """The longest of overlapping mentions (the first of equally long ones), in text order."""
    chosen: list[DateMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, m.start, m.value)):
        if all(mention.end <= other.start or other.end <= mention.start for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


# --- absolute dates ------------------------------------------------------------------------------

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NAMED_DAY = rf"(?:(?P<weekday>{WEEKDAY}),?\s+)?"
_WITH_YEAR = rf"(?:,?\s+(?P<year>{YEAR}))?"
_DAY_MONTH = re.compile(
    rf"\b{_NAMED_DAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+(?P<month>{MONTH}){_WITH_YEAR}(?![\w-])"
)
_MONTH_DAY = re.compile(rf"\b{_NAMED_DAY}(?P<month>{MONTH})\s+{_DAY}\b{_WITH_YEAR}(?![\w-])")
_ISO_DAY = re.compile(rf"\b(?P<year>{YEAR})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_PART = r"(?:(?P<part>early|mid|late)[\s-]+)?"
_MONTH_YEAR = re.compile(rf"\b{_PART}(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})\b(?!-)")
_MONTH_ALONE = re.compile(
    rf"\b(?:(?P<part>early|mid|late|last|next|this|the end of|the beginning of|the start of|"
    rf"the middle of)[\s-]+)?(?P<month>{MONTH})\b(?!\s*\d)"
)
_YEAR_ALONE = re.compile(rf"(?<![\w.,/-]){_PART}(?P<year>{YEAR})(?![\w/]|-\d|,\d)")

_MAY_AFTER = re.compile(
    r"\b(?:in|since|until|till|by|of|from|to|through|during|before|after|early|mid|late|"
    r"end of|last|next|this)\s+$",
    re.IGNORECASE,
)
""""May" is a month only after one of these: elsewhere it is the verb."""

_THIRDS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_THIRDS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def _days(text: str, published: dt.date) -> Iterator[DateMention]:
    """Days by name: "2 April 2015", "Thursday, April 2", "June 30", "2015-04-02"."""
    for pattern in (_DAY_MONTH, _MONTH_DAY, _ISO_DAY):
        for match in pattern.finditer(text):
            month = (
                int(match["month"]) if match["month"].isdigit() else month_number(match["month"])
            )
            day = int(match["day"])
            if not 1 <= month <= 12:
                continue
            if match["year"]:
                year, how, basis = int(match["year"]), "written in full", "stated"
                if read_by_dateparser(f"{day} {calendar.month_name[month]} {year}") is None:
                    continue
            else:
                nearest = _nearest_year(published, month, day)
                if nearest is None:
                    continue
                year, basis = nearest, "derived"
                how = f"the year of the nearest such day to publication on {long_date(published)}"
            date = dt.date(year, month, day)
            weekday = match.groupdict().get("weekday")
            weekday_ok = None if weekday is None else WEEKDAYS[date.weekday()] == weekday
            if weekday is not None:
                agrees = "agrees" if weekday_ok else "does NOT agree"
                how += f"; the weekday {weekday} {agrees} ({long_date(date)})"
            yield mention_at(match, date.isoformat(), "day", weekday_ok, how, basis=basis)


def _nearest_year(published: dt.date, month: int, day: int) -> int | None:
    """The year, of the publication year and the years either side, whose *month*/*day* lies
    nearest the publication date (the earlier of two as near); ``None`` if no such day exists."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            candidates.append(dt.date(year, month, day))
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - published).days), d)).year


def _months(text: str, published: dt.date) -> Iterator[DateMention]:
    """Months: "April 2015", "late March 2015", "since January", "the end of June"."""
    for match in _MONTH_YEAR.finditer(text):
        month, year = month_number(match["month"]), int(match["year"])
        if read_by_dateparser(f"{calendar.month_name[month]} {year}") is None:
            continue
        between = _month_part(year, month, match["part"])
        yield mention_at(
            match,
            f"{year}-{month:02d}",
            "month",
            None,
            "written in full",
            between=between,
            basis="stated",
        )
    for match in _MONTH_ALONE.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if match["month"] == "May" and not match["part"] and not _MAY_AFTER.search(before):
            continue
        month = month_number(match["month"])
        year, how = _year_of_month(published, month, match["part"])
        between = _month_part(year, month, match["part"])
        yield mention_at(match, f"{year}-{month:02d}", "month", None, how, between=between)


def _month_part(year: int, month: int, part: str | None) -> tuple[str, str] | None:
    if part not in _THIRDS:
        return None
    first, last = _THIRDS[part]
    last = min(last, calendar.monthrange(year, month)[1])
    return dt.date(year, month, first).isoformat(), dt.date(year, month, last).isoformat()


def _year_of_month(published: dt.date, month: int, part: str | None) -> tuple[int, str]:
    index = published.year * 12 + published.month - 1
    name = calendar.month_name[month]
    if part == "last":
        year = published.year if month < published.month else published.year - 1
        return year, f"the last {name} before publication on {long_date(published)}"
    if part == "next":
        year = published.year if month > published.month else published.year + 1
        return year, f"the next {name} after publication on {long_date(published)}"
    candidates = (year * 12 + month - 1 for year in range(published.year - 1, published.year + 2))
    nearest = min(candidates, key=lambda c: (abs(c - index), c))
    return nearest // 12, f"the nearest {name} to publication on {long_date(published)}"


def _years(text: str, published: dt.date) -> Iterator[DateMention]:
    """Years: "in 2015", "late 2013" (its last third, a reading to check)."""
    del published
    for match in _YEAR_ALONE.finditer(text):
        year = int(match["year"])
        between = None
        how = "written in full"
        if match["part"]:
            first, last = _YEAR_THIRDS[match["part"]]
            end = dt.date(year, last, calendar.monthrange(year, last)[1])
            between = (dt.date(year, first, 1).isoformat(), end.isoformat())
            how += f"; “{match['part']}” read as a third of the year ({first} to {last})"
        yield mention_at(match, str(year), "year", None, how, between=between, basis="stated")


# --- days relative to publication ----------------------------------------------------------------

_WEEKDAY_ALONE = re.compile(
    rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?"
    rf"(?P<weekday>{WEEKDAY})\b(?!s\b|,?\s+(?:the\s+)?\d)"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|scheduled|expected to|is set to|are set to)\b"
)
_QUOTED = re.compile(r"[“\"][^“”\"]*[”\"]")
_DAY_WORDS = re.compile(
    r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Ll]ast night|[Tt]onight|"
    r"[Tt]his (?:morning|afternoon|evening))\b"
)
_DAY_WORD_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "last night": -1, "tonight": 0}


def _weekdays(text: str, published: dt.date) -> Iterator[DateMention]:
    """A weekday alone: "on Friday" is the last Friday up to publication (the day itself when
    published on a Friday), "last Friday" the one before it, "next Friday" or a future tense
    ("will meet on Friday") the first after."""
    for match in _WEEKDAY_ALONE.finditer(text):
        name, rel = match["weekday"], (match["rel"] or "").lower()
        wanted = WEEKDAYS.index(name)
        back = (published.weekday() - wanted) % 7
        ahead = (wanted - published.weekday()) % 7
        before = _QUOTED.sub(" ", sentence_before(text, match))  # not the quoted words' tense
        future = rel == "next" or (rel != "last" and _FUTURE.search(before))
        if future:
            date = published + dt.timedelta(days=ahead or 7 if rel == "next" else ahead)
            how = f"the {name} after publication on {long_date(published)}"
            if rel != "next":
                how += " (future tense)"
        elif rel == "last" and back == 0:
            date = published - dt.timedelta(days=7)
            how = f"the {name} a week before publication on {long_date(published)}"
        elif back == 0:
            date = published
            how = f"the day of publication, {long_date(published)}"
        else:
            date = published - dt.timedelta(days=back)
            how = f"the {name} before publication on {long_date(published)}"
        yield mention_at(match, date.isoformat(), "day", True, how)


def _day_words(text: str, published: dt.date) -> Iterator[DateMention]:
    """Days named by word: "yesterday", "today", "tomorrow", "last night", "this morning"."""
    for match in _DAY_WORDS.finditer(text):
        word = match["word"].lower()
        shift = _DAY_WORD_OFFSETS.get(word, 0)
        date = published + dt.timedelta(days=shift)
        how = (
            f"{shift:+d} day from publication on {long_date(published)}"
            if shift
            else (f"the day of publication, {long_date(published)}")
        )
        yield mention_at(match, date.isoformat(), "day", None, how)


# --- weeks, months and years relative to publication ---------------------------------------------

_PERIOD = re.compile(
    r"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arlier this|[Ll]ater this)"
    r"\s+(?P<unit>week|month|year)\b"
)


def _periods(text: str, published: dt.date) -> Iterator[DateMention]:
    """Periods: "last week" (Monday to Sunday), "this month", "next year", "earlier this year"."""
    for match in _PERIOD.finditer(text):
        rel, unit = match["rel"].lower(), match["unit"]
        first, last = _period_bounds(published, unit, rel)
        if last < first:
            continue  # "earlier this week" on a Monday
        value, precision = containing(first, last)
        whole = whole_span(value, precision) == (first, last)
        between = None if whole else (first.isoformat(), last.isoformat())
        how = f"counted from publication on {long_date(published)}"
        if unit == "week":
            how += " (a week is Monday to Sunday)"
        yield mention_at(match, value, precision, None, how, between=between)


def _period_bounds(published: dt.date, unit: str, rel: str) -> tuple[dt.date, dt.date]:
    step = {"last": -1, "next": 1}.get(rel, 0)
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        first, last = monday, monday + dt.timedelta(days=6)
    elif unit == "month":
        index = published.year * 12 + published.month - 1 + step
        year, month = divmod(index, 12)
        first = dt.date(year, month + 1, 1)
        last = dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    else:
        first, last = dt.date(published.year + step, 1, 1), dt.date(published.year + step, 12, 31)
    if rel == "earlier this":
        last = published - dt.timedelta(days=1)
    elif rel == "later this":
        first = published + dt.timedelta(days=1)
    return first, last


_AGO = re.compile(
    rf"\b(?:(?P<hedge>[Aa]lmost|[Nn]early|[Aa]bout|[Aa]round|[Rr]oughly|[Ss]ome)\s+)?"
    rf"(?P<n>(?i:{QUANTITY}))\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|after)\b"
)
_NOW_AFTER = re.compile(r"\b(?:has|have)\s+(?:been|\w+ed)\b")
"""After "a year after …", a present perfect ("there has been") counts from the present."""


def _ago(text: str, published: dt.date) -> Iterator[DateMention]:
    """Counted back: "two years ago"; "almost a year after <event>, there has been …" (the
    event almost a year before publication); a hedge ("almost", "about") widens it to a range."""
    for match in _AGO.finditer(text):
        if match["dir"] == "after" and not _NOW_AFTER.search(sentence_after(text, match)):
            continue
        n, unit = quantity_number(match["n"]), match["unit"]
        base = read_by_dateparser(f"{n} {unit}s ago", published)
        if base is None:
            continue
        hedge = (match["hedge"] or "").lower()
        how = f"{count_of(n, unit)} before publication on {long_date(published)}"
        if match["dir"] == "after":
            how += " (“after”, with a present perfect: counted back from the present)"
        if hedge:
            first, last = _hedged(published, n, unit, hedge)
            how += f"; “{hedge}” read as {first.isoformat()} to {last.isoformat()}"
        elif unit == "week":
            first = base - dt.timedelta(days=base.weekday())
            first, last = first, first + dt.timedelta(days=6)
        else:
            value = truncated(base, "day" if unit == "day" else unit)
            yield mention_at(match, value, "day" if unit == "day" else unit, None, how)
            continue
        value, precision = containing(first, last)
        yield mention_at(
            match, value, precision, None, how, between=(first.isoformat(), last.isoformat())
        )


def _hedged(published: dt.date, n: int, unit: str, hedge: str) -> tuple[dt.date, dt.date]:
    """The range of a hedged count: "almost N units ago" runs from N units to three quarters of
    them before publication; "about" and the rest from five quarters to three quarters."""
    earliest_share = 1.0 if hedge in ("almost", "nearly") else 1.25
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1)
        return (
            published - dt.timedelta(days=round(days * earliest_share)),
            published - dt.timedelta(days=round(days * 0.75)),
        )
    months = n * (12 if unit == "year" else 1)
    return (
        months_before(published, round(months * earliest_share)),
        months_before(published, round(months * 0.75)),
    )


# --- a publication known only as a range ---------------------------------------------------------


def _across(
    early: DateMention | None, late: DateMention, earliest: dt.date, published: dt.date
) -> DateMention:
    """*late* (resolved against *published*) widened to what *early* (the same words resolved
    against *earliest*) allows, when the two differ."""
    if early is None or (early.value, early.between) == (late.value, late.between):
        return late
    first = min(_first_and_last(early)[0], _first_and_last(late)[0])
    last = max(_first_and_last(early)[1], _first_and_last(late)[1])
    value, precision = containing(first, last)
    whole = whole_span(value, precision) == (first, last)
    note = (
        f"{late.note}; the day of publication is not known, only that it lies between "
        f"{long_date(earliest)} and {long_date(published)}: so from {long_date(first)} to "
        f"{long_date(last)}"
    )
    return DateMention(
        late.start,
        late.end,
        late.text,
        value,
        precision,
        late.weekday_ok,
        note,
        None if whole else (first.isoformat(), last.isoformat()),
        late.basis,
        late.ends,
    )


def _first_and_last(mention: DateMention) -> tuple[dt.date, dt.date]:
    if mention.between is None:
        return whole_span(mention.value, mention.precision)
    first, last = mention.between
    return whole_span(first, precision_of(first))[0], whole_span(last, precision_of(last))[1]


_IN_TIME = re.compile(
    rf"\bin\s+(?P<n>(?i:{QUANTITY}))(?:\s+(?:to|or)\s+(?P<n2>(?i:{QUANTITY})))?\s+"
    r"(?P<unit>day|week|month|year)s?(?:['\u2019]s?)?\s+time\b"
)


def _in_time(text: str, published: dt.date) -> Iterator[DateMention]:
    """Counted ahead: "in three to four weeks' time" (a range from publication on)."""
    for match in _IN_TIME.finditer(text):
        unit = match["unit"]
        n = quantity_number(match["n"])
        n2 = quantity_number(match["n2"]) if match["n2"] else n
        first, last = (_counted_ahead(published, count, unit) for count in (min(n, n2), max(n, n2)))
        how = f"counted ahead from publication on {long_date(published)}"
        if first == last:
            yield mention_at(match, first.isoformat(), "day", None, how)
            continue
        value, precision = containing(first, last)
        between = (first.isoformat(), last.isoformat())
        yield mention_at(match, value, precision, None, how, between=between)


def _counted_ahead(day: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("day", "week"):
        return day + dt.timedelta(days=n * (7 if unit == "week" else 1))
    return months_before(day, -n * (12 if unit == "year" else 1))


_FINDERS: tuple[Callable[[str, dt.date], Iterator[DateMention]], ...] = (
    _days,
    _months,
    _years,
    _weekdays,
    _day_words,
    _periods,
    _ago,
    _in_time,
)


__all__ = ["DateMention", "find_dates"]
