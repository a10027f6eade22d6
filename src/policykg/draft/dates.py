"""Every date expression of an article, resolved against the publication date at its precision.

:func:`find_dates` finds absolute dates ("2 April 2015", "April 2015", "in 2015", "June 3"),
relative ones ("on Friday", "yesterday", "last month", "earlier this year", "two years ago"),
anniversaries ("the 27th anniversary of …") and a weekday named with a date (checked against it).
Each becomes a :class:`DateMention`: its exact span, its value at the precision the text gives
("April 2015" is the month ``2015-04``, never a day), and a note saying how it was resolved, ready
to be proposed as a facts-file date (:meth:`DateMention.as_facts`).

The patterns are this module's own, because a date's precision and its span must be exact;
``dateparser`` reads the quantities of "N units ago" and checks every absolute date it finds (it
drops "31 April 2015"). Its ``search_dates`` is not used: on the example articles it takes "we"
and "the 27th" for dates and puts "a year after" in the future.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dateparser.date import DateDataParser

from policykg.draft.date_words import (
    MONTH,
    ORDINAL,
    QUANTITY,
    WEEKDAY,
    YEAR,
    month_number,
    ordinal_number,
    quantity_number,
)
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
        *_anniversaries(text, published, found),
        *_durations(text, found),
        *_sequels(text, found),
        *_opening_perfect(text, published, found),
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
                if _read_by_dateparser(f"{day} {calendar.month_name[month]} {year}") is None:
                    continue
            else:
                nearest = _nearest_year(published, month, day)
                if nearest is None:
                    continue
                year, basis = nearest, "derived"
                how = f"the year of the nearest such day to publication on {_long(published)}"
            date = dt.date(year, month, day)
            weekday = match.groupdict().get("weekday")
            weekday_ok = None if weekday is None else WEEKDAYS[date.weekday()] == weekday
            if weekday is not None:
                agrees = "agrees" if weekday_ok else "does NOT agree"
                how += f"; the weekday {weekday} {agrees} ({_long(date)})"
            yield _mention(match, date.isoformat(), "day", weekday_ok, how, basis=basis)


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
        if _read_by_dateparser(f"{calendar.month_name[month]} {year}") is None:
            continue
        between = _month_part(year, month, match["part"])
        yield _mention(
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
        yield _mention(match, f"{year}-{month:02d}", "month", None, how, between=between)


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
        return year, f"the last {name} before publication on {_long(published)}"
    if part == "next":
        year = published.year if month > published.month else published.year + 1
        return year, f"the next {name} after publication on {_long(published)}"
    candidates = (year * 12 + month - 1 for year in range(published.year - 1, published.year + 2))
    nearest = min(candidates, key=lambda c: (abs(c - index), c))
    return nearest // 12, f"the nearest {name} to publication on {_long(published)}"


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
        yield _mention(match, str(year), "year", None, how, between=between, basis="stated")


# --- days relative to publication ----------------------------------------------------------------

_WEEKDAY_ALONE = re.compile(
    rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?"
    rf"(?P<weekday>{WEEKDAY})\b(?!s\b|,?\s+(?:the\s+)?\d)"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|scheduled|expected to|is set to|are set to)\b"
)
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
        future = rel == "next" or (rel != "last" and _FUTURE.search(_sentence_before(text, match)))
        if future:
            date = published + dt.timedelta(days=ahead or 7 if rel == "next" else ahead)
            how = f"the {name} after publication on {_long(published)}"
            if rel != "next":
                how += " (future tense)"
        elif rel == "last" and back == 0:
            date = published - dt.timedelta(days=7)
            how = f"the {name} a week before publication on {_long(published)}"
        elif back == 0:
            date = published
            how = f"the day of publication, {_long(published)}"
        else:
            date = published - dt.timedelta(days=back)
            how = f"the {name} before publication on {_long(published)}"
        yield _mention(match, date.isoformat(), "day", True, how)


def _day_words(text: str, published: dt.date) -> Iterator[DateMention]:
    """Days named by word: "yesterday", "today", "tomorrow", "last night", "this morning"."""
    for match in _DAY_WORDS.finditer(text):
        word = match["word"].lower()
        shift = _DAY_WORD_OFFSETS.get(word, 0)
        date = published + dt.timedelta(days=shift)
        how = (
            f"{shift:+d} day from publication on {_long(published)}"
            if shift
            else (f"the day of publication, {_long(published)}")
        )
        yield _mention(match, date.isoformat(), "day", None, how)


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
        value, precision = _containing(first, last)
        whole = _whole(value, precision) == (first, last)
        between = None if whole else (first.isoformat(), last.isoformat())
        how = f"counted from publication on {_long(published)}"
        if unit == "week":
            how += " (a week is Monday to Sunday)"
        yield _mention(match, value, precision, None, how, between=between)


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
        if match["dir"] == "after" and not _NOW_AFTER.search(_sentence_after(text, match)):
            continue
        n, unit = quantity_number(match["n"]), match["unit"]
        base = _read_by_dateparser(f"{n} {unit}s ago", published)
        if base is None:
            continue
        hedge = (match["hedge"] or "").lower()
        how = f"{_count(n, unit)} before publication on {_long(published)}"
        if match["dir"] == "after":
            how += " (“after”, with a present perfect: counted back from the present)"
        if hedge:
            first, last = _hedged(published, n, unit, hedge)
            how += f"; “{hedge}” read as {first.isoformat()} to {last.isoformat()}"
        elif unit == "week":
            first = base - dt.timedelta(days=base.weekday())
            first, last = first, first + dt.timedelta(days=6)
        else:
            value = _truncate(base, "day" if unit == "day" else unit)
            yield _mention(match, value, "day" if unit == "day" else unit, None, how)
            continue
        value, precision = _containing(first, last)
        yield _mention(
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
        _months_before(published, round(months * earliest_share)),
        _months_before(published, round(months * 0.75)),
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --- anniversaries -------------------------------------------------------------------------------

_ANNIVERSARY = re.compile(rf"\b[Tt]he\s+(?P<n>\d+(?:st|nd|rd|th)|{ORDINAL})\s+anniversary\b")
_ANCHOR_REACH = 600
"""How far back (in characters) the date an anniversary is counted from may be."""


def _anniversaries(
    text: str, published: dt.date, found: list[DateMention]
) -> Iterator[DateMention]:
    """Anniversaries, "the 27th anniversary of <event>": the event's year, counted back from the
    nearest date mention before it (else publication); the year only, as an anniversary is not
    always kept on the day."""
    for match in _ANNIVERSARY.finditer(text):
        n = ordinal_number(match["n"])
        before = [m for m in found if m.end <= match.start() and m.precision != "month"]
        near = [m for m in before if match.start() - m.end <= _ANCHOR_REACH]
        if near:
            anchor = near[-1]
            year = int(anchor.value[:4])
            counted = f"from “{anchor.text}” ({anchor.value})"
        else:
            year, counted = published.year, f"from publication on {_long(published)}"
        what = re.sub(r"^\s*of\s+", "", _sentence_after(text, match))[:80].strip()
        how = (
            f"of “{what}”, counted {counted}: {year} - {n} = {year - n}; the year "
            "only, as an anniversary need not fall on the day"
        )
        yield _mention(match, str(year - n), "year", None, how)


# --- spans of time measured back from a date ------------------------------------------------------

_DURATION = re.compile(
    rf"\b(?:after|following|ending|concluding|capping)\s+"
    rf"(?P<words>(?:more\s+than|over|upwards\s+of)\s+(?P<n>(?i:{QUANTITY}))\s+"
    rf"(?P<unit>day|week|month|year)s?)\s+of\b"
)


def _durations(text: str, found: list[DateMention]) -> Iterator[DateMention]:
    """The start of a span of time that ends on a day of the same sentence: "On April 2, they
    agreed after more than a week of talks" (the talks began on 26 March or earlier). A lower
    bound ("more than") is read as less than one of the next unit (a week: less than a month),
    so the start is given as a range from that unit's beginning to the latest day."""
    for match in _DURATION.finditer(text):
        sentence = _sentence_bounds(text, match.start())
        days = [
            m
            for m in found
            if m.precision == "day" and m.between is None and sentence[0] <= m.start < sentence[1]
        ]
        if not days:
            continue
        anchor = min(days, key=lambda m: abs(m.start - match.start()))
        end = dt.date.fromisoformat(anchor.value)
        n, unit = quantity_number(match["n"]), match["unit"]
        latest = _counted_back(end, n, unit)
        if unit in ("day", "week"):
            first = _months_before(end, 1).replace(day=1)
            first = min(first, latest.replace(day=1))
            earliest, reading = first.isoformat()[:7], "less than a month"
        elif unit == "month":
            earliest, reading = str(end.year - 1), "less than a year"
        else:
            earliest, reading = str(end.year - n - 1), f"less than {_count(n + 1, 'year')}"
        value, precision = _containing(_whole(earliest, _precision(earliest))[0], latest)
        how = (
            f"the start of a span of “{' '.join(match['words'].split())}” ending on "
            f"“{anchor.text}” ({anchor.value}): {_long(latest)} or earlier, and {reading} "
            f"before the end, so from {earliest} on"
        )
        yield DateMention(
            match.start("words"),
            match.end("words"),
            match["words"],
            value,
            precision,
            None,
            f"“{' '.join(match['words'].split())}”: {how}",
            (earliest, latest.isoformat()),
            ends=anchor.value,
        )


