"""Map one grounded facts file to RDF, minting every IRI from the base and the curated ids.

No blank nodes are produced, and the superclass types that queries and shapes rely on are written
explicitly, so stores without reasoning and SHACL without inference see the same graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

from policykg.errors import MappingError
from policykg.facts.dates import Bounds, Precision
from policykg.facts.grounding import DISCLAIMER, FIRST_PUBLICATION, Span
from policykg.facts.iris import base_problem
from policykg.facts.model import (
    PUBLISHED,
    Actor,
    Claim,
    DateSpec,
    Event,
    FactsFile,
    Factuality,
    Item,
    Membership,
    Place,
    Post,
    Reading,
    Registry,
    Relation,
    Tenure,
    Work,
    factual_polarity,
)
from policykg.facts.timeline import event_bounds
from policykg.namespaces import (
    ASSERTION,
    CAMEO,
    CERTAINTY,
    CHANNEL,
    DOCTYPE,
    EVENTTYPE,
    FACTPOL,
    OA,
    ORG,
    PKG,
    POLARITY,
    RELTYPE,
    ROLETYPE,
    SCHEMA,
    SEM,
    TOPIC,
    WIKIDATA,
    bind_prefixes,
)
from policykg.rdf.ntriples import (
    iri_triple,
    iri_triples,
    line_end,
    literal_triple,
    read_triples,
    sorted_ntriples,
)


class _Terms:
    """A vocabulary whose terms are plain strings, made once: rdflib's namespaces make and check
    a new URIRef on every attribute access, which dominated the mapper's time."""

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._base = str(namespace) if isinstance(namespace, str) else str(namespace._NS)

    def __getattr__(self, name: str) -> str:
        term = self._base + name
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return self._base + name


_NAMESPACES: dict[str, Namespace | type[DefinedNamespace]] = {
    "DCTERMS": DCTERMS,
    "FOAF": FOAF,
    "OWL": OWL,
    "PROV": PROV,
    "RDF": RDF,
    "RDFS": RDFS,
    "SKOS": SKOS,
    "TIME": TIME,
    "XSD": XSD,
    "ASSERTION": ASSERTION,
    "CAMEO": CAMEO,
    "CERTAINTY": CERTAINTY,
    "CHANNEL": CHANNEL,
    "EVENTTYPE": EVENTTYPE,
    "FACTPOL": FACTPOL,
    "OA": OA,
    "ORG": ORG,
    "PKG": PKG,
    "POLARITY": POLARITY,
    "SCHEMA": SCHEMA,
    "SEM": SEM,
    "TOPIC": TOPIC,
    "WIKIDATA": WIKIDATA,
    "DOCTYPE": DOCTYPE,
    "RELTYPE": RELTYPE,
    "ROLETYPE": ROLETYPE,
}
_V = {name: _Terms(namespace) for name, namespace in _NAMESPACES.items()}

dcterms_ = _V["DCTERMS"]
foaf_ = _V["FOAF"]
owl_ = _V["OWL"]
prov_ = _V["PROV"]
rdf_ = _V["RDF"]
rdfs_ = _V["RDFS"]
skos_ = _V["SKOS"]
time_ = _V["TIME"]
xsd_ = _V["XSD"]
assertion_ = _V["ASSERTION"]
cameo_ = _V["CAMEO"]
certainty_ = _V["CERTAINTY"]
channel_ = _V["CHANNEL"]
eventtype_ = _V["EVENTTYPE"]
factpol_ = _V["FACTPOL"]
oa_ = _V["OA"]
org_ = _V["ORG"]
pkg_ = _V["PKG"]
polarity_ = _V["POLARITY"]
schema_ = _V["SCHEMA"]
sem_ = _V["SEM"]
topic_ = _V["TOPIC"]
wikidata_ = _V["WIKIDATA"]
doctype_ = _V["DOCTYPE"]
reltype_ = _V["RELTYPE"]
roletype_ = _V["ROLETYPE"]

