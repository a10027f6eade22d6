"""The facts model: what a facts file says, as frozen, typed values (no RDF here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from policykg.facts.dates import Bounds, Duration, PreciseDate

PUBLISHED = "published"
"""The anchor of a relative date that means the publication date (``after: published``)."""


@dataclass(frozen=True)
class Quote:
    """Words of the source text that support a fact, as the curator typed them."""

    text: str
    line: int
    after: str | None = None
    start: int | None = None


@dataclass(frozen=True)
class Offset:
    """A date stated as a distance from another time: "one week after the speech"."""

    anchor: str
    """An event id, or :data:`PUBLISHED`."""
    by: Duration
    tolerance: Duration | None = None


@dataclass(frozen=True)
class DateSpec:
    """A date of a fact, with where the date comes from.

    A single date (``value``) has :attr:`date`. A range (``between``) or a date relative to other
    times (``after``, ``before``, ``offset``) has :attr:`date` only when it comes to exactly one
    day, month or year (a range of one month, or ``within``); its known bounds are then
    :attr:`bounds`, which the loader works out.
    """

    date: PreciseDate | None
    line: int
    weekday: str | None = None
    basis: str = "stated"
    source: str | None = None
    note: str | None = None
    between: tuple[PreciseDate, PreciseDate] | None = None
    after: str | None = None
    before: str | None = None
    within: PreciseDate | None = None
    offset: Offset | None = None
    bounds: Bounds | None = None
    """The earliest and latest moment of a range or relative date, as far as the facts file
    gives them (``None`` for a single date, whose :attr:`date` gives them)."""

    @property
    def earliest(self) -> dt.datetime | None:
        """The first moment the date can be, if known."""
        if self.bounds is None:
            return None if self.date is None else self.date.earliest()
        return self.bounds[0]

    @property
    def latest(self) -> dt.datetime | None:
        """The last moment the date can be, if known."""
        if self.bounds is None:
            return None if self.date is None else self.date.latest()
        return self.bounds[1]

    @property
    def anchors(self) -> tuple[str, ...]:
        """The event ids (or :data:`PUBLISHED`) the date is relative to."""
        found = (self.after, self.before, self.offset.anchor if self.offset else None)
        return tuple(anchor for anchor in found if anchor is not None)

    @property
    def is_single(self) -> bool:
        """Whether this is a plain single date (``value``), the common case."""
        return self.bounds is None and self.between is None and not self.is_relative

    @property
    def is_relative(self) -> bool:
        return self.after is not None or self.before is not None or self.offset is not None


@dataclass(frozen=True, kw_only=True)
class Item:
    """Anything with an id in a facts file."""

    id: str
    line: int
    quotes: tuple[Quote, ...] = ()
    source: str | None = None
    note: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str) -> int:
        """The line of field *name*, or of the item when the field is absent."""
        return self.field_lines.get(name, self.line)

    def definition(self) -> tuple[Any, ...]:
        """What the item says, without where it says it (lines) or its evidence (quotes).

        Two files that define one id must give it the same definition: the RDF of the item is
        then the same wherever it is defined.
        """
        return (type(self).__name__, *(_defined(getattr(self, f.name)) for f in _fields(self)))


def _fields(item: Item) -> list[Any]:
    return [f for f in fields(item) if f.name not in _NOT_DEFINITION]


_NOT_DEFINITION = ("line", "quotes", "field_lines", "roles")
"""Fields that are not part of an item's definition: where and how a file evidences the item, and
an event's roles, which each article gives according to itself (they are doc-scoped in RDF)."""


def _defined(value: Any) -> Any:
    if isinstance(value, DateSpec):
        date = value.date.lexical if value.date else None
        defined = (date, value.weekday, value.basis, value.source, value.note)
        if value.is_single:
            return defined
        between = tuple(day.lexical for day in value.between) if value.between else None
        offset = value.offset
        offset_defined = (
            (offset.anchor, offset.by.lexical, str(offset.tolerance or "")) if offset else None
        )
        within = value.within.lexical if value.within else None
        return (*defined, between, value.after, value.before, within, offset_defined)
    return value


_FACTS_NAMES = {"kind": "type", "start": "from", "end": "to", "anniversary": "commemorates"}
"""The name in the facts of model fields named otherwise."""


def first_difference(one: Item, other: Item) -> tuple[str, str, str] | None:
    """The first field, by its name in the facts, whose value differs between two definitions
    of one id, with its two values as text; ``None`` if they define it the same way."""
    if type(one) is not type(other):
        return "kind", _KIND_WORDS[type(one)], _KIND_WORDS[type(other)]
    for f in _fields(one):
        mine, theirs = getattr(one, f.name), getattr(other, f.name)
        if _defined(mine) != _defined(theirs):
            name = "speaker or holder" if f.name == "agent" else _FACTS_NAMES.get(f.name, f.name)
            return name, shown(mine), shown(theirs)
    return None


