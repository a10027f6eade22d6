"""Check what refers to what inside one facts file, and the codes of the SKOS schemes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

from policykg.errors import FactsError, Location
from policykg.facts.date_specs import date_specs
from policykg.facts.grounding import fold
from policykg.facts.model import (
    PUBLISHED,
    Actor,
    Claim,
    Document,
    Event,
    FactsFile,
    Item,
    Membership,
    Place,
    Post,
    Reading,
    Registry,
    Relation,
    Tenure,
    Work,
)
from policykg.namespaces import WIKIDATA
from policykg.resources import scheme_codes, scheme_labels

_KIND_NAMES = {
    Actor: "an actor",
    Place: "a place",
    Post: "a post",
    Tenure: "a tenure",
    Event: "an event",
    Claim: "a statement, stance or claim",
    Work: "a document (of 'documents')",
    Relation: "a relation",
    Membership: "a membership",
}
_ORGANIZATION_KINDS = {"state", "organization", "collaboration"}
_RELATION_ENDS = (Claim, Event, Work, Relation)
_ACCOUNTS = (Claim, Work)
"""What a dispute is between: accounts of something, by an actor (a claim) or in a document."""


def check_references(facts: FactsFile) -> None:
    """Raise :class:`FactsError` for a dangling or ill-typed reference, or an unknown code."""
    checker = _Checker(facts.path, facts.items_by_id, facts.document)
    checker.document()
    for item in facts.items():
        checker.item(item)


WikidataUse = tuple[str, str, str, str, int]
"""(Wikidata id, kind of item, item id, file, line) of an item that names a Wikidata entity."""


def wikidata_uses(items: Iterable[Item], path: Path | str) -> list[WikidataUse]:
    """The Wikidata entities that *items*, defined in the file *path*, name."""
    uses = []
    for item in items:
        qid = getattr(item, "wikidata", None)
        if qid is not None and not isinstance(item, Reading):
            kind = _KIND_NAMES[type(item)].split(" ", 1)[1]
            uses.append((qid, kind, item.id, str(path), item.line_of("wikidata")))
    return uses


def check_wikidata_identity(uses: Iterable[WikidataUse]) -> None:
    """Refuse two ids of one kind (actor, place or event) that name one Wikidata entity: they
    are one real-world thing, which needs one id. An actor and a place may share an entity (a
    state and its territory)."""
    first_use: dict[tuple[str, str], WikidataUse] = {}
    for use in uses:
        qid, kind, item_id, path, line = use
        first = first_use.setdefault((kind, qid), use)
        if first[2] != item_id:
            raise FactsError(
                f"{first[3]}:{first[4]} ({kind} '{first[2]}', wikidata {qid}) and {path}:{line}"
                f" ({kind} '{item_id}', wikidata {qid}) name the same Wikidata item"
                f" {WIKIDATA[qid]}",
                Location(Path(path), line),
                fact_id=item_id,
                hint="merge the two ids into one (defined once, in a registry file if several"
                " files speak of it), or correct one of the Wikidata ids",
            )


def check_registry_references(registry: Registry) -> None:
    """Raise :class:`FactsError` for a registry item that names what the registry lacks."""
    for item in registry.items():
        _Checker(registry.defined_in[item.id], registry.items_by_id, None).item(item)


class _Checker:
    def __init__(
        self, path: Path, items_by_id: Mapping[str, Item], document: Document | None
    ) -> None:
        self.path = path
        self.items_by_id = items_by_id
        self._document = document

    def _fail(
        self,
        item: Item | None,
        field: str,
        message: str,
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        where = item or self._document
        assert where is not None, "document fields are checked only in articles"
        line = line or where.line_of(field)
        raise FactsError(
            message,
            Location(self.path, line),
            fact_id=where.id,
            hint=hint,
        )

    def ref(
        self,
        item: Item | None,
        field: str,
        target: str | None,
        *kinds: type,
        line: int | None = None,
    ) -> Item | None:
        if target is None:
            return None
        found = self.items_by_id.get(target)
        wanted = " or ".join(_KIND_NAMES[kind] for kind in kinds)
        if found is None:
            self._fail(
                item,
                field,
                f"'{field}' refers to '{target}', which is not defined in this file"
                + ("" if self._document is None else " or its registry"),
                f"define '{target}' as {wanted}, or correct the id",
                line,
            )
        elif not isinstance(found, kinds):
            self._fail(
                item,
                field,
                f"'{field}' must name {wanted}, but '{target}' is {_KIND_NAMES[type(found)]}",
                line=line,
            )
        return found

    def refs(self, item: Item, field: str, targets: tuple[str, ...], *kinds: type) -> None:
        for target in targets:
            self.ref(item, field, target, *kinds)
            if target == item.id:
                self._fail(item, field, f"'{field}' refers to the item itself")

    def code(self, item: Item, field: str, value: str | None, scheme: str) -> None:
        if value is None:
            return
        codes = scheme_codes(scheme)
        if value not in codes:
            guess = closest_code(scheme, value)
            self._fail(
                item,
                field,
                f"'{value}' is not in the ontology's {scheme} scheme",
                (f"did you mean '{guess}'? " if guess else "")
                + f"use one of: {', '.join(sorted(codes))}",
            )

    def document(self) -> None:
        document = self._document
        assert document is not None
        self.ref(None, "publisher", document.publisher, Actor)
        self.ref(None, "author", document.author, Actor)
        if document.first_published is not None:
            first = document.first_published
            self.ref(None, "publisher", first.publisher, Actor, line=first.publisher_line)

    def item(self, item: Item) -> None:
        if isinstance(item, Actor):
            self.refs(item, "members", item.members, Actor)
            if item.members and item.kind != "collaboration":
                self._fail(
                    item,
                    "members",
                    f"only a collaboration has members, but '{item.id}' is a {item.kind}",
                    "give it type: collaboration (a formal grouping such as the P5+1), or drop"
                    " 'members'",
                )
        elif isinstance(item, Place):
            self.ref(item, "part_of", item.part_of, Place)
            if item.part_of == item.id:
                self._fail(item, "part_of", "a place cannot be part of itself")
            self._no_part_of_cycle(item)
        elif isinstance(item, Post):
            organization = self.ref(item, "organization", item.organization, Actor)
            if isinstance(organization, Actor) and organization.kind not in _ORGANIZATION_KINDS:
                self._fail(
                    item,
                    "organization",
                    f"'{item.organization}' is a {organization.kind},"
                    " but a post is in a state, organization or collaboration",
                )
        elif isinstance(item, Tenure):
            self.ref(item, "holder", item.holder, Actor)
            self.ref(item, "post", item.post, Post)
        elif isinstance(item, Event):
            self.event(item)
        elif isinstance(item, Claim):
            self.claim(item)
        elif isinstance(item, Work):
            self.work(item)
        elif isinstance(item, Relation):
            self.relation(item)
        elif isinstance(item, Membership):
            self.membership(item)
        elif isinstance(item, Reading):
            self.ref(item, "place", item.place, Place)
            self.roles(item, item.roles)
        if isinstance(item, (Event, Claim, Tenure)):
            self.anchors(item)

    def anchors(self, item: Event | Claim | Tenure) -> None:
        """Each event a relative date is counted from exists (or is ``published``)."""
        for name, spec in date_specs(item):
            if spec.bounds is None:
                continue  # a single date, the common case
            for anchor in spec.anchors:
                if anchor == PUBLISHED:
                    if PUBLISHED in self.items_by_id:
                        self._fail(
                            item,
                            name,
                            f"'{PUBLISHED}' is both the publication date and an id of this file",
                            f"rename the item '{PUBLISHED}': the word means the publication date",
                            spec.line,
                        )
                    continue
                self.ref(item, name, anchor, Event, line=spec.line)
                if anchor == item.id:
                    self._fail(
                        item,
                        name,
                        f"the date of '{item.id}' is counted from '{item.id}' itself",
                        "count it from another event, or from 'published'",
                        spec.line,
                    )

    def event(self, event: Event) -> None:
        self.refs(event, "actors", event.actors, Actor)
        self.ref(event, "place", event.place, Place)
        self.ref(event, "part_of", event.part_of, Event)
        self.ref(event, "commemorates", event.commemorates, Event)
        self.code(event, "type", event.type, "eventtype")
        self.code(event, "cameo", event.cameo, "cameo")
        if event.part_of == event.id or event.commemorates == event.id:
            self._fail(event, "part_of", "an event cannot be part of or commemorate itself")
        self._no_part_of_cycle(event)
        self.roles(event, event.roles)

    def roles(self, item: Item, roles: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        for actor, codes in roles:
            self.ref(item, "roles", actor, Actor)
            for code in codes:
                self.code(item, "roles", code, "role")

    def _no_part_of_cycle(self, item: Event | Place) -> None:
        seen = [item.id]
        current = item
        while current.part_of is not None:
            parent = self.items_by_id[current.part_of]
            assert isinstance(parent, Event | Place)
            if parent.id in seen:
                cycle = " → ".join([*seen, parent.id])
                self._fail(item, "part_of", f"'part_of' makes a cycle: {cycle}")
            seen.append(parent.id)
            current = parent

    def claim(self, claim: Claim) -> None:
        agent_field = "speaker" if claim.kind == "statement" else "holder"
        self.ref(claim, agent_field, claim.agent, Actor)
        self.ref(claim, "asserted_by", claim.asserted_by, Actor)
        self.ref(claim, "target", claim.target, Actor)
        self.ref(claim, "event", claim.event, Event)
        tenure = self.ref(claim, "in_office", claim.in_office, Tenure)
        if isinstance(tenure, Tenure) and claim.agent is not None and tenure.holder != claim.agent:
            self._fail(
                claim,
                "in_office",
                f"the tenure '{tenure.id}' is held by '{tenure.holder}',"
                f" not by the {agent_field} '{claim.agent}'",
            )
        self.refs(claim, "about", claim.about, Actor, Place, Post, Tenure, Event, Work)
        self.refs(claim, "refers_to", claim.refers_to, Claim)
        self.refs(claim, "based_on", claim.based_on, Claim)
        for topic in claim.topics:
            self.code(claim, "topics", topic, "topic")
        self.code(claim, "polarity", claim.polarity, "polarity")
        self.code(claim, "cameo", claim.cameo, "cameo")
        self.code(claim, "channel", claim.channel, "channel")
        self.words_in_quote(claim, "words", claim.words, "the speaker's own words")
        self.words_in_quote(claim, "hedge", claim.hedge, "the words that mark the certainty")
        self.words_in_quote(claim, "scare_quotes", claim.scare_quotes, "the author's scare quotes")
        self.factuality(claim)

    def words_in_quote(
        self, claim: Claim, field: str, words: tuple[str, ...], what: str, line: int | None = None
    ) -> None:
        """Each of *words* must occur in one passage of the claim's quote; a curator's fact, which
        has no quote, carries words from its source, which the build cannot read."""
        if not words or not claim.quotes:
            return
        passages = [fold(quote.text) for quote in claim.quotes]
        for value in words:
            if not any(fold(value) in passage for passage in passages):
                self._fail(
                    claim,
                    field,
                    f"the words {value!r} are not inside the claim's quote",
                    f"'{field}' are {what}, within the quoted passage",
                    line,
                )

    def work(self, work: Work) -> None:
        self.code(work, "type", work.type, "doctype")
        self.ref(work, "publisher", work.publisher, Actor)
        self.ref(work, "author", work.author, Actor)
        self.refs(work, "about", work.about, Actor, Place, Post, Tenure, Event, Work)

    def relation(self, relation: Relation) -> None:
        self.code(relation, "type", relation.type, "relation")
        self.refs(relation, "from", relation.sources, *_RELATION_ENDS)
        self.ref(relation, "to", relation.target, *_RELATION_ENDS)
        if relation.target == relation.id:
            self._fail(relation, "to", "'to' refers to the relation itself")
        if relation.target in relation.sources:
            self._fail(
                relation,
                "to",
                f"'{relation.target}' is both 'from' and 'to': a relation links two different"
                " things",
            )
        self.ref(relation, "asserted_by", relation.asserted_by, Actor)
        for topic in relation.topics:
            self.code(relation, "topics", topic, "topic")
        if relation.type == "disputes":
            self._disputed_accounts(relation)

    def _disputed_accounts(self, relation: Relation) -> None:
        """Two accounts dispute each other only if they are accounts of the same thing."""
        target = self.items_by_id[relation.target]
        for source_id in relation.sources:
            source = self.items_by_id[source_id]
            for end, field in ((source, "from"), (target, "to")):
                if not isinstance(end, _ACCOUNTS):
                    self._fail(
                        relation,
                        field,
                        f"'{end.id}' is {_KIND_NAMES[type(end)]}, but a dispute is between"
                        " accounts: statements, stances, claims or documents",
                        "use 'contradicts' or another type for other links",
                    )
            assert isinstance(source, _ACCOUNTS) and isinstance(target, _ACCOUNTS)
            if not set(source.about) & set(target.about):
                self._fail(
                    relation,
                    "from",
                    f"'{source.id}' and '{target.id}' are not about a common item, so they"
                    " cannot be accounts in dispute",
                    "give both an 'about' that names what they are accounts of",
                )

    def membership(self, membership: Membership) -> None:
        self.ref(membership, "member", membership.member, Actor)
        group = self.ref(membership, "group", membership.group, Actor)
        if isinstance(group, Actor) and group.kind == "person":
            self._fail(
                membership,
                "group",
                f"'{membership.group}' is a person, but a membership is in a group,"
                " organization, state or collaboration",
            )
        if membership.member == membership.group:
            self._fail(membership, "group", "an actor cannot be a member of itself")
        self.code(membership, "role", membership.role, "role")
        self.ref(membership, "asserted_by", membership.asserted_by, Actor)

    def factuality(self, claim: Claim) -> None:
        """Certainty and polarity, the asserter's and those of further sources (FactBank)."""
        if claim.certainty == "uncommitted" and claim.negated:
            self._fail(claim, "negated", _UNCOMMITTED_NEGATED, _UNCOMMITTED_HINT)
        if claim.negated and claim.kind == "statement" and claim.asserted_as == "stated":
            self._fail(
                claim,
                "negated",
                "a statement that was not made cannot be asserted_as: stated (by its speaker)",
                "give asserted_as: assessment (the author observes what was not said) or reported",
            )
        if not claim.factuality:
            return
        author = self._document.author if self._document is not None else None
        asserter = claim.asserter(author)
        sources: set[str] = set()
        for value in claim.factuality:
            self.ref(claim, "factuality", value.source, Actor, line=value.line)
            if value.source in sources:
                self._fail(claim, "factuality", f"'{value.source}' is given twice", line=value.line)
            if value.source == asserter:
                self._fail(
                    claim,
                    "factuality",
                    f"'{value.source}' asserts the claim: its value is the claim's own",
                    "give it with certainty/negated/hedge on the claim itself",
                    value.line,
                )
            if value.certainty == "uncommitted" and value.negated:
                self._fail(claim, "factuality", _UNCOMMITTED_NEGATED, _UNCOMMITTED_HINT, value.line)
            self.words_in_quote(
                claim, "hedge", value.hedge, "the words that mark the certainty", value.line
            )
            sources.add(value.source)


_UNCOMMITTED_NEGATED = "an uncommitted claim has no polarity: 'negated' cannot go with it"
_UNCOMMITTED_HINT = (
    "FactBank's U has unknown polarity; drop 'negated', or give the certainty the source has"
    " (possible, probable or certain)"
)


def closest_code(scheme: str, value: str) -> str | None:
    """The code of *scheme* a curator most likely meant by *value*: the code one of whose
    labels (preferred, alternative or hidden: the ontology lists common synonyms as
    skos:hiddenLabel) is *value*, else the code or label closest in spelling.

    >>> closest_code("polarity", "doubts")
    'sceptical'
    """
    labels = scheme_labels(scheme)
    wanted = " ".join(value.lower().replace("-", " ").replace("_", " ").split())
    if wanted in labels:
        return labels[wanted]
    close = difflib.get_close_matches(wanted, sorted(labels), n=1, cutoff=0.6)
    return labels[close[0]] if close else None
