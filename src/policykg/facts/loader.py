"""Load facts files into the typed facts model, with every error at its file and line.

Reading (``reading``) and the schema check (``schema``) come first; this module turns the
checked tree into :mod:`policykg.facts.model` values and checks what a schema cannot: references,
dates, codes of the ontology's SKOS schemes, and the document's text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policykg.errors import FactsError, Location
from policykg.facts.article_text import read_article_text
from policykg.facts.date_specs import check_interval, read_date_mapping, resolve_offsets
from policykg.facts.dates import PreciseDate, parse_date
from policykg.facts.model import (
    READING_FIELDS,
    Actor,
    Claim,
    DateSpec,
    Document,
    Event,
    FactsFile,
    Factuality,
    FirstPublication,
    Item,
    Membership,
    Place,
    Post,
    Quote,
    Reading,
    Registry,
    Relation,
    Tenure,
    Work,
    first_difference,
    shown,
)
from policykg.facts.reading import LocatedDict, LocatedList, read_yaml
from policykg.facts.references import (
    WikidataUse,
    check_references,
    check_registry_references,
    check_wikidata_identity,
    wikidata_uses,
)
from policykg.facts.schema import check_structure

FACTS_SUFFIXES = (".yaml", ".yml")
REGISTRY_NAMES = ("registry.yaml", "registry.yml")
"""Files with these names, or names ending in ``.`` and one of these, are registry files."""
_CLAIM_SECTIONS = {"statements": "statement", "stances": "stance", "claims": "claim"}
_ITEM_WORDS = {
    "actors": "an actor",
    "places": "a place",
    "posts": "a post",
    "tenures": "a tenure",
    "events": "an event",
    "documents": "a document",
}
_SECTION_OF = {
    Actor: "actors",
    Place: "places",
    Post: "posts",
    Tenure: "tenures",
    Event: "events",
    Work: "documents",
}
DEFINING_FIELDS = {
    "actors": ("type", "name"),
    "places": ("name",),
    "posts": ("label", "organization"),
    "tenures": ("holder", "post"),
    "events": ("label", "type"),
    "documents": ("type", "title"),
}
"""The fields a file that defines an item of each section must give (the schema's ``required``
of a definition; a reading of a registry item has none of them)."""


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
            difference = None if earlier is None else first_difference(earlier, item)
            if earlier is not None and difference is not None:
                name, first, here = difference
                raise FactsError(
                    f"'{item.id}' is defined differently in {defined_in[item.id]}:{earlier.line}"
                    f" (field '{name}' differs: {first} there, {here} here)",
                    Location(path, item.line),
                    fact_id=item.id,
                    hint="define it once, or give both definitions the same fields",
                )
            if earlier is None:
                items[item.id] = item
                defined_in[item.id] = path
    registry = Registry(tuple(paths), dict(sorted(items.items())), defined_in)
    check_registry_references(registry)
    check_wikidata_identity(registry_wikidata_uses(registry))
    return registry


def registry_wikidata_uses(registry: Registry) -> list[WikidataUse]:
    """The Wikidata entities that the registry's items name, with where."""
    return [
        use
        for item in registry.items()
        for use in wikidata_uses([item], registry.defined_in[item.id])
    ]


def _registry_items(path: Path) -> list[Item]:
    tree = read_yaml(path)
    if "document" in tree:
        raise FactsError(
            "a registry file has no 'document': it defines the actors, places, posts, tenures and"
            " events that articles share",
            Location(path, tree.key_lines["document"]),
            hint="rename the file if it holds an article's facts (registry files are named"
            " registry.yaml or <name>.registry.yaml)",
        )
    refuse_drafts(path, tree)
    check_structure(tree, path, registry=True)
    builder = _Builder(path, in_registry=True)
    converters = {
        "actors": builder.actor,
        "places": builder.place,
        "posts": builder.post,
        "tenures": builder.tenure,
        "events": builder.event,
        "documents": builder.work,
    }
    items: list[Item] = []
    for name, convert in converters.items():
        for item_id, entry in tree.get(name, {}).items():
            items.append(convert(item_id, entry, tree[name].key_lines[item_id]))
    _check_unique_ids(path, tree)
    return items