_ACTOR_TYPES = {
    "person": (schema_.Person,),
    "state": (schema_.Country, org_.FormalOrganization, org_.Organization),
    "organization": (org_.FormalOrganization, org_.Organization),
    "group": (foaf_.Group,),
    "collaboration": (org_.OrganizationalCollaboration, org_.Organization),
}
_CLAIM_TYPES = {"statement": pkg_.Statement, "stance": pkg_.Stance, "claim": pkg_.Claim}
_UNIT = {
    Precision.DAY: time_.unitDay,
    Precision.MONTH: time_.unitMonth,
    Precision.YEAR: time_.unitYear,
}
_IN_XSD = {
    Precision.DAY: (time_.inXSDDate, xsd_.date),
    Precision.MONTH: (time_.inXSDgYearMonth, xsd_.gYearMonth),
    Precision.YEAR: (time_.inXSDgYear, xsd_.gYear),
}


@dataclass(frozen=True)
class Origin:
    """Where in the facts a node of the graph was curated."""

    path: Path
    line: int
    fact_id: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.fact_id}]"


@dataclass
class MappedDocument:
    """The RDF of one source document (or of the registry): its named graph, as sorted N-Triples
    lines, and the origin of each node."""

    graph_iri: str
    document_iri: str | None
    ntriples: bytes
    origin_of: Mapping[str, Origin] = field(default_factory=dict)
    """Where each node curated in the file was curated, by IRI."""

    @property
    def graph_lines(self) -> bytes:
        return self.ntriples

    @property
    def line_end(self) -> bytes:
        return line_end()

    @property
    def triple_count(self) -> int:
        return self.ntriples.count(b"\n")

    @property
    def origins(self) -> dict[URIRef, Origin]:
        """:attr:`origin_of` keyed by rdflib terms, as validation reports name nodes."""
        return {URIRef(iri): origin for iri, origin in self.origin_of.items()}

    @property
    def graph(self) -> Graph:
        """The named graph as an rdflib graph (parsed on each call)."""
        graph = bind_prefixes(Graph(identifier=URIRef(self.graph_iri)))
        graph.addN((*triple, graph) for triple in read_triples(self.ntriples))
        return graph


class Minter:
    """Mints policykg's IRIs from a base IRI and curated ids."""

    def __init__(self, base: str) -> None:
        problem = base_problem(base)
        if problem is not None:
            raise MappingError(f"the base IRI {base!r} {problem}")
        self.base = base

    def __call__(self, *segments: str) -> str:
        return self.base + "/".join(segments)


def map_facts(facts: FactsFile, spans: dict[str, tuple[Span, ...]], base: str) -> MappedDocument:
    """Map *facts*, whose quotes *spans* locates, to the RDF of its document."""
    return _DocumentMapper(facts, spans, Minter(base)).run()


def map_registry(registry: Registry, base: str) -> MappedDocument:
    """Map the items of *registry* to the registry's named graph."""
    mint = Minter(base)
    graph = mint("graph", "registry")
    mapper = _ItemMapper(registry.items_by_id, mint, graph)
    for item in registry.items():
        subject = mapper.iri_of(item.id)
        mapper.origins[subject] = Origin(registry.defined_in[item.id], item.line, item.id)
        mapper.item(item, subject)
        # Marks the item as the corpus's shared one, also where graph names are lost (a Turtle
        # union): the item whose readings articles give.
        mapper.add(subject, rdfs_.isDefinedBy, graph)
        if item.note:
            mapper.literal(subject, skos_.note, item.note)
    return mapper.result(None)


_KINDS = {Actor: "actor", Place: "place", Post: "post", Tenure: "tenure", Event: "event"}
_KINDS[Work] = "work"
_SCOPED_KINDS = {Relation: "relation", Membership: "membership"}
"""Items other than claims whose IRIs hold their document's id: ``{base}relation/{doc}/{id}``."""


def shared_iri(base: str, item: Item) -> str:
    """The IRI of an item other than a claim, relation or membership: the same in every document
    that names it."""
    return Minter(base)(_KINDS[type(item)], item.id)