def shown(value: Any) -> str:
    """A value of a model field as the facts would write it, for messages."""
    if value is None or value == ():
        return "(none)"
    if isinstance(value, DateSpec):
        extra = ", ".join(
            f"{name}: {part}"
            for name, part in (
                ("weekday", value.weekday),
                ("basis", None if value.basis == "stated" else value.basis),
                ("source", value.source),
                ("note", value.note),
            )
            if part is not None
        )
        if value.date is not None:
            shown_date = f'"{value.date.lexical}"'
        elif value.between:
            shown_date = f"between {value.between[0].lexical} and {value.between[1].lexical}"
        else:
            shown_date = "a relative date"
        return shown_date + (f" ({extra})" if extra else "")
    if isinstance(value, tuple):
        return "[" + ", ".join(str(part) for part in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True, kw_only=True)
class Actor(Item):
    kind: str
    name: str
    alt_names: tuple[str, ...] = ()
    wikidata: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Place(Item):
    name: str
    wikidata: str | None = None
    part_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Post(Item):
    label: str
    organization: str


@dataclass(frozen=True, kw_only=True)
class Tenure(Item):
    holder: str
    post: str
    start: DateSpec | None = None
    end: DateSpec | None = None
    asserted_as: str = "reported"


@dataclass(frozen=True, kw_only=True)
class Event(Item):
    label: str
    type: str
    date: DateSpec | None = None
    start: DateSpec | None = None
    end: DateSpec | None = None
    actors: tuple[str, ...] = ()
    place: str | None = None
    cameo: str | None = None
    part_of: str | None = None
    commemorates: str | None = None
    anniversary: int | None = None
    forecast: bool = False
    asserted_as: str = "reported"
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Who had which role in the event according to this file: (actor id, role codes) pairs."""
    alt_names: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True)
class Factuality:
    """How certain a source other than the claim's asserter is of it (FactBank's value).

    *certainty* is ``certain``, ``probable``, ``possible`` or ``uncommitted``; *negated* says the
    source presents the proposition as not holding; *hedge* holds the words that mark it.
    """

    source: str
    certainty: str = "certain"
    negated: bool = False
    hedge: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def polarity(self) -> str:
        return factual_polarity(self.certainty, self.negated)


def factual_polarity(certainty: str, negated: bool) -> str:
    """FactBank's polarity: ``unknown`` when uncommitted, else ``negative`` or ``positive``."""
    if certainty == "uncommitted":
        return "unknown"
    return "negative" if negated else "positive"


@dataclass(frozen=True, kw_only=True)
class Claim(Item):
    """A statement, a stance or another claim (``kind`` says which)."""

    kind: str
    summary: str
    asserted_as: str
    asserted_by: str | None = None
    agent: str | None = None  # the speaker of a statement, the holder of a stance
    words: tuple[str, ...] = ()
    polarity: str | None = None
    condition: str | None = None
    date: DateSpec | None = None
    event: str | None = None
    in_office: str | None = None
    about: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    target: str | None = None
    cameo: str | None = None
    refers_to: tuple[str, ...] = ()
    based_on: tuple[str, ...] = ()
    forecast: bool = False
    certainty: str = "certain"
    negated: bool = False  # for a statement: the speaker did not say it
    hedge: tuple[str, ...] = ()
    factuality: tuple[Factuality, ...] = ()  # the values of sources other than the asserter
    channel: str | None = None
    scare_quotes: tuple[str, ...] = ()
    unattributed: bool = False  # a stance whose holder the text does not name

    def asserter(self, author: str | None) -> str | None:
        """The actor who asserts the claim: ``asserted_by``, else the speaker or holder of what
        they state themselves, else *author* (the document's) for what the author reports or
        assesses; none for derived and curator facts."""
        if self.asserted_by is not None:
            return self.asserted_by
        if self.asserted_as == "stated":
            return self.agent
        if self.asserted_as in ("reported", "assessment"):
            return author
        return None


@dataclass(frozen=True, kw_only=True)
class Work(Item):
    """A document that facts speak about, not one they are curated from: a fact sheet, the text
    of an agreement, a joint statement (``documents:`` in a facts or registry file)."""

    type: str
    title: str
    publisher: str | None = None
    author: str | None = None
    about: tuple[str, ...] = ()
    language: str | None = None
    url: str | None = None
    date: DateSpec | None = None


