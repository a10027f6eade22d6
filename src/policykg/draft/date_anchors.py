"""Dates counted from other dates of the text, or read from its shape: an anniversary from the
date before it, the start of a span from the day of its sentence, a sequel ("two days later")
from the day named before it, and the news of the day from the opening sentence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from policykg.draft.date_mention import (
    DateMention,
    containing,
    count_of,
    long_date,
    mention_at,
    months_before,
    precision_of,
    sentence_after,
    sentence_bounds,
    whole_span,
)
from policykg.draft.date_words import ORDINAL, QUANTITY, ordinal_number, quantity_number

# --- anniversaries -------------------------------------------------------------------------------

_ANNIVERSARY = re.compile(rf"\b[Tt]he\s+(?P<n>\d+(?:st|nd|rd|th)|{ORDINAL})\s+anniversary\b")
_ANCHOR_REACH = 600
"""How far back (in characters) the date an anniversary is counted from may be."""


def anniversaries(text: str, published: dt.date, found: list[DateMention]) -> Iterator[DateMention]:
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
            year, counted = published.year, f"from publication on {long_date(published)}"
        what = re.sub(r"^\s*of\s+", "", sentence_after(text, match))[:80].strip()
        how = (
            f"of “{what}”, counted {counted}: {year} - {n} = {year - n}; the year "
            "only, as an anniversary need not fall on the day"
        )
        yield mention_at(match, str(year - n), "year", None, how)


# --- spans of time measured back from a date ------------------------------------------------------

_DURATION = re.compile(
    rf"\b(?:after|following|ending|concluding|capping)\s+"
    rf"(?P<words>(?:more\s+than|over|upwards\s+of)\s+(?P<n>(?i:{QUANTITY}))\s+"
    rf"(?P<unit>day|week|month|year)s?)\s+of\b"
)


def durations(text: str, found: list[DateMention]) -> Iterator[DateMention]:
    """The start of a span of time that ends on a day of the same sentence: "On April 2, they
    agreed after more than a week of talks" (the talks began on 26 March or earlier). A lower
    bound ("more than") is read as less than one of the next unit (a week: less than a month),
    so the start is given as a range from that unit's beginning to the latest day."""
    for match in _DURATION.finditer(text):
        sentence = sentence_bounds(text, match.start())
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
            first = months_before(end, 1).replace(day=1)
            first = min(first, latest.replace(day=1))
            earliest, reading = first.isoformat()[:7], "less than a month"
        elif unit == "month":
            earliest, reading = str(end.year - 1), "less than a year"
        else:
            earliest, reading = str(end.year - n - 1), f"less than {count_of(n + 1, 'year')}"
        value, precision = containing(whole_span(earliest, precision_of(earliest))[0], latest)
        how = (
            f"the start of a span of “{' '.join(match['words'].split())}” ending on "
            f"“{anchor.text}” ({anchor.value}): {long_date(latest)} or earlier, and {reading} "
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
    return months_before(day, n * (12 if unit == "year" else 1))


# --- days counted from the day named before -----------------------------------------------------

_SEQUEL = re.compile(
    rf"\b(?:(?P<n>(?i:{QUANTITY}))\s+(?P<unit>day|week)s?\s+later"
    r"|[Tt]he\s+(?:next|following)\s+(?P<next>day|week)"
    r"|[Tt]he\s+(?P<followed>day|week)\s+that\s+followed)\b"
)
_SEQUEL_REACH = 300
"""How far back (in characters) the day a sequel is counted from may be."""


def sequels(text: str, found: list[DateMention]) -> Iterator[DateMention]:
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
        value, precision = containing(first, last)
        yield mention_at(match, value, precision, None, counted, between=between)


# --- the news of the day -------------------------------------------------------------------------

_SUBORDINATE = re.compile(
    r"(?:Although|Though|While|Whilst|As|Since|If|When|Because|After|Before|Despite|Even|Once|"
    r"Until|Unless|With|Without|For|In|On|At|By|Over|During|Amid)\b"
)
_PARTICIPLE_ENDINGS = (
    "ed|en|wn|ne|ung|ught|ound|eld|ent|ost|ade|old|id|et|un|ut|ept|ot|it|ft|on|uck"
)
"""How past participles end, regular and irregular ("agreed", "taken", "held", "hit", "won")."""
_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:(?:now|just|finally|also|jointly)\s+)?(?:been\s+)?"
    rf"(?!been\b)(?P<verb>[a-z]+(?:{_PARTICIPLE_ENDINGS}))\b"
)
"""A present perfect of an act ("have released", "has been hit"), not of a state ("has been")."""
_OPENING_REACH = 12
"""The words before the verb of an opening present perfect: a subject, not a clause."""


def opening_perfect(
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
        f"publication, {long_date(published)}, or just before (check)"
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
