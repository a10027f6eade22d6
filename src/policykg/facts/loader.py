"""Load facts files into the typed facts model, with every error at its file and line.

Reading (``reading``) and the schema check (``schema``) come first; this module turns the
checked tree into :mod:`policykg.facts.model` values and checks what a schema cannot: references,
dates, codes of the ontology's SKOS schemes, and the document's text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policykg.errors import FactsError, Location
from policykg.facts.article_text import read_article_text
from policykg.facts.dates import PreciseDate, parse_date
from policykg.facts.model import (
    Actor,
    Claim,
    DateSpec,
    Document,
    Event,
    FactsFile,
    Factuality,
    FirstPublication,
    Item,
    Place,
    Post,
    Quote,
    Registry,
    Tenure,
)
from policykg.facts.reading import LocatedDict, LocatedList, read_yaml
from policykg.facts.references import check_references, check_registry_references
from policykg.facts.schema import check_structure

FACTS_SUFFIXES = (".yaml", ".yml")
REGISTRY_NAMES = ("registry.yaml", "registry.yml")
"""Files with these names, or names ending in ``.`` and one of these, are registry files."""
_CLAIM_SECTIONS = {"statements": "statement", "stances": "stance", "claims": "claim"}


def find_facts_files(paths: Iterable[Path]) -> list[Path]:
    """Expand *paths* (facts files or folders searched recursively) into a sorted file list."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                Path(folder, name)
                for folder, _, names in os.walk(path)
                for name in names
                if name.endswith(FACTS_SUFFIXES) and os.path.isfile(os.path.join(folder, name))
            )
            if not inside:
                raise FactsError("the folder holds no facts files (*.yaml)", Location(path))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise FactsError("no such file or folder", Location(path))
    for path in found:
        _check_name_is_utf8(path)
    return sorted(dict.fromkeys(found))