class _ItemMapper:
    """Writes the triples of actors, places, posts, tenures, events and claims."""

    def __init__(self, items_by_id: Mapping[str, Item], mint: Minter, graph: str) -> None:
        self.items_by_id = items_by_id
        self.mint = mint
        self.graph_iri = graph
        self.lines: set[str] = set()
        self.origins: dict[str, Origin] = {}
        self.doc_id = ""
        self.author: str | None = None
        self.origin_path = Path()
        self.event_bounds: Mapping[str, Bounds] = _OwnBounds(items_by_id)
        self.publication_time_used = False
        self.origin: Origin | None = None
        """Where the item being mapped was curated."""

    def result(self, document_iri: str | None) -> MappedDocument:
        return MappedDocument(
            self.graph_iri, document_iri, sorted_ntriples(self.lines), self.origins
        )

    # -- helpers ---------------------------------------------------------------------------

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add a triple whose object is the IRI *obj*."""
        self.lines.add(iri_triple(subject, predicate, obj))

    def literal(
        self, subject: str, predicate: str, lexical: str, datatype: str | None = None
    ) -> None:
        self.lines.add(literal_triple(subject, predicate, lexical, datatype))

    def add_all(self, subject: str, predicate: str, objects: Iterable[str]) -> None:
        for obj in objects:
            self.add(subject, predicate, obj)

    def literals(self, subject: str, predicate: str, values: Iterable[str]) -> None:
        for value in values:
            self.literal(subject, predicate, value)

    def types(self, subject: str, *classes: str) -> None:
        self.add_all(subject, rdf_.type, classes)

    def iri_of(self, item_id: str) -> str:
        item = self.items_by_id[item_id]
        if isinstance(item, Claim):
            return self.mint(item.kind, self.doc_id, item_id)
        scoped = _SCOPED_KINDS.get(type(item))
        if scoped is not None:
            return self.mint(scoped, self.doc_id, item_id)
        return self.mint(_KINDS[type(item)], item_id)

    # -- items -----------------------------------------------------------------------------

    def item(self, item: Item, subject: str) -> None:
        if isinstance(item, Actor):
            self.actor(item, subject)
        elif isinstance(item, Place):
            self.types(subject, schema_.Place, sem_.Place)
            self.literal(subject, rdfs_.label, item.name)
            self.wikidata(subject, item.wikidata)
            if item.part_of:
                self.add(subject, schema_.containedInPlace, self.iri_of(item.part_of))
        elif isinstance(item, Post):
            self.types(subject, org_.Post)
            self.literal(subject, rdfs_.label, item.label)
            self.add(subject, org_.postIn, self.iri_of(item.organization))
        elif isinstance(item, Tenure):
            self.tenure(item, subject)
        elif isinstance(item, Event):
            self.event(item, subject)
        elif isinstance(item, Claim):
            self.claim(item, subject)
        elif isinstance(item, Work):
            self.work(item, subject)
        elif isinstance(item, Relation):
            self.relation(item, subject)
        elif isinstance(item, Membership):
            self.membership(item, subject)
        if item.source is not None:  # a curated fact's own source
            self.add(subject, prov_.hadPrimarySource, item.source)

    def wikidata(self, subject: str, qid: str | None) -> None:
        if qid is not None:
            self.add(subject, owl_.sameAs, wikidata_[qid])

    def actor(self, actor: Actor, subject: str) -> None:
        self.types(subject, *_ACTOR_TYPES[actor.kind], prov_.Agent)
        self.literal(subject, rdfs_.label, actor.name)
        self.literals(subject, skos_.altLabel, actor.alt_names)
        self.wikidata(subject, actor.wikidata)
        self.add_all(subject, org_.hasMember, (self.iri_of(m) for m in actor.members))

    def fact_provenance(self, subject: str, asserted_as: str) -> None:
        self.add(subject, pkg_.assertionMode, assertion_[asserted_as])
        if asserted_as != "curator":  # a curator's addition comes from its own source, not the text
            self.add(subject, prov_.wasDerivedFrom, self.mint("document", self.doc_id))

    def tenure(self, tenure: Tenure, subject: str) -> None:
        post = self.items_by_id[tenure.post]
        assert isinstance(post, Post)
        self.types(subject, org_.Membership)
        self.add(subject, org_.member, self.iri_of(tenure.holder))
        self.add(subject, org_.organization, self.iri_of(post.organization))
        self.add(subject, pkg_.post, self.iri_of(tenure.post))
        self.fact_provenance(subject, tenure.asserted_as)
        if tenure.start or tenure.end:
            interval = self.interval(subject + "/time", tenure.start, tenure.end)
            self.add(subject, org_.memberDuring, interval)

    def event(self, event: Event, subject: str) -> None:
        self.types(subject, sem_.Event)
        self.literal(subject, rdfs_.label, event.label)
        self.literals(subject, skos_.altLabel, event.alt_names)
        self.wikidata(subject, event.wikidata)
        self.add(subject, sem_.eventType, eventtype_[event.type])
        self.add_all(subject, sem_.hasActor, (self.iri_of(a) for a in event.actors))
        if event.place:
            self.add(subject, sem_.hasPlace, self.iri_of(event.place))
        if event.cameo:
            self.add(subject, pkg_.cameoCode, cameo_[event.cameo])
        if event.part_of:
            self.add(subject, sem_.subEventOf, self.iri_of(event.part_of))
        if event.commemorates:
            self.add(subject, pkg_.commemorates, self.iri_of(event.commemorates))
        if event.anniversary is not None:
            self.literal(subject, pkg_.anniversary, str(event.anniversary), xsd_.positiveInteger)
        if event.forecast:
            self.literal(subject, pkg_.forecast, "true", xsd_.boolean)
        self.fact_provenance(subject, event.asserted_as)
        # An event's time belongs to the event (not to a document): every file that defines the
        # event gives it the same date, so its triples are the same wherever they are written.
        # An undated event has one too, typed only time:TemporalEntity: other dates may be
        # counted from it.
        time = subject + "/time"
        if event.date:
            self.add(subject, time_.hasTime, self.instant(time, event.date))
        elif event.start or event.end:
            self.add(subject, time_.hasTime, self.interval(time, event.start, event.end))
        else:
            self.types(time, time_.TemporalEntity)
            self.add(subject, time_.hasTime, time)
        # The timestamps are the bounds as tightened by the other facts of the file (see
        # facts.timeline): what sorts events of different precisions.
        earliest, latest = self.event_bounds.get(event.id, (None, None))
        if earliest is not None:
            self.literal(subject, sem_.hasEarliestBeginTimeStamp, earliest.isoformat(), _DT)
        if latest is not None:
            self.literal(subject, sem_.hasLatestEndTimeStamp, latest.isoformat(), _DT)
        if event.roles:
            self.roles(event.id, event.roles, event.line_of("roles"), subject)

    def dated(
        self,
        subject: str,
        time: str,
        date: DateSpec | None,
        start: DateSpec | None,
        end: DateSpec | None,
    ) -> None:
        """Give *subject* (an article's reading of a shared event) its time *time*, an instant
        (*date*) or an interval, and the SEM timestamps of its earliest beginning and latest end
        (a reading's own bounds: the ordering step tightens an article's own events only)."""
        first, last = (date, date) if date else (start, end)
        if date:
            self.add(subject, time_.hasTime, self.instant(time, date))
        elif start or end:
            self.add(subject, time_.hasTime, self.interval(time, start, end))
        earliest = first.earliest if first is not None else None
        latest = last.latest if last is not None else None
        if earliest is not None:
            self.literal(subject, sem_.hasEarliestBeginTimeStamp, earliest.isoformat(), _DT)
        if latest is not None:
            self.literal(subject, sem_.hasLatestEndTimeStamp, latest.isoformat(), _DT)

    def roles(
        self,
        event_id: str,
        roles: tuple[tuple[str, tuple[str, ...]], ...],
        line: int,
        subject: str,
    ) -> None:
        """SEM roles: the event sem:hasActor a role node per actor and role, which names the
        actor (rdf:value), the role (sem:roleType) and, being this document's say, the document
        (sem:accordingTo). The role IRIs hold the document's id: another article may give the
        same event other roles."""
        document = self.mint("document", self.doc_id)
        for actor, codes in roles:
            for code in codes:
                role = self.mint("role", self.doc_id, event_id, actor, code)
                self.origins[role] = Origin(self.origin_path, line, event_id)
                self.add(subject, sem_.hasActor, role)
                self.types(role, sem_.Role, sem_.View)
                self.add(role, rdf_.value, self.iri_of(actor))
                self.add(role, sem_.roleType, roletype_[code])
                self.add(role, sem_.accordingTo, document)

    def claim(self, claim: Claim, subject: str) -> None:
        self.types(subject, _CLAIM_TYPES[claim.kind], pkg_.Claim, prov_.Entity)
        self.literal(subject, rdfs_.label, claim.summary)
        self.fact_provenance(subject, claim.asserted_as)
        if claim.agent is not None:
            role = pkg_.speaker if claim.kind == "statement" else pkg_.holder
            self.add(subject, role, self.iri_of(claim.agent))
        asserted_by = claim.asserter(self.author)
        if asserted_by is not None:
            self.add(subject, pkg_.assertedBy, self.iri_of(asserted_by))
        self.literals(subject, pkg_.directQuote, claim.words)
        if claim.polarity:
            self.add(subject, pkg_.polarity, polarity_[claim.polarity])
        if claim.condition:
            self.literal(subject, pkg_.condition, claim.condition)
        if claim.target:
            self.add(subject, pkg_.target, self.iri_of(claim.target))
        self.add_all(subject, schema_.about, (self.iri_of(i) for i in claim.about))
        self.add_all(subject, dcterms_.subject, (topic_[t] for t in claim.topics))
        if claim.event:
            self.add(subject, pkg_.statedAt, self.iri_of(claim.event))
        if claim.date:
            time = self.mint("time", self.doc_id, claim.id)
            self.add(subject, time_.hasTime, self.instant(time, claim.date))
        if claim.in_office:
            self.add(subject, pkg_.madeInOffice, self.iri_of(claim.in_office))
        if claim.cameo:
            self.add(subject, pkg_.cameoCode, cameo_[claim.cameo])
        self.add_all(subject, dcterms_.references, (self.iri_of(i) for i in claim.refers_to))
        self.add_all(subject, prov_.wasDerivedFrom, (self.iri_of(i) for i in claim.based_on))
        if claim.forecast:
            self.literal(subject, pkg_.forecast, "true", xsd_.boolean)
        if claim.unattributed:
            self.types(subject, pkg_.UnattributedView)
        self.factuality_value(subject, claim.certainty, claim.negated, claim.hedge)
        for value in claim.factuality:
            self.further_factuality(subject, claim.id, value)
        if claim.channel:
            self.add(subject, pkg_.channel, channel_[claim.channel])
        self.literals(subject, pkg_.scareQuote, claim.scare_quotes)

    def factuality_value(
        self, subject: str, certainty: str, negated: bool, hedge: tuple[str, ...]
    ) -> None:
        """FactBank's certainty and polarity, each written only when it is not the default
        (certain, positive): a large corpus is mostly certain, positive claims."""
        if certainty != "certain":
            self.add(subject, pkg_.certainty, certainty_[certainty])
        polarity = factual_polarity(certainty, negated)
        if polarity != "positive":
            self.add(subject, pkg_.factualPolarity, factpol_[polarity])
        self.literals(subject, pkg_.hedge, hedge)

    def further_factuality(self, claim_iri: str, claim_id: str, value: Factuality) -> None:
        """The value a source other than the asserter gives the claim, as the node
        ``{claim}/factuality/{source}``."""
        node = f"{claim_iri}/factuality/{value.source}"
        origin = self.origins.get(claim_iri)
        if origin is not None:
            self.origins[node] = Origin(origin.path, value.line, claim_id)
        self.add(claim_iri, pkg_.factuality, node)
        self.types(node, pkg_.Factuality)
        self.add(node, sem_.accordingTo, self.iri_of(value.source))
        self.factuality_value(node, value.certainty, value.negated, value.hedge)

    def work(self, work: Work, subject: str) -> None:
        self.types(subject, schema_.CreativeWork, prov_.Entity)
        self.add(subject, dcterms_.type, doctype_[work.type])
        self.literal(subject, schema_.name, work.title)
        if work.publisher:
            self.add(subject, schema_.publisher, self.iri_of(work.publisher))
        if work.author:
            self.add(subject, schema_.author, self.iri_of(work.author))
        self.add_all(subject, schema_.about, (self.iri_of(i) for i in work.about))
        if work.language:
            self.literal(subject, schema_.inLanguage, work.language)
        if work.url:
            self.add(subject, schema_.url, work.url)
        published = work.date.date if work.date is not None else None
        if published is not None:  # a range or relative date has no one schema:datePublished
            _, datatype = _IN_XSD[published.precision]
            self.literal(subject, schema_.datePublished, published.lexical, datatype)

    def relation(self, relation: Relation, subject: str) -> None:
        self.types(subject, pkg_.Relation, pkg_.Claim, prov_.Entity)
        label = relation.summary or " ".join(
            (", ".join(relation.sources), relation.type, relation.target)
        )
        self.literal(subject, rdfs_.label, label)
        self.add(subject, pkg_.relationType, reltype_[relation.type])
        self.add_all(subject, pkg_["from"], (self.iri_of(i) for i in relation.sources))
        self.add(subject, pkg_.to, self.iri_of(relation.target))
        self.factuality_value(subject, relation.certainty, relation.negated, relation.hedge)
        self.fact_provenance(subject, relation.asserted_as)
        asserted_by = relation.asserted_by
        if asserted_by is None and relation.asserted_as in ("reported", "assessment"):
            asserted_by = self.author
        if asserted_by is not None:
            self.add(subject, pkg_.assertedBy, self.iri_of(asserted_by))
        self.add_all(subject, dcterms_.subject, (topic_[t] for t in relation.topics))

    def membership(self, membership: Membership, subject: str) -> None:
        self.types(subject, org_.Membership)
        self.add(subject, org_.member, self.iri_of(membership.member))
        self.add(subject, org_.organization, self.iri_of(membership.group))
        self.add(subject, org_.role, roletype_[membership.role])
        self.fact_provenance(subject, membership.asserted_as)
        asserted_by = membership.asserted_by
        if asserted_by is None and membership.asserted_as in ("reported", "assessment"):
            asserted_by = self.author
        if asserted_by is not None:
            self.add(subject, pkg_.assertedBy, self.iri_of(asserted_by))

    # -- time ------------------------------------------------------------------------------

    def interval(self, iri: str, start: DateSpec | None, end: DateSpec | None) -> str:
        self.types(iri, time_.Interval)
        if start is not None:
            self.add(iri, time_.hasBeginning, self.instant(iri + "/begin", start))
        if end is not None:
            self.add(iri, time_.hasEnd, self.instant(iri + "/end", end))
        return iri

    def instant(self, iri: str, spec: DateSpec) -> str:
        date = spec.date
        self.types(iri, time_.Instant)
        if spec.bounds is None:  # a single date, the common case
            assert date is not None
            earliest: dt.datetime | None = date.earliest()
            latest: dt.datetime | None = date.latest()
        else:  # a range, or a date relative to other times: no literal unless it is one date
            earliest, latest = spec.bounds
            self.placed(iri, spec)
        if date is not None:
            predicate, datatype = _IN_XSD[date.precision]
            self.literal(iri, predicate, date.lexical, datatype)
        if earliest is not None:
            self.literal(iri, pkg_.earliest, earliest.isoformat(), _DT)
        if latest is not None:
            self.literal(iri, pkg_.latest, latest.isoformat(), _DT)
        if date is not None or spec.weekday is not None:
            description = iri + "/description"
            self.add(iri, time_.inDateTime, description)
            self.types(description, time_.DateTimeDescription)
        if date is not None:
            self.add(description, time_.unitType, _UNIT[date.precision])
            self.literal(description, time_.year, f"{date.year:04d}", xsd_.gYear)
            if date.month is not None:
                self.literal(description, time_.month, f"--{date.month:02d}", xsd_.gMonth)
            if date.day is not None:
                self.literal(description, time_.day, f"---{date.day:02d}", xsd_.gDay)
        if spec.weekday is not None:
            self.add(description, time_.dayOfWeek, time_[spec.weekday])
        if spec.basis != "stated":
            self.add(iri, pkg_.assertionMode, assertion_[spec.basis])
        if spec.source is not None:
            self.add(iri, prov_.hadPrimarySource, spec.source)
        if spec.note is not None:
            self.literal(iri, skos_.note, spec.note)
        return iri

    def placed(self, iri: str, spec: DateSpec) -> None:
        """The relations of a relative date to the times it is counted from (OWL-Time's
        before/after; an offset's distance, whose sign also says before or after)."""
        if self.origin is not None:  # what the shapes report on is placed in the facts file
            self.origins[iri] = self.origin
        if spec.after is not None:
            self.add(iri, time_.after, self.anchor_time(spec.after))
        if spec.before is not None:
            self.add(iri, time_.before, self.anchor_time(spec.before))
        offset = spec.offset
        if offset is not None:
            anchor = self.anchor_time(offset.anchor)
            self.add(iri, pkg_.offsetFrom, anchor)
            self.literal(iri, pkg_.offset, offset.by.lexical, xsd_.duration)
            if offset.tolerance is not None:
                self.literal(iri, pkg_.offsetTolerance, offset.tolerance.lexical, xsd_.duration)
            if not offset.by.is_zero:
                self.add(iri, time_.after if offset.by.sign > 0 else time_.before, anchor)

    def anchor_time(self, anchor: str) -> str:
        """The time node of the event *anchor* (its one time, wherever it is defined), or of the
        publication of the document."""
        if anchor == PUBLISHED:
            self.publication_time_used = True
            return self.mint("document", self.doc_id, PUBLISHED)
        return self.iri_of(anchor) + "/time"


class _DocumentMapper(_ItemMapper):
    """Writes the triples of one article: its document, its items and their evidence."""

    def __init__(self, facts: FactsFile, spans: dict[str, tuple[Span, ...]], mint: Minter) -> None:
        super().__init__(facts.items_by_id, mint, mint("graph", facts.document.id))
        self.facts = facts
        self.spans = spans
        self.doc_id = facts.document.id
        self.author = facts.document.author
        self.origin_path = facts.path
        self.document_iri = mint("document", self.doc_id)
        self.event_bounds = event_bounds(facts)

    def run(self) -> MappedDocument:
        self.document()
        for item in self.facts.items():
            if isinstance(item, Reading):
                self.reading(item)
                continue
            subject = self.iri_of(item.id)
            self.origin = self.origins[subject] = Origin(self.facts.path, item.line, item.id)
            self.item(item, subject)
            self.evidence(item.id, subject, item.line)
            if item.note:
                self.literal(subject, skos_.note, item.note)
        if self.publication_time_used:
            self.publication_time()
        return self.result(self.document_iri)

    def publication_time(self) -> None:
        """The time node of the publication date, which relative dates may be counted from."""
        document = self.facts.document
        iri = self.mint("document", self.doc_id, PUBLISHED)
        self.origins[iri] = Origin(self.facts.path, document.line, document.id)
        self.add(self.document_iri, time_.hasTime, iri)
        self.instant(iri, DateSpec(document.reference_date, document.line))

    def document(self) -> None:
        document = self.facts.document
        iri = self.document_iri
        self.origins[iri] = Origin(self.facts.path, document.line, document.id)
        self.types(iri, schema_[document.type], prov_.Entity)
        self.literal(iri, schema_.name, document.title)
        self.add(iri, schema_.url, document.url)
        self.add(iri, schema_.publisher, self.iri_of(document.publisher))
        self.literal(iri, schema_.inLanguage, document.language)
        text = self.facts.text
        self.literal(iri, pkg_.textLength, str(len(text)), xsd_.nonNegativeInteger)
        self.literal(iri, pkg_.textSha256, hashlib.sha256(text.encode("utf-8")).hexdigest())
        if document.note:
            self.literal(iri, skos_.note, document.note)
        if document.author is not None:
            self.add(iri, schema_.author, self.iri_of(document.author))
            # On the document, not the author: the author may be shared by several articles,
            # whose graphs must not describe the author's own node.
            self.literals(iri, pkg_.authorRole, document.author_roles)
        if document.published is not None:
            self.literal(iri, schema_.datePublished, document.published.lexical, xsd_.date)
        first = document.first_published
        if first is not None:
            original = self.mint("document", self.doc_id, "first-publication")
            self.origins[original] = Origin(self.facts.path, first.line, document.id)
            self.add(iri, schema_.isBasedOn, original)
            self.types(original, schema_.CreativeWork, prov_.Entity)
            self.add(original, schema_.publisher, self.iri_of(first.publisher))
            self.literal(original, schema_.datePublished, first.date.lexical, xsd_.date)
            if first.url:
                self.add(original, schema_.url, first.url)
            self.evidence(FIRST_PUBLICATION, original, first.line, original + "/evidence")
        if document.disclaimer:
            self.disclaimer(document.line_of("disclaimer"))

    def disclaimer(self, line: int) -> None:
        """The publisher's disclaimer of the views, as the document's publishing principles (a
        work of its own, evidenced by its quote) rather than a claim of the document."""
        disclaimer = self.mint("document", self.doc_id, "disclaimer")
        self.origins[disclaimer] = Origin(self.facts.path, line, self.doc_id)
        self.add(self.document_iri, schema_.publishingPrinciples, disclaimer)
        self.types(disclaimer, schema_.CreativeWork, prov_.Entity)
        self.evidence(DISCLAIMER, disclaimer, line, disclaimer + "/evidence")

    # -- readings of registry items -----------------------------------------------------------

    def reading(self, reading: Reading) -> None:
        """This article's reading of a registry item, written in the article's graph only.

        Of an event, a claim node (:class:`pkg:Reading`) with this article's dating, place and
        evidence; of any other item, a mention: its evidence, whose body is the item itself.
        """
        item = self.iri_of(reading.id)
        if reading.kind != "events":
            self.evidence(reading.id, item, reading.line, note=reading.note)
            return
        event = self.items_by_id[reading.id]
        assert isinstance(event, Event)
        subject = self.mint("reading", self.doc_id, reading.id)
        self.origins[subject] = Origin(self.facts.path, reading.line, reading.id)
        self.types(subject, pkg_.Reading, pkg_.Claim, prov_.Entity)
        title = self.facts.document.title
        self.literal(subject, rdfs_.label, f"{event.label}, according to {title}")
        self.add(subject, pkg_.readingOf, item)
        self.add(subject, sem_.accordingTo, self.document_iri)
        self.fact_provenance(subject, reading.asserted_as)
        if self.author is not None and reading.asserted_as != "derived":
            self.add(subject, pkg_.assertedBy, self.iri_of(self.author))
        if reading.place is not None:
            self.add(subject, sem_.hasPlace, self.iri_of(reading.place))
        self.dated(subject, subject + "/time", reading.date, reading.start, reading.end)
        if reading.roles:
            # The roles' IRIs hold this document's id, so the event's sem:hasActor triples that
            # point at them are this article's alone, though their subject is the shared event.
            self.roles(reading.id, reading.roles, reading.line_of("roles"), item)
        if reading.note:
            self.literal(subject, skos_.note, reading.note)
        self.evidence(reading.id, subject, reading.line)

    # -- evidence --------------------------------------------------------------------------

    def evidence(
        self,
        key: str,
        body: str,
        line: int,
        root: str | None = None,
        *,
        note: str | None = None,
    ) -> None:
        """One annotation per quote of *key*, with *body* as the fact it is evidence for (and
        *note*, a mention's note, on each)."""
        root = root or self.mint("evidence", self.doc_id, key)
        fact_id = key if key not in (FIRST_PUBLICATION, DISCLAIMER) else self.doc_id
        for number, span in enumerate(self.spans.get(key, ()), start=1):
            annotation = f"{root}/{number}"
            target = f"{annotation}/target"
            quote = f"{annotation}/quote"
            position = f"{annotation}/position"
            origin = Origin(self.facts.path, line, fact_id)
            for node in (annotation, target, quote, position):
                self.origins[node] = origin
            # The IRI triples of one quote at once: an article has hundreds of them.
            lines = self.lines
            for subject, pairs in (
                (
                    annotation,
                    (
                        (rdf_.type, oa_.Annotation),
                        (oa_.motivatedBy, pkg_.evidencing),
                        (oa_.hasBody, body),
                        (oa_.hasTarget, target),
                    ),
                ),
                (
                    target,
                    (
                        (rdf_.type, oa_.SpecificResource),
                        (oa_.hasSource, self.document_iri),
                        (oa_.hasSelector, quote),
                        (oa_.hasSelector, position),
                    ),
                ),
            ):
                lines.update(iri_triples(subject, pairs))
            lines.add(iri_triple(quote, rdf_.type, oa_.TextQuoteSelector))
            lines.add(iri_triple(position, rdf_.type, oa_.TextPositionSelector))
            if note is not None:
                self.literal(annotation, skos_.note, note)
            self.literal(quote, oa_.exact, span.exact)
            if span.prefix:
                self.literal(quote, oa_.prefix, span.prefix)
            if span.suffix:
                self.literal(quote, oa_.suffix, span.suffix)
            self.literal(position, oa_.start, str(span.start), xsd_.nonNegativeInteger)
            self.literal(position, oa_.end, str(span.end), xsd_.nonNegativeInteger)


_DT = str(xsd_.dateTime)


class _OwnBounds(Mapping[str, Bounds]):
    """The bounds of each event as its own dates give them (where no article tightens them)."""

    def __init__(self, items_by_id: Mapping[str, Item]) -> None:
        self.items_by_id = items_by_id

    def __getitem__(self, key: str) -> Bounds:
        event = self.items_by_id[key]
        if not isinstance(event, Event):
            raise KeyError(key)
        first, last = (event.date, event.date) if event.date else (event.start, event.end)
        return (first.earliest if first else None, last.latest if last else None)

    def __iter__(self) -> Iterator[str]:
        return (key for key, item in self.items_by_id.items() if isinstance(item, Event))

    def __len__(self) -> int:
        return sum(1 for _ in self)
