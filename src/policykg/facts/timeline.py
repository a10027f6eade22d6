"""Ordering across precisions: the bounds of times tightened by what the facts say of their order.

A year-precision event known to follow an April event cannot have happened in January. The
build tightens the bounds of every time by the constraints the facts give — ``after``,
``before`` and ``offset`` dates, a part inside its whole (``part_of``), a statement inside the
event it was made at (``event``), an event that is not a forecast no later than the publication
— to a fixpoint, and writes the result as each event's SEM timestamps.

:func:`propagate` is a pure function over (time → bounds, constraints): it knows nothing of facts
files, so that the same function can tighten a corpus's shared events from several articles.
:func:`event_bounds` builds its input from one article.

The times are envelopes ``[earliest, latest]`` that the whole time lies in; *points* (the
instants of dated events and claims) are times of no extent, about which a constraint tells
more. Every rule only ever narrows an envelope, and only as far as the constraint proves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from policykg.facts.dates import Bounds, Duration
from policykg.facts.model import PUBLISHED, Claim, DateSpec, Event, FactsFile


class Relation(Enum):
    """How the first time of a constraint relates to the second."""

    WITHIN = "within"
    """The first lies inside the second (a part in its whole, a statement in its event)."""
    BEFORE = "before"
    """The first lies before the second (ends no later than the second begins)."""
    OFFSET = "offset"
    """The first lies at ``by`` (give or take ``tolerance``) from a point of the second."""
    STARTS = "starts"
    """The first (an instant) is the beginning of the second (an interval)."""
    ENDS = "ends"
    """The first (an instant) is the end of the second (an interval)."""


@dataclass(frozen=True)
class Constraint:
    """A relation between two times, by their keys."""

    relation: Relation
    first: str
    second: str
    by: Duration | None = None
    tolerance: Duration | None = None


@dataclass(frozen=True)
class Timeline:
    """The tightened bounds of each time, and the groups of times whose constraints contradict
    one another (left with their own bounds: a shape reports the contradiction)."""

    bounds: dict[str, Bounds]
    contradictions: tuple[tuple[str, ...], ...] = ()


def propagate(
    bounds: Mapping[str, Bounds],
    constraints: Sequence[Constraint],
    points: Iterable[str] = (),
) -> Timeline:
    """Tighten *bounds* by *constraints* to a fixpoint, each group of connected times apart.

    A time named only in a constraint starts unbounded. A group whose constraints empty a time
    (its earliest after its latest) or never settle keeps its own bounds, and is listed in
    :attr:`Timeline.contradictions`.

    >>> import datetime as dt
    >>> april, year = (dt.datetime(2015, 4, 2), dt.datetime(2015, 4, 2, 23, 59, 59)), (
    ...     dt.datetime(2015, 1, 1), dt.datetime(2015, 12, 31, 23, 59, 59))
    >>> propagate({"framework": april, "signing": year},
    ...           [Constraint(Relation.BEFORE, "framework", "signing")]).bounds["signing"][0]
    datetime.datetime(2015, 4, 2, 0, 0)
    """
    point_set = frozenset(points)
    result = dict(bounds)
    contradictions = []
    for group in _groups(constraints):
        names = sorted({name for c in group for name in (c.first, c.second)})
        tightened = {name: bounds.get(name, (None, None)) for name in names}
        if _settle(tightened, group, point_set):
            result.update(tightened)
        else:
            contradictions.append(tuple(names))
            result.update({name: bounds[name] for name in names if name in bounds})
    return Timeline(result, tuple(contradictions))


def _groups(constraints: Sequence[Constraint]) -> list[list[Constraint]]:
    """*constraints* split into groups that share no time, in the order they were given."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for constraint in constraints:
        parent[root(constraint.first)] = root(constraint.second)
    groups: dict[str, list[Constraint]] = {}
    for constraint in constraints:
        groups.setdefault(root(constraint.first), []).append(constraint)
    return list(groups.values())