def _counted_back(day: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("day", "week"):
        return day - dt.timedelta(days=n * (7 if unit == "week" else 1))
    return _months_before(day, n * (12 if unit == "year" else 1))


# --- days counted from the day named before -----------------------------------------------------

_SEQUEL = re.compile(
    rf"\b(?:(?P<n>(?i:{QUANTITY}))\s+(?P<unit>day|week)s?\s+later"
    r"|[Tt]he\s+(?:next|following)\s+(?P<next>day|week)"
    r"|[Tt]he\s+(?P<followed>day|week)\s+that\s+followed)\b"
)
_SEQUEL_REACH = 300
"""How far back (in characters) the day a sequel is counted from may be."""


def _sequels(text: str, found: list[DateMention]) -> Iterator[DateMention]:
    """Days counted from the day named before: "two days later", "the next day", "the following
    week" (Monday to Sunday), "the week that followed" (the seven days after), from the nearest
    day before it in the same paragraph."""
    for match in _SEQUEL.finditer(text):
        paragraph = text.rfind("\n", 0, match.start()) + 1
        days = [
            m
            for m in found
            if m.precision == "day"
            and m.between is None
            and max(paragraph, match.start() - _SEQUEL_REACH) <= m.start
            and m.end <= match.start()
        ]
        if not days:
            continue
        anchor = days[-1]
        day = dt.date.fromisoformat(anchor.value)
        counted = f"counted from “{anchor.text}” ({anchor.value})"
        between = None
        if match["n"]:
            n, unit = quantity_number(match["n"]), match["unit"]
            first = day + dt.timedelta(days=n * (7 if unit == "week" else 1))
            last = first
        elif (match["next"] or match["followed"]) == "day":
            first = last = day + dt.timedelta(days=1)
        elif match["next"]:
            first = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=1)
            last = first + dt.timedelta(days=6)
            counted += " (a week is Monday to Sunday)"
        else:
            first, last = day + dt.timedelta(days=1), day + dt.timedelta(days=7)
            counted += " (the seven days after it)"
        if first != last:
            between = (first.isoformat(), last.isoformat())
        value, precision = _containing(first, last)
        yield _mention(match, value, precision, None, counted, between=between)


