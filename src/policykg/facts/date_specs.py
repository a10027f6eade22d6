"""Ranges and relative dates: ``between``, ``after``/``before`` (``within``) and ``offset``.

The loader reads a single date itself; :func:`read_date_mapping` reads the other forms of a
``date``, ``from`` or ``to`` mapping. Once the whole file is read and its references checked,
:func:`resolve_offsets` works out the bounds of dates counted from another time, which need that
time's own date. Both refuse, at the date's file and line, a range that ends before it starts and
a weekday that no day of the range has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykg.errors import FactsError, Location
from policykg.facts.dates import (
    Bounds,
    Duration,
    date_of_bounds,
    narrow_to_weekday,
    parse_date,
    parse_duration,
)
from policykg.facts.model import (
    PUBLISHED,
    Claim,
    DateSpec,
    Event,
    FactsFile,
    Item,
    Offset,
    Tenure,
)
from policykg.facts.reading import LocatedDict

_SPEC_FIELDS = {"date": "date", "from": "start", "to": "end"}
"""The date fields of the facts format and the model's names for them."""


def date_specs(item: Item) -> Iterator[tuple[str, DateSpec]]:
    """The dates of *item*, with the name of their field in the facts file."""
    if isinstance(item, (Event, Claim, Tenure)):
        for name, attribute in _SPEC_FIELDS.items():
            spec = getattr(item, attribute, None)
            if spec is not None:
                yield name, spec


def read_date_mapping(value: LocatedDict, line: int, path: Path, item_id: str) -> DateSpec:
    """A ``between``, ``after``/``before`` or ``offset`` date (the schema has checked its form)."""

    def where(key: str) -> Location:
        return Location(path, value.key_lines.get(key, line))

    def parse(text: Any, key: str) -> Any:
        try:
            return parse_date(text)
        except ValueError as error:
            raise FactsError(str(error), where(key), fact_id=item_id) from error

    common: dict[str, Any] = {
        "line": line,
        "weekday": value.get("weekday"),
        "basis": value.get("basis", "stated"),
        "source": value.get("source"),
        "note": value.get("note"),
    }
    if "between" in value:
        first, last = (parse(text, "between") for text in value["between"])
        if last.latest() < first.earliest():
            raise FactsError(
                f"the range ends ({last}) before it starts ({first})",
                where("between"),
                fact_id=item_id,
                hint="write the earlier date first, or correct one of them",
            )
        bounds = (first.earliest(), last.latest())
        spec = DateSpec(None, between=(first, last), bounds=bounds, **common)
    elif "offset" in value:
        stated = value["offset"]
        by = _duration(stated["by"], where("offset"), item_id)
        tolerance = None
        if "tolerance" in stated:
            tolerance = _duration(stated["tolerance"], where("offset"), item_id)
            if tolerance.sign < 0:
                raise FactsError(
                    f"the tolerance {tolerance} is negative",
                    where("offset"),
                    fact_id=item_id,
                    hint="a tolerance widens the date both ways: drop the minus sign",
                )
        offset = Offset(stated["from"], by, tolerance)
        spec = DateSpec(None, offset=offset, bounds=(None, None), **common)
    else:
        within = parse(value["within"], "within") if "within" in value else None
        bounds = (within.earliest(), within.latest()) if within else (None, None)
        after, before = value.get("after"), value.get("before")
        spec = DateSpec(None, after=after, before=before, within=within, bounds=bounds, **common)
    return settle(spec, path, item_id)


def _duration(text: str, where: Location, item_id: str) -> Duration:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise FactsError(str(error), where, fact_id=item_id) from error


def settle(spec: DateSpec, path: Path, item_id: str, anchor: str | None = None) -> DateSpec:
    """*spec* with its bounds cut to its weekday and its :attr:`~DateSpec.date` set when the
    bounds are exactly one day, month or year; *anchor* names the time an offset is counted from
    when its bounds are not known.

    Raises :class:`FactsError` for a weekday that no day within the bounds has, or whose bounds
    are not known.
    """
    bounds = spec.bounds
    assert bounds is not None
    if spec.offset is not None and bounds == (None, None) and anchor is None:
        return spec  # counted from another time: settled once that time's date is known
    where = Location(path, spec.line)
    if spec.weekday is not None:
        if bounds[0] is None or bounds[1] is None:
            known = f"'{anchor}' has no date" if anchor else "the date has no range"
            raise FactsError(
                f"the weekday {spec.weekday} cannot be checked: {known}",
                where,
                fact_id=item_id,
                hint="give the range the day falls in ('within: YYYY-MM' with after/before)",
            )
        narrowed = narrow_to_weekday(bounds, spec.weekday)
        if narrowed is None:
            raise FactsError(
                f"no {spec.weekday} falls between {_day(bounds[0])} and {_day(bounds[1])}",
                where,
                fact_id=item_id,
                hint="correct the weekday, or the range it must fall in",
            )
        bounds = narrowed
    return dataclasses.replace(spec, bounds=bounds, date=date_of_bounds(*bounds))


def _day(moment: dt.datetime) -> str:
    text = moment.date().isoformat()
    return text if moment.time() in (dt.time(0, 0), dt.time(23, 59, 59)) else moment.isoformat()