def _settle(
    bounds: dict[str, Bounds], constraints: list[Constraint], points: frozenset[str]
) -> bool:
    """Apply *constraints* to *bounds* in place until nothing changes; ``False`` if a time empties
    or the bounds keep moving (constraints that push each other round a circle)."""
    # Each pass moves at least one of 2n bounds to a value it keeps in a consistent group.
    for _ in range(2 * len(bounds) + 2):
        changed = False
        for constraint in constraints:
            for name, (earliest, latest) in _apply(constraint, bounds, points):
                if earliest is not None and latest is not None and earliest > latest:
                    return False
                if (earliest, latest) != bounds[name]:
                    bounds[name] = (earliest, latest)
                    changed = True
        if not changed:
            return True
    return False


def _apply(
    constraint: Constraint, bounds: Mapping[str, Bounds], points: frozenset[str]
) -> list[tuple[str, Bounds]]:
    """The bounds *constraint* gives its two times (narrowed, never widened)."""
    a, b = constraint.first, constraint.second
    (a_first, a_last), (b_first, b_last) = bounds[a], bounds[b]
    relation = constraint.relation
    if relation is Relation.WITHIN:
        narrowed = [(a, _meet(bounds[a], bounds[b]))]
        if b in points:  # a point holds only what is at that point: the two coincide
            narrowed.append((b, _meet(bounds[b], bounds[a])))
        return narrowed
    if relation is Relation.BEFORE:
        return [(a, (a_first, _earlier(a_last, b_last))), (b, (_later(b_first, a_first), b_last))]
    if relation is Relation.STARTS:
        first = _later(a_first, b_first)
        return [(a, (first, _earlier(a_last, b_last))), (b, (first, b_last))]
    if relation is Relation.ENDS:
        last = _earlier(a_last, b_last)
        return [(a, (_later(a_first, b_first), last)), (b, (b_first, last))]
    by, tolerance = constraint.by, constraint.tolerance
    assert by is not None
    narrowed = [(a, _meet(bounds[a], _counted(bounds[b], by, tolerance)))]
    # Counting back is exact only for days and shorter: 31 March + P1M is 30 April, and 30
    # April - P1M is 30 March.
    if b in points and not by.has_months and not (tolerance and tolerance.has_months):
        narrowed.append((b, _meet(bounds[b], _counted(bounds[a], _opposite(by), tolerance))))
    return narrowed


def _meet(one: Bounds, other: Bounds) -> Bounds:
    """The bounds that both *one* and *other* allow."""
    return _later(one[0], other[0]), _earlier(one[1], other[1])


def _counted(bounds: Bounds, by: Duration, tolerance: Duration | None) -> Bounds:
    """*bounds* moved by *by*, and widened by *tolerance* both ways."""
    return _shift(bounds[0], by, tolerance, -1), _shift(bounds[1], by, tolerance, 1)


def _later(one: dt.datetime | None, other: dt.datetime | None) -> dt.datetime | None:
    if one is None:
        return other
    return one if other is None or one >= other else other


def _earlier(one: dt.datetime | None, other: dt.datetime | None) -> dt.datetime | None:
    if one is None:
        return other
    return one if other is None or one <= other else other


def _shift(
    moment: dt.datetime | None, by: Duration, tolerance: Duration | None, side: int
) -> dt.datetime | None:
    """*moment* moved by *by*, then by the *tolerance* towards *side* (-1 earlier, 1 later)."""
    if moment is None:
        return None
    try:
        moved = by.shift(moment)
        return tolerance.shift(moved, side) if tolerance else moved
    except OverflowError:
        return None  # beyond the calendar: no bound


def _opposite(duration: Duration) -> Duration:
    lexical = duration.lexical[1:] if duration.sign < 0 else "-" + duration.lexical
    return Duration(lexical, -duration.sign, duration.months, duration.delta)


# -- one article's times ---------------------------------------------------------------------


def event_bounds(facts: FactsFile) -> dict[str, Bounds]:
    """The bounds of each event *facts* defines, tightened by the constraints of *facts*.

    An event whose bounds stay unknown is left out.
    """
    builder = _ArticleTimes(facts)
    for event in facts.events:
        builder.event(event)
    for claim in facts.claims:
        builder.claim(claim)
    timeline = propagate(builder.bounds, builder.constraints, builder.points)
    found = {}
    for event in facts.events:
        bounds = timeline.bounds.get(event.id, (None, None))
        if bounds != (None, None):
            found[event.id] = bounds
    return found