@dataclass(frozen=True, kw_only=True)
class Relation(Item):
    """A link of a given type between claims, events, works or relations, that a source asserts."""

    type: str
    sources: tuple[str, ...]
    """The ``from`` end(s)."""
    target: str
    """The ``to`` end."""
    asserted_as: str
    asserted_by: str | None = None
    summary: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Membership(Item):
    """That an actor belongs to a group in a role (the negotiators, led by Zarif), per source."""

    member: str
    group: str
    role: str
    asserted_as: str = "reported"
    asserted_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class Reading(Item):
    """An article's own account of an item a registry file defines, under the item's id.

    Of an actor, place, post or tenure it is a mention (its quotes); of an event, also this
    source's dating, place and assertion of it (``kind`` is the item's section).
    """

    kind: str
    date: DateSpec | None = None
    start: DateSpec | None = None
    end: DateSpec | None = None
    place: str | None = None
    asserted_as: str = "reported"
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Who had which role in the event according to this article: (actor id, role codes) pairs."""


DOCUMENT_SCOPED: tuple[type[Item], ...] = (Claim, Relation, Membership, Reading)
"""Items whose IRIs contain their document's id: each file says them for itself, and two files
may use one id for different ones."""


READING_FIELDS = {
    "actors": ("quote", "note"),
    "places": ("quote", "note"),
    "posts": ("quote", "note"),
    "tenures": ("quote", "note"),
    "events": ("quote", "date", "from", "to", "place", "roles", "asserted_as", "note"),
    "documents": ("quote", "note"),
}
"""The fields an article may give a registry item of each section: its reading of it."""


@dataclass(frozen=True)
class FirstPublication:
    publisher: str
    date: PreciseDate
    line: int
    publisher_line: int
    url: str | None = None
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    url: str
    type: str
    publisher: str
    text_path: Path
    line: int
    author: str | None = None
    author_roles: tuple[str, ...] = ()
    published: PreciseDate | None = None
    first_published: FirstPublication | None = None
    language: str = "en"
    note: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    disclaimer: tuple[Quote, ...] = ()
    """The quoted passage in which the publisher disclaims responsibility for the views."""

    def line_of(self, name: str) -> int:
        """The line of field *name*, or of the document when the field is absent."""
        return self.field_lines.get(name, self.line)

    @property
    def reference_date(self) -> PreciseDate:
        """The date relative dates are resolved against: publication, else first publication."""
        if self.published is not None:
            return self.published
        assert self.first_published is not None
        return self.first_published.date


@dataclass(frozen=True)
class FactsFile:
    """One source document and everything curated about it."""

    path: Path
    document: Document
    text: str
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    posts: tuple[Post, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    items_by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    """The file's own items and, behind them, the registry's (what its references may name)."""
    works: tuple[Work, ...] = ()
    relations: tuple[Relation, ...] = ()
    memberships: tuple[Membership, ...] = ()
    readings: tuple[Reading, ...] = ()
    """The file's readings of registry items (the registry defines them)."""

    def items(self) -> tuple[Item, ...]:
        """Every item the file defines itself, in the order of its sections, then its readings."""
        return (
            *self.actors,
            *self.places,
            *self.posts,
            *self.tenures,
            *self.events,
            *self.claims,
            *self.works,
            *self.relations,
            *self.memberships,
            *self.readings,
        )


_KIND_WORDS: dict[type, str] = {
    Actor: "actor",
    Place: "place",
    Post: "post",
    Tenure: "tenure",
    Event: "event",
    Claim: "statement, stance or claim",
    Work: "document",
    Relation: "relation",
    Membership: "membership",
    Reading: "reading",
}


REGISTRY_SECTIONS = ("actors", "places", "posts", "tenures", "events", "documents")
"""The sections a registry file may have besides ``policykg`` and ``registry``."""


@dataclass(frozen=True)
class Registry:
    """Actors, places, posts, tenures, events and documents defined once for a corpus, in one
    or more registry files."""

    paths: tuple[Path, ...] = ()
    items_by_id: Mapping[str, Item] = field(default_factory=dict)
    defined_in: Mapping[str, Path] = field(default_factory=dict)
    """The registry file of each id."""

    def items(self) -> tuple[Item, ...]:
        """Every item of the registry, by id."""
        return tuple(self.items_by_id[key] for key in sorted(self.items_by_id))

    def where(self, item_id: str) -> str:
        """``file:line`` of the definition of *item_id*."""
        return f"{self.defined_in[item_id]}:{self.items_by_id[item_id].line}"