def resolve_offsets(facts: FactsFile) -> FactsFile:
    """*facts* with the bounds of every ``offset`` date worked out from the time it is counted
    from (an event's own date, or the publication date).

    Raises :class:`FactsError` for offsets counted from each other in a circle, for a result
    outside years 1 to 9999, and for a weekday or an interval the result contradicts.
    """
    resolver = _Resolver(facts)
    events = tuple(resolver.event(event) for event in facts.events)
    claims = tuple(resolver.claim(claim) for claim in facts.claims)
    tenures = tuple(resolver.tenure(tenure) for tenure in facts.tenures)
    items_by_id = {**facts.items_by_id, **{i.id: i for i in (*events, *claims, *tenures)}}
    return dataclasses.replace(
        facts, events=events, claims=claims, tenures=tenures, items_by_id=items_by_id
    )


class _Resolver:
    """Works out offset dates, each once, following offsets from offsets."""

    def __init__(self, facts: FactsFile) -> None:
        self.facts = facts
        self.resolved: dict[tuple[str, str], DateSpec] = {}
        self.resolving: list[tuple[str, str]] = []

    def event(self, event: Event) -> Event:
        if not any(spec.offset for _, spec in date_specs(event)):
            return event
        date = self.maybe(event, "date", event.date)
        start, end = self.maybe(event, "from", event.start), self.maybe(event, "to", event.end)
        check_interval(start, end, self.facts.path, event.id)
        return dataclasses.replace(event, date=date, start=start, end=end)

    def claim(self, claim: Claim) -> Claim:
        if claim.date is None or claim.date.offset is None:
            return claim
        return dataclasses.replace(claim, date=self.maybe(claim, "date", claim.date))

    def tenure(self, tenure: Tenure) -> Tenure:
        if not any(spec.offset for _, spec in date_specs(tenure)):
            return tenure
        start, end = self.maybe(tenure, "from", tenure.start), self.maybe(tenure, "to", tenure.end)
        check_interval(start, end, self.facts.path, tenure.id)
        return dataclasses.replace(tenure, start=start, end=end)

    def maybe(self, item: Item, name: str, spec: DateSpec | None) -> DateSpec | None:
        """*spec* with its offset worked out, if it has one."""
        if spec is None or spec.offset is None:
            return spec
        return self.spec(item, name, spec)

    def spec(self, item: Item, name: str, spec: DateSpec) -> DateSpec:
        key = (item.id, name)
        if key in self.resolved:
            return self.resolved[key]
        offset = spec.offset
        assert offset is not None
        if key in self.resolving:
            circle = " → ".join(f"{i}.{n}" for i, n in self.resolving[self.resolving.index(key) :])
            raise FactsError(
                f"offsets are counted from each other in a circle: {circle} → {item.id}.{name}",
                Location(self.facts.path, spec.line),
                fact_id=item.id,
                hint="count one of them from a time with a date of its own",
            )
        self.resolving.append(key)
        try:
            anchor_bounds = self.anchor(offset.anchor)
        finally:
            self.resolving.pop()
        try:
            bounds = _shifted(anchor_bounds, offset)
        except OverflowError as error:
            raise FactsError(
                f"the offset {offset.by} puts the date outside years 1 to 9999",
                Location(self.facts.path, spec.line),
                fact_id=item.id,
            ) from error
        counted = dataclasses.replace(spec, bounds=bounds)
        settled = settle(counted, self.facts.path, item.id, offset.anchor)
        self.resolved[key] = settled
        return settled

    def anchor(self, anchor: str) -> Bounds:
        """The bounds of the time *anchor* names (checked to exist by the reference check)."""
        if anchor == PUBLISHED:
            published = self.facts.document.reference_date
            return published.earliest(), published.latest()
        event = self.facts.items_by_id[anchor]
        assert isinstance(event, Event)
        if event.date is not None:
            return self._own(event, "date", event.date)
        begin = self._own(event, "from", event.start)[0] if event.start else None
        end = self._own(event, "to", event.end)[1] if event.end else None
        return begin, end

    def _own(self, event: Event, name: str, spec: DateSpec) -> Bounds:
        if spec.offset is not None:
            spec = self.spec(event, name, spec)
        return spec.earliest, spec.latest


def _shifted(bounds: Bounds, offset: Offset) -> Bounds:
    earliest, latest = bounds
    tolerance = offset.tolerance
    if earliest is not None:
        earliest = offset.by.shift(earliest)
        earliest = tolerance.shift(earliest, -1) if tolerance else earliest
    if latest is not None:
        latest = offset.by.shift(latest)
        latest = tolerance.shift(latest, 1) if tolerance else latest
    return earliest, latest


def check_interval(start: DateSpec | None, end: DateSpec | None, path: Path, item_id: str) -> None:
    """Refuse an interval whose end (``to``) is known to be before its beginning (``from``)."""
    if start is None or end is None:
        return
    begins, ends = start.earliest, end.latest
    if begins is not None and ends is not None and begins > ends:
        raise FactsError(
            f"'to' ({_shown(end)}) is before 'from' ({_shown(start)})",
            Location(path, end.line),
            fact_id=item_id,
            hint="swap the dates or correct one",
        )


def _shown(spec: DateSpec) -> str:
    if spec.date is not None:
        return str(spec.date)
    earliest, latest = spec.earliest, spec.latest
    return f"{_day(earliest) if earliest else '…'} to {_day(latest) if latest else '…'}"