# --- the news of the day -------------------------------------------------------------------------

_SUBORDINATE = re.compile(
    r"(?:Although|Though|While|Whilst|As|Since|If|When|Because|After|Before|Despite|Even|Once|"
    r"Until|Unless|With|Without|For|In|On|At|By|Over|During|Amid)\b"
)
_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:(?:now|just|finally|also|jointly)\s+)?(?:been\s+)?"
    r"(?P<verb>[a-z]+(?:ed|en|wn|ne|ung|ught|ound|eld|ent|ost|ade|old|id|et|un|ut|ept|ot))\b"
)
_OPENING_REACH = 12
"""The words before the verb of an opening present perfect: a subject, not a clause."""


def _opening_perfect(
    text: str, published: dt.date, found: list[DateMention]
) -> Iterator[DateMention]:
    """The news of the day: a news report's opening sentence (after the headline) that gives its
    event in the present perfect and no date ("World powers and Iran have released a joint
    statement") reports it on the day of publication, or just before."""
    sentence = _opening_sentence(text)
    if sentence is None or any(sentence[0] <= m.start < sentence[1] for m in found):
        return
    body = text[sentence[0] : sentence[1]]
    perfect = _PERFECT.search(body)
    if (
        perfect is None
        or _SUBORDINATE.match(body)
        or len(body[: perfect.start()].split()) > _OPENING_REACH
        or re.search(r"[“\"]", body[: perfect.start()])
    ):
        return
    words = perfect[0]
    how = (
        f"a present perfect in the opening sentence gives the news of the day: the day of "
        f"publication, {_long(published)}, or just before (check)"
    )
    start = sentence[0] + perfect.start()
    yield DateMention(
        start, start + len(words), words, published.isoformat(), "day", None, f"“{words}”: {how}"
    )