def load_facts(
    path: Path, registry: Registry | None = None, *, files: Mapping[Path, bytes] | None = None
) -> FactsFile:
    """Read, check and convert one facts file; raise :class:`FactsError` at the first problem.

    References may name the items of *registry*. An entry under a registry item's id is this
    file's reading of it, and gives only the reading fields of its section
    (:data:`~policykg.facts.model.READING_FIELDS`). *files* holds the content of the facts file
    and of its article text, by path, when they were read elsewhere (a build on a cluster); a
    file not in it is read from disk.
    """
    files = files or {}
    tree = read_yaml(path, files.get(path))
    if "registry" in tree:
        raise FactsError(
            "this is a registry file (it has 'registry:') but its name is not a registry's",
            Location(path, tree.key_lines["registry"]),
            hint="name it registry.yaml or <name>.registry.yaml",
        )
    registry = registry or Registry()
    refuse_drafts(path, tree)
    check_structure(tree, path, shared=registry.items_by_id)
    builder = _Builder(path)
    document = builder.document(tree["document"], tree.key_lines["document"])
    sections: dict[str, list[Any]] = {"actors": [], "places": [], "posts": [], "tenures": []}
    sections.update({"events": [], "claims": [], "documents": [], "relations": []})
    sections["memberships"] = []
    converters = {
        "actors": builder.actor,
        "places": builder.place,
        "posts": builder.post,
        "tenures": builder.tenure,
        "events": builder.event,
    }
    readings: list[Reading] = []
    for name, convert in converters.items():
        for item_id, entry in tree.get(name, {}).items():
            line = tree[name].key_lines[item_id]
            if item_id in registry.items_by_id:
                readings.append(builder.reading(name, item_id, entry, line, registry))
            else:
                builder.check_defines(name, item_id, entry, line, registry)
                sections[name].append(convert(item_id, entry, line))
    for name, kind in _CLAIM_SECTIONS.items():
        for item_id, entry in tree.get(name, {}).items():
            line = tree[name].key_lines[item_id]
            sections["claims"].append(builder.claim(kind, item_id, entry, line))
    later = {
        "documents": builder.work,
        "relations": builder.relation,
        "memberships": builder.membership,
    }
    for name, convert in later.items():
        for item_id, entry in tree.get(name, {}).items():
            line = tree[name].key_lines[item_id]
            if name == "documents" and item_id in registry.items_by_id:
                readings.append(builder.reading(name, item_id, entry, line, registry))
                continue
            if name == "documents":
                builder.check_defines(name, item_id, entry, line, registry)
            sections[name].append(convert(item_id, entry, line))
    _check_unique_ids(path, tree)
    items: list[Item] = [item for section in sections.values() for item in section]
    facts = FactsFile(
        path=path,
        document=document,
        text=read_article_text(path, document, files.get(document.text_path)),
        actors=tuple(sections["actors"]),
        places=tuple(sections["places"]),
        posts=tuple(sections["posts"]),
        tenures=tuple(sections["tenures"]),
        events=tuple(sections["events"]),
        claims=tuple(sections["claims"]),
        items_by_id={**registry.items_by_id, **{item.id: item for item in items}},
        works=tuple(sections["documents"]),
        relations=tuple(sections["relations"]),
        memberships=tuple(sections["memberships"]),
        readings=tuple(readings),
    )
    check_references(facts)
    return resolve_offsets(facts) if builder.offsets else facts


DRAFT_KEY = "draft"
"""The key ``policykg draft`` marks its proposals with; an item that still has it is refused."""


def refuse_drafts(path: Path, tree: LocatedDict) -> None:
    """Refuse an item still marked ``draft:``: nothing unconfirmed enters the graph."""
    for section, entries in tree.items():
        if not isinstance(entries, LocatedDict) or section == "document":
            continue
        for item_id, entry in entries.items():
            if isinstance(entry, LocatedDict) and DRAFT_KEY in entry:
                raise FactsError(
                    f"'{item_id}' is a proposal of policykg draft, not yet confirmed:"
                    " confirm or delete it",
                    Location(path, entry.key_lines[DRAFT_KEY]),
                    fact_id=str(item_id),
                    hint="check its fields and quote, then delete the line `draft: true` to"
                    " confirm it, or delete the whole item",
                )