_PUBLISHED_KEY = "@" + PUBLISHED
"""The key of the publication date (ids never start with @)."""


class _ArticleTimes:
    """Collects the times of one article, their own bounds and the constraints between them."""

    def __init__(self, facts: FactsFile) -> None:
        self.facts = facts
        self.bounds: dict[str, Bounds] = {}
        self.constraints: list[Constraint] = []
        self.points: set[str] = set()
        self.own_events = {event.id for event in facts.events}
        published = facts.document.reference_date
        self.published_latest = published.latest()
        self.bounds[_PUBLISHED_KEY] = (published.earliest(), self.published_latest)
        self.points.add(_PUBLISHED_KEY)

    def event(self, event: Event) -> None:
        key = event.id
        if event.date is not None:
            self.instant(key, event.date)
            if not event.forecast:
                self.not_after_publication(key)
        else:
            self.interval(event)
        if event.part_of is not None:
            self.anchor(event.part_of)
            self.constraints.append(Constraint(Relation.WITHIN, key, event.part_of))

    def interval(self, event: Event) -> None:
        key = event.id
        self.bounds[key] = (
            event.start.earliest if event.start else None,
            event.end.latest if event.end else None,
        )
        ends = ((event.start, Relation.STARTS, "begin"), (event.end, Relation.ENDS, "end"))
        for spec, relation, end in ends:
            if spec is not None:
                self.instant(f"{key}/{end}", spec)
                self.constraints.append(Constraint(relation, f"{key}/{end}", key))
        if event.start is not None and not event.forecast:
            self.not_after_publication(f"{key}/begin")

    def not_after_publication(self, key: str) -> None:
        """*key* lies no later than the publication; said only where that narrows it (its
        bounds only narrow, so one that ends before the publication stays before it)."""
        latest = self.bounds[key][1]
        if latest is None or latest > self.published_latest:
            self.constraints.append(Constraint(Relation.BEFORE, key, _PUBLISHED_KEY))

    def claim(self, claim: Claim) -> None:
        date = claim.date
        if date is None or date.is_single:
            # An undated claim, or one whose date holds its event's, narrows nothing and cannot
            # contradict it; a single date without an event relates to nothing.
            if date is None or claim.event is None:
                return
            event_first, event_last = self.bounds[self.anchor(claim.event)]
            first, last = date.earliest, date.latest
            if (event_first is not None and first is not None and first <= event_first) and (
                event_last is not None and last is not None and last >= event_last
            ):
                return
        key = "claim " + claim.id
        if claim.date is not None:
            self.instant(key, claim.date)
        else:
            self.points.add(key)
        if claim.event is not None:
            self.anchor(claim.event)
            self.constraints.append(Constraint(Relation.WITHIN, key, claim.event))

    def instant(self, key: str, spec: DateSpec) -> None:
        """A point with its own bounds and the constraints of its relative date."""
        self.points.add(key)
        self.bounds[key] = (spec.earliest, spec.latest)
        if spec.is_single:
            return
        if spec.after is not None:
            self.constraints.append(Constraint(Relation.BEFORE, self.anchor(spec.after), key))
        if spec.before is not None:
            self.constraints.append(Constraint(Relation.BEFORE, key, self.anchor(spec.before)))
        if spec.offset is not None:
            anchor = self.anchor(spec.offset.anchor)
            offset = Constraint(Relation.OFFSET, key, anchor, spec.offset.by, spec.offset.tolerance)
            self.constraints.append(offset)

    def anchor(self, anchor: str) -> str:
        """The key of the time *anchor* names; an event defined elsewhere (in the registry) has
        its own bounds, unconstrained by its other facts."""
        if anchor == PUBLISHED:
            return _PUBLISHED_KEY
        if anchor not in self.own_events and anchor not in self.bounds:
            event = self.facts.items_by_id.get(anchor)
            if isinstance(event, Event):
                if event.date is not None:
                    self.points.add(anchor)
                self.bounds[anchor] = _envelope(event)
        return anchor


def _envelope(event: Event) -> Bounds:
    if event.date is not None:
        return event.date.earliest, event.date.latest
    return (event.start.earliest if event.start else None, event.end.latest if event.end else None)