def _opening_sentence(text: str) -> tuple[int, int] | None:
    """The first sentence of the text's first paragraph, after a headline (a first line without
    a full stop, followed by a blank line)."""
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+", text)]
    if not paragraphs:
        return None
    first = text[paragraphs[0][0] : paragraphs[0][1]].strip()
    if len(paragraphs) > 1 and not re.search(r"[.!?]$", first):
        paragraphs = paragraphs[1:]
    start, end = paragraphs[0]
    while start < end and text[start].isspace():
        start += 1
    stop = re.search(r"(?<![A-Z])[.!?](?=\s|$)", text[start:end])
    return start, start + stop.end() if stop else end


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
    value, precision = _containing(first, last)
    whole = _whole(value, precision) == (first, last)
    note = (
        f"{late.note}; the day of publication is not known, only that it lies between "
        f"{_long(earliest)} and {_long(published)}: so from {_long(first)} to {_long(last)}"
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
        return _whole(mention.value, mention.precision)
    first, last = mention.between
    return _whole(first, _precision(first))[0], _whole(last, _precision(last))[1]


def _precision(value: str) -> str:
    return {4: "year", 7: "month"}.get(len(value), "day")


# --- shared helpers ------------------------------------------------------------------------------

_FINDERS: tuple[Callable[[str, dt.date], Iterator[DateMention]], ...] = (
    _days,
    _months,
    _years,
    _weekdays,
    _day_words,
    _periods,
    _ago,
)


def _mention(
    match: re.Match[str],
    value: str,
    precision: str,
    weekday_ok: bool | None,
    how: str,
    *,
    between: tuple[str, str] | None = None,
    basis: str = "derived",
) -> DateMention:
    note = f"“{' '.join(match[0].split())}”: {how}"
    return DateMention(
        match.start(), match.end(), match[0], value, precision, weekday_ok, note, between, basis
    )


def _sentence_before(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(mark, 0, match.start()) for mark in ".!?\n") + 1
    return text[start : match.start()]


def _sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    start = max(text.rfind(mark, 0, offset) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, offset) for mark in ".!?\n") if i >= 0]
    return start, min(ends, default=len(text))


def _sentence_after(text: str, match: re.Match[str]) -> str:
    ends = [i for i in (text.find(mark, match.end()) for mark in ".!?\n") if i >= 0]
    return text[match.end() : min(ends, default=len(text))]


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _long(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"


def _truncate(day: dt.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


def _whole(value: str, precision: str) -> tuple[dt.date, dt.date]:
    year = int(value[:4])
    if precision == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(value[5:7])
    if precision == "month":
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(value)
    return day, day


def _containing(first: dt.date, last: dt.date) -> tuple[str, str]:
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


def _read_by_dateparser(words: str, published: dt.date | None = None) -> dt.date | None:
    """The day ``dateparser`` reads in *words* (relative to *published*), or ``None``."""
    data = _parser(published).get_date_data(words)
    return data.date_obj.date() if data.date_obj is not None else None


__all__ = ["DateMention", "find_dates"]