def _check_unique_ids(path: Path, tree: LocatedDict) -> None:
    """Refuse an id used in two sections (references do not say which section they mean)."""
    first_seen: dict[str, int] = {}
    sections = (*("actors", "places", "posts", "tenures", "events"), *_CLAIM_SECTIONS)
    for section in (*sections, "documents", "relations", "memberships"):
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
        self.offsets = False
        """Whether a date of the file is an offset (their bounds are worked out at the end)."""

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
        if "value" not in value:  # a range, or a date relative to other times
            assert isinstance(value, LocatedDict)
            spec = read_date_mapping(value, line, self.path, item_id)
            self.offsets = self.offsets or spec.offset is not None
            self._check_date_spec(spec, item_id)
            return spec
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
        if spec.weekday is not None and spec.is_single:
            assert spec.date is not None
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
        check_interval(start, end, self.path, item_id)
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
            asserted_as=self._asserted_as(item_id, entry, line, "tenure"),
        )

    def _asserted_as(self, item_id: str, entry: LocatedDict, line: int, kind: str) -> str:
        """Who asserts a tenure or event: in an article, as *entry* says (default: reported);
        in a registry, the curator, from the ``source`` the entry must give."""
        if not self.in_registry:
            return str(entry.get("asserted_as", "reported"))
        if "asserted_as" in entry:
            raise FactsError(
                f"a registry {kind} has no 'asserted_as': the registry's items are the curator's",
                Location(self.path, self._where(entry, "asserted_as")),
                fact_id=item_id,
                hint="remove it here; how an article asserts it goes in that article's reading",
            )
        if "source" not in entry:
            raise FactsError(
                f"a registry {kind} needs its 'source': the curator adds it from elsewhere",
                Location(self.path, line),
                fact_id=item_id,
                hint="add 'source: <URL of where it is documented>'",
            )
        return "curator"

    def _when(
        self, entry: LocatedDict, item_id: str
    ) -> tuple[DateSpec | None, DateSpec | None, DateSpec | None]:
        """The ``date``, or the ``from`` and ``to``, of an event or a reading of one."""
        start, end = self.interval(entry, item_id)
        date = self.date(entry, "date", item_id)
        if date is not None and (start or end):
            raise FactsError(
                "an event has either 'date' or 'from'/'to', not both",
                Location(self.path, self._where(entry, "date")),
                fact_id=item_id,
                hint="use 'date' for a point in time, 'from'/'to' for a span",
            )
        return date, start, end

    def event(self, item_id: str, entry: LocatedDict, line: int) -> Event:
        date, start, end = self._when(entry, item_id)
        commemorates = entry.get("commemorates") or {}
        roles = entry.get("roles") or {}
        if roles and self.in_registry:
            raise FactsError(
                "roles are what an article says of an event, not what a registry defines",
                Location(self.path, self._where(entry, "roles")),
                fact_id=item_id,
                hint="give the roles in the article that reports them",
            )
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
            asserted_as=self._asserted_as(item_id, entry, line, "event"),
            alt_names=tuple(entry.get("alt_names", ())),
            wikidata=entry.get("wikidata"),
            roles=_roles(roles),
        )

    def check_defines(
        self, section: str, item_id: str, entry: LocatedDict, line: int, registry: Registry
    ) -> None:
        """Refuse an entry that defines *item_id* (no registry file does) without the fields
        a definition needs: the schema lets an entry of reading fields only through, as it
        cannot know which ids the registry holds."""
        for name in DEFINING_FIELDS[section]:
            if name not in entry:
                where = (
                    "no registry file defines it"
                    if registry.paths
                    else "no registry file is part of this build"
                )
                raise FactsError(
                    f"'{name}' is missing: '{item_id}' is defined here, as {where}",
                    Location(self.path, line),
                    fact_id=item_id,
                    hint=f"add '{name}:' to this entry, or define '{item_id}' in a registry file"
                    " (registry.yaml) and build it with this file",
                )

    def reading(
        self, section: str, item_id: str, entry: LocatedDict, line: int, registry: Registry
    ) -> Reading:
        """This file's reading of the registry item *item_id*: only the fields of
        :data:`~policykg.facts.model.READING_FIELDS`, and a quote."""
        shared = registry.items_by_id[item_id]
        defined = _SECTION_OF.get(type(shared))
        if defined != section:
            raise FactsError(
                f"'{item_id}' is listed under '{section}' here, but the registry defines it as"
                f" {_ITEM_WORDS[defined] if defined else 'something else'}"
                f" ({registry.where(item_id)})",
                Location(self.path, line),
                fact_id=item_id,
                hint=f"give this article's reading of it under '{defined}:', or give this"
                " article's item another id",
            )
        allowed = READING_FIELDS[section]
        for name in sorted(entry, key=entry.key_lines.__getitem__):
            if name not in allowed:
                raise self._restated(section, item_id, entry, name, registry)
        if "quote" not in entry:
            raise FactsError(
                f"this reading of '{item_id}' (defined in {registry.where(item_id)}) has no"
                " 'quote'",
                Location(self.path, line),
                fact_id=item_id,
                hint="quote the words of this article that speak of it, or remove the entry: the"
                " article can refer to the registry's id without it",
            )
        if entry.get("asserted_as") == "curator":
            raise FactsError(
                "a reading is this article's account: it cannot be the curator's",
                Location(self.path, self._where(entry, "asserted_as")),
                fact_id=item_id,
                hint=f"give the curator's date of '{item_id}' in the registry"
                f" ({registry.where(item_id)}), with its source",
            )
        date, start, end = self._when(entry, item_id)
        return Reading(
            **self._common(item_id, entry, line),
            kind=section,
            date=date,
            start=start,
            end=end,
            place=entry.get("place"),
            asserted_as=entry.get("asserted_as", "reported"),
            roles=_roles(entry.get("roles") or {}),
        )

    def _restated(
        self, section: str, item_id: str, entry: LocatedDict, name: str, registry: Registry
    ) -> FactsError:
        shared = registry.items_by_id[item_id]
        kind = _ITEM_WORDS[section].split(" ", 1)[1]
        registry_value = shown(getattr(shared, _MODEL_NAMES.get((kind, name), name), None))
        here = _shown_entry(entry[name])
        values = (
            "the registry gives it the same value"
            if registry_value == here
            else f"registry: {registry_value}, here: {here}"
        )
        return FactsError(
            f"{kind} '{item_id}' is defined in {registry.where(item_id)}; an article gives only"
            f" its reading of a shared {kind} ({', '.join(READING_FIELDS[section])}),"
            f" not '{name}' ({values})",
            Location(self.path, entry.key_lines[name]),
            fact_id=item_id,
            hint=f"remove '{name}' here (or change it in the registry), or give this article's"
            f" {kind} another id",
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

    def work(self, item_id: str, entry: LocatedDict, line: int) -> Work:
        return Work(
            **self._common(item_id, entry, line),
            type=entry["type"],
            title=entry["title"],
            publisher=entry.get("publisher"),
            author=entry.get("author"),
            about=tuple(entry.get("about", ())),
            language=entry.get("language"),
            url=entry.get("url"),
            date=self.date(entry, "date", item_id),
        )

    def relation(self, item_id: str, entry: LocatedDict, line: int) -> Relation:
        sources = entry["from"]
        if entry["asserted_as"] == "stated" and "asserted_by" not in entry:
            raise FactsError(
                "a relation stated in someone's own words needs 'asserted_by'",
                Location(self.path, self._where(entry, "asserted_as")),
                fact_id=item_id,
                hint="add 'asserted_by: <actor id>' (whose words they are)",
            )
        return Relation(
            **self._common(item_id, entry, line),
            type=entry["type"],
            sources=(sources,) if isinstance(sources, str) else tuple(sources),
            target=entry["to"],
            asserted_as=entry["asserted_as"],
            asserted_by=entry.get("asserted_by"),
            summary=entry.get("summary"),
            topics=tuple(entry.get("topics", ())),
            certainty=entry.get("certainty", "certain"),
            negated=entry.get("negated", False),
            hedge=tuple(entry.get("hedge", ())),
        )

    def membership(self, item_id: str, entry: LocatedDict, line: int) -> Membership:
        return Membership(
            **self._common(item_id, entry, line),
            member=entry["member"],
            group=entry["group"],
            role=entry["role"],
            asserted_as=entry.get("asserted_as", "reported"),
            asserted_by=entry.get("asserted_by"),
        )


def _roles(roles: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An event's ``roles`` mapping as (actor id, role codes) pairs."""
    return tuple(
        (actor, (codes,) if isinstance(codes, str) else tuple(codes))
        for actor, codes in roles.items()
    )


_MODEL_NAMES = {
    ("actor", "type"): "kind",
    ("tenure", "from"): "start",
    ("tenure", "to"): "end",
    ("event", "from"): "start",
    ("event", "to"): "end",
}
"""The model field of a facts field named otherwise, by kind of item."""


def _shown_entry(value: Any) -> str:
    """A value as the facts file gives it, written as :func:`~.model.shown` writes the model's."""
    if isinstance(value, dict):
        if "value" in value:
            return f'"{value["value"]}"'
        if "event" in value:
            return f'"{value["event"]}"'
        return "{…}"
    if isinstance(value, list):
        return "[" + ", ".join(str(part) for part in value) + "]"
    return shown(value)