def _check_name_is_utf8(path: Path) -> None:
    """Refuse a path that is not UTF-8: policykg records paths as text (in the cache, in
    errors), and Python keeps the bytes that are not UTF-8 as lone surrogates that text cannot
    hold."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError as error:
        raise FactsError(
            f"the path holds bytes that are not UTF-8 ({os.fsencode(path)!r})",
            Location(Path(os.fsencode(path).decode("utf-8", "replace"))),
            hint="rename the file or folder with a UTF-8 name",
        ) from error


def is_registry_file(path: Path) -> bool:
    """Whether *path* names a registry file (``registry.yaml``, ``iran.registry.yaml`` …)."""
    name = path.name.lower()
    return any(name == r or name.endswith("." + r) for r in REGISTRY_NAMES)


def load_registry(paths: Iterable[Path]) -> Registry:
    """Read registry files into one registry; raise :class:`FactsError` at the first problem.

    An id may be defined in several registry files only if each gives it the same definition.
    """
    paths = list(paths)
    items: dict[str, Item] = {}
    defined_in: dict[str, Path] = {}
    for path in paths:
        for item in _registry_items(path):
            earlier = items.get(item.id)
            if earlier is not None and earlier.definition() != item.definition():
                raise FactsError(
                    f"'{item.id}' is defined differently in {defined_in[item.id]}:{earlier.line}",
                    Location(path, item.line),
                    fact_id=item.id,
                    hint="define it once, or give both definitions the same fields",
                )
            if earlier is None:
                items[item.id] = item
                defined_in[item.id] = path
    registry = Registry(tuple(paths), dict(sorted(items.items())), defined_in)
    check_registry_references(registry)
    return registry


def _registry_items(path: Path) -> list[Item]:
    tree = read_yaml(path)
    if "document" in tree:
        raise FactsError(
            "a registry file has no 'document': it defines actors, places and posts shared by"
            " articles",
            Location(path, tree.key_lines["document"]),
            hint="rename the file if it holds an article's facts (registry files are named"
            " registry.yaml or <name>.registry.yaml)",
        )
    check_structure(tree, path, registry=True)
    builder = _Builder(path, in_registry=True)
    converters = {"actors": builder.actor, "places": builder.place, "posts": builder.post}
    items: list[Item] = []
    for name, convert in converters.items():
        for item_id, entry in tree.get(name, {}).items():
            items.append(convert(item_id, entry, tree[name].key_lines[item_id]))
    _check_unique_ids(path, tree)
    return items


def load_facts(path: Path, registry: Registry | None = None) -> FactsFile:
    """Read, check and convert one facts file; raise :class:`FactsError` at the first problem.

    References may name the items of *registry*; an item the file defines too must have the
    registry's definition.
    """
    tree = read_yaml(path)
    if "registry" in tree:
        raise FactsError(
            "this is a registry file (it has 'registry:') but its name is not a registry's",
            Location(path, tree.key_lines["registry"]),
            hint="name it registry.yaml or <name>.registry.yaml",
        )
    check_structure(tree, path)
    builder = _Builder(path)
    document = builder.document(tree["document"], tree.key_lines["document"])
    sections: dict[str, list[Any]] = {"actors": [], "places": [], "posts": [], "tenures": []}
    sections.update({"events": [], "claims": []})
    converters = {
        "actors": builder.actor,
        "places": builder.place,
        "posts": builder.post,
        "tenures": builder.tenure,
        "events": builder.event,
    }
    for name, convert in converters.items():
        for item_id, entry in tree.get(name, {}).items():
            sections[name].append(convert(item_id, entry, tree[name].key_lines[item_id]))
    for name, kind in _CLAIM_SECTIONS.items():
        for item_id, entry in tree.get(name, {}).items():
            line = tree[name].key_lines[item_id]
            sections["claims"].append(builder.claim(kind, item_id, entry, line))
    _check_unique_ids(path, tree)
    items: list[Item] = [item for section in sections.values() for item in section]
    shared = registry.items_by_id if registry is not None else {}
    if registry is not None:
        _check_agrees_with_registry(path, items, registry)
    facts = FactsFile(
        path=path,
        document=document,
        text=read_article_text(path, document),
        actors=tuple(sections["actors"]),
        places=tuple(sections["places"]),
        posts=tuple(sections["posts"]),
        tenures=tuple(sections["tenures"]),
        events=tuple(sections["events"]),
        claims=tuple(sections["claims"]),
        items_by_id={**shared, **{item.id: item for item in items}},
    )
    check_references(facts)
    return facts


def _check_agrees_with_registry(path: Path, items: Iterable[Item], registry: Registry) -> None:
    for item in items:
        shared = registry.items_by_id.get(item.id)
        if shared is not None and shared.definition() != item.definition():
            raise FactsError(
                f"'{item.id}' is defined differently in the registry ({registry.where(item.id)})",
                Location(path, item.line),
                fact_id=item.id,
                hint="remove it here to use the registry's definition, or make the two the same",
            )


def _check_unique_ids(path: Path, tree: LocatedDict) -> None:
    """Refuse an id used in two sections (references do not say which section they mean)."""
    first_seen: dict[str, int] = {}
    for section in (*("actors", "places", "posts", "tenures", "events"), *_CLAIM_SECTIONS):
        entries = tree.get(section, {})
        for item_id in entries:
            line = entries.key_lines[item_id]
            if item_id in first_seen:
                raise FactsError(
                    f"the id '{item_id}' is already used at line {first_seen[item_id]}",
                    Location(path, line),
                    fact_id=item_id,
                    hint="ids must be unique across all sections of a file; rename one",
                )
            first_seen[item_id] = line


class _Builder:
    """Converts schema-checked YAML entries into model values, checking dates as it goes."""

    def __init__(self, path: Path, *, in_registry: bool = False) -> None:
        self.path = path
        self.in_registry = in_registry

    def _where(self, entry: LocatedDict, key: str | None = None) -> int:
        if key is not None and key in entry.key_lines:
            return entry.key_lines[key]
        return entry.line

    def quotes(self, entry: LocatedDict) -> tuple[Quote, ...]:
        value = entry.get("quote")
        if value is None:
            return ()
        line = self._where(entry, "quote")
        items = value if isinstance(value, LocatedList) else [value]
        lines = value.item_lines if isinstance(value, LocatedList) else [line]
        quotes = []
        for item, item_line in zip(items, lines, strict=True):
            if isinstance(item, dict):
                quotes.append(Quote(item["text"], item_line, item.get("after"), item.get("start")))
            else:
                quotes.append(Quote(item, item_line))
        return tuple(quotes)

    def _parse(self, value: Any, line: int, item_id: str | None) -> PreciseDate:
        try:
            return parse_date(value)
        except ValueError as error:
            raise FactsError(str(error), Location(self.path, line), fact_id=item_id) from error

    def date(self, entry: LocatedDict, key: str, item_id: str) -> DateSpec | None:
        if key not in entry:
            return None
        value = entry[key]
        line = self._where(entry, key)
        if not isinstance(value, dict):
            return DateSpec(self._parse(value, line, item_id), line)
        spec = DateSpec(
            date=self._parse(value["value"], line, item_id),
            line=line,
            weekday=value.get("weekday"),
            basis=value.get("basis", "stated"),
            source=value.get("source"),
            note=value.get("note"),
        )
        self._check_date_spec(spec, item_id)
        return spec

    def _check_date_spec(self, spec: DateSpec, item_id: str) -> None:
        where = Location(self.path, spec.line)
        if spec.weekday is not None:
            actual = spec.date.weekday_name()
            if actual is None:
                raise FactsError(
                    f"a weekday is given but the date {spec.date} is not a day",
                    where,
                    fact_id=item_id,
                    hint="give the full date YYYY-MM-DD or drop 'weekday'",
                )
            if actual != spec.weekday:
                raise FactsError(
                    f"{spec.date} is a {actual}, not a {spec.weekday}",
                    where,
                    fact_id=item_id,
                    hint="resolve the relative date again against the publication date",
                )
        if spec.basis == "curator" and spec.source is None:
            raise FactsError(
                "a date added by the curator needs its 'source'",
                where,
                fact_id=item_id,
                hint="add 'source: <URL of where the date comes from>'",
            )

    def interval(self, entry: LocatedDict, item_id: str) -> tuple[DateSpec | None, DateSpec | None]:
        start, end = self.date(entry, "from", item_id), self.date(entry, "to", item_id)
        if start and end and start.date.earliest() > end.date.latest():
            raise FactsError(
                f"'to' ({end.date}) is before 'from' ({start.date})",
                Location(self.path, end.line),
                fact_id=item_id,
                hint="swap the dates or correct one",
            )
        return start, end

    def document(self, entry: LocatedDict, line: int) -> Document:
        first = entry.get("first_published")
        first_published = None
        if first is not None:
            first_published = FirstPublication(
                publisher=first["publisher"],
                publisher_line=self._where(first, "publisher"),
                date=self._parse(first["date"], self._where(first, "date"), entry["id"]),
                line=first.line,
                url=first.get("url"),
                quotes=self.quotes(first),
            )
        published = None
        if "published" in entry:
            published = self._parse(
                entry["published"], self._where(entry, "published"), entry["id"]
            )
        if published is None and first_published is None:
            raise FactsError(
                "the document needs 'published' or 'first_published'",
                Location(self.path, line),
                fact_id=entry["id"],
                hint="relative dates and the 'not after publication' check need a date",
            )
        return Document(
            id=entry["id"],
            title=entry["title"],
            url=entry["url"],
            type=entry.get("type", "AnalysisNewsArticle"),
            publisher=entry["publisher"],
            text_path=(self.path.parent / entry["text"]),
            line=line,
            author=entry.get("author"),
            author_roles=tuple(entry.get("author_roles", ())),
            published=published,
            first_published=first_published,
            language=entry.get("language", "en"),
            note=entry.get("note"),
            field_lines=dict(entry.key_lines),
            disclaimer=self.quotes(entry["disclaimer"]) if "disclaimer" in entry else (),
        )

    def _common(self, item_id: str, entry: LocatedDict, line: int) -> dict[str, Any]:
        quotes = self.quotes(entry)
        if self.in_registry and quotes:
            raise FactsError(
                "a registry has no source text to quote",
                Location(self.path, self._where(entry, "quote")),
                fact_id=item_id,
                hint="give the quote in the article that mentions it, or a 'source' URL here",
            )
        if not quotes and "source" not in entry and not self.in_registry:
            raise FactsError(
                "no evidence: give the 'quote' from the text that supports this",
                Location(self.path, line),
                fact_id=item_id,
                hint="add 'quote: <exact words of the text>' (or 'source: <URL>' for a fact"
                " added from elsewhere, with asserted_as: curator)",
            )
        if entry.get("asserted_as") == "curator" and "source" not in entry:
            raise FactsError(
                "a fact added by the curator needs its 'source'",
                Location(self.path, self._where(entry, "asserted_as")),
                fact_id=item_id,
                hint="add 'source: <URL of where the fact comes from>'",
            )
        return {
            "id": item_id,
            "line": line,
            "field_lines": dict(entry.key_lines),
            "quotes": quotes,
            "source": entry.get("source"),
            "note": entry.get("note"),
        }

    def actor(self, item_id: str, entry: LocatedDict, line: int) -> Actor:
        return Actor(
            **self._common(item_id, entry, line),
            kind=entry["type"],
            name=entry["name"],
            alt_names=tuple(entry.get("alt_names", ())),
            wikidata=entry.get("wikidata"),
            members=tuple(entry.get("members", ())),
        )

    def place(self, item_id: str, entry: LocatedDict, line: int) -> Place:
        return Place(
            **self._common(item_id, entry, line),
            name=entry["name"],
            wikidata=entry.get("wikidata"),
            part_of=entry.get("part_of"),
        )

    def post(self, item_id: str, entry: LocatedDict, line: int) -> Post:
        return Post(
            **self._common(item_id, entry, line),
            label=entry["label"],
            organization=entry["organization"],
        )

    def tenure(self, item_id: str, entry: LocatedDict, line: int) -> Tenure:
        start, end = self.interval(entry, item_id)
        return Tenure(
            **self._common(item_id, entry, line),
            holder=entry["holder"],
            post=entry["post"],
            start=start,
            end=end,
            asserted_as=entry.get("asserted_as", "reported"),
        )

    def event(self, item_id: str, entry: LocatedDict, line: int) -> Event:
        start, end = self.interval(entry, item_id)
        date = self.date(entry, "date", item_id)
        if date is not None and (start or end):
            raise FactsError(
                "an event has either 'date' or 'from'/'to', not both",
                Location(self.path, self._where(entry, "date")),
                fact_id=item_id,
                hint="use 'date' for a point in time, 'from'/'to' for a span",
            )
        commemorates = entry.get("commemorates") or {}
        return Event(
            **self._common(item_id, entry, line),
            label=entry["label"],
            type=entry["type"],
            date=date,
            start=start,
            end=end,
            actors=tuple(entry.get("actors", ())),
            place=entry.get("place"),
            cameo=entry.get("cameo"),
            part_of=entry.get("part_of"),
            commemorates=commemorates.get("event"),
            anniversary=commemorates.get("anniversary"),
            forecast=entry.get("forecast", False),
            asserted_as=entry.get("asserted_as", "reported"),
        )

    def claim(self, kind: str, item_id: str, entry: LocatedDict, line: int) -> Claim:
        return Claim(
            **self._common(item_id, entry, line),
            kind=kind,
            summary=entry["summary"],
            asserted_as=entry["asserted_as"],
            asserted_by=entry.get("asserted_by"),
            agent=entry.get("speaker", entry.get("holder")),
            words=tuple(entry.get("words", ())),
            polarity=entry.get("polarity"),
            condition=entry.get("condition"),
            date=self.date(entry, "date", item_id),
            event=entry.get("event"),
            in_office=entry.get("in_office"),
            about=tuple(entry.get("about", ())),
            topics=tuple(entry.get("topics", ())),
            target=entry.get("target"),
            cameo=entry.get("cameo"),
            refers_to=tuple(entry.get("refers_to", ())),
            based_on=tuple(entry.get("based_on", ())),
            forecast=entry.get("forecast", False),
            certainty=entry.get("certainty", "certain"),
            negated=entry.get("negated", False),
            hedge=tuple(entry.get("hedge", ())),
            factuality=self.factualities(entry.get("factuality")),
            channel=entry.get("channel"),
            scare_quotes=tuple(entry.get("scare_quotes", ())),
            unattributed=entry.get("unattributed", False),
        )

    def factualities(self, values: LocatedList | None) -> tuple[Factuality, ...]:
        """The long form of factuality: one value per further source, at its own line."""
        if values is None:
            return ()
        return tuple(
            Factuality(
                source=value["source"],
                certainty=value.get("certainty", "certain"),
                negated=value.get("negated", False),
                hedge=tuple(value.get("hedge", ())),
                line=line,
            )
            for value, line in zip(values, values.item_lines, strict=True)
        )
