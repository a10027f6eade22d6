"""The facts model: what a facts file says, as frozen, typed values (no RDF here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from policykg.facts.dates import PreciseDate


@dataclass(frozen=True)
class Quote:
    """Words of the source text that support a fact, as the curator typed them."""

    text: str
    line: int
    after: str | None = None
    start: int | None = None


@dataclass(frozen=True)
class DateSpec:
    """A date of a fact, with where the date comes from."""

    date: PreciseDate
    line: int
    weekday: str | None = None
    basis: str = "stated"
    source: str | None = None
    note: str | None = None


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
    return [f for f in fields(item) if f.name not in ("line", "quotes", "field_lines")]


def _defined(value: Any) -> Any:
    if isinstance(value, DateSpec):
        return (value.date.lexical, value.weekday, value.basis, value.source, value.note)
    return value


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

    def items(self) -> tuple[Item, ...]:
        """Every item the file defines itself, in the order of its sections."""
        return (*self.actors, *self.places, *self.posts, *self.tenures, *self.events, *self.claims)


REGISTRY_SECTIONS = ("actors", "places", "posts")
"""The sections a registry file may have besides ``policykg`` and ``registry``."""


@dataclass(frozen=True)
class Registry:
    """Actors, places and posts defined once for a corpus, in one or more registry files."""

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
