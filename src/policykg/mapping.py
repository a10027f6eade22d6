"""Stage 3: map one grounded facts file to RDF, minting every IRI from the base and the curated ids.

No blank nodes are produced, and the superclass types that queries and shapes rely on are written
explicitly, so stores without reasoning and SHACL without inference see the same graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from policykg.dates import Precision
from policykg.errors import MappingError
from policykg.grounding import FIRST_PUBLICATION, Span
from policykg.model import Actor, Claim, DateSpec, Event, FactsFile, Item, Place, Post, Tenure
from policykg.namespaces import (
    ASSERTION,
    CAMEO,
    EVENTTYPE,
    OA,
    ORG,
    PKG,
    POLARITY,
    SCHEMA,
    SEM,
    TOPIC,
    WIKIDATA,
    bind_prefixes,
)

_ACTOR_TYPES = {
    "person": (SCHEMA.Person,),
    "state": (SCHEMA.Country, ORG.FormalOrganization, ORG.Organization),
    "organization": (ORG.FormalOrganization, ORG.Organization),
    "group": (FOAF.Group,),
    "collaboration": (ORG.OrganizationalCollaboration, ORG.Organization),
}
_CLAIM_TYPES = {"statement": PKG.Statement, "stance": PKG.Stance, "claim": PKG.Claim}
_UNIT = {
    Precision.DAY: TIME.unitDay,
    Precision.MONTH: TIME.unitMonth,
    Precision.YEAR: TIME.unitYear,
}
_IN_XSD = {
    Precision.DAY: (TIME.inXSDDate, XSD.date),
    Precision.MONTH: (TIME.inXSDgYearMonth, XSD.gYearMonth),
    Precision.YEAR: (TIME.inXSDgYear, XSD.gYear),
}
_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$")


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
    """The RDF of one source document, in its own named graph, with the origin of each node."""

    graph_iri: URIRef
    document_iri: URIRef
    graph: Graph
    origins: dict[URIRef, Origin] = field(default_factory=dict)


class Minter:
    """Mints policykg's IRIs from a base IRI and curated ids."""

    def __init__(self, base: str) -> None:
        if not _ABSOLUTE_IRI.match(base):
            raise MappingError(
                f"the base IRI {base!r} is not an absolute IRI ending in '/' or '#'"
                " (for example https://example.org/kg/)"
            )
        self.base = base

    def __call__(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))


def map_facts(facts: FactsFile, spans: dict[str, tuple[Span, ...]], base: str) -> MappedDocument:
    """Map *facts*, whose quotes *spans* locates, to the RDF of its document."""
    return _DocumentMapper(facts, spans, Minter(base)).run()


class _DocumentMapper:
    def __init__(self, facts: FactsFile, spans: dict[str, tuple[Span, ...]], mint: Minter) -> None:
        self.facts = facts
        self.spans = spans
        self.mint = mint
        self.doc_id = facts.document.id
        self.document_iri = mint("document", self.doc_id)
        self.graph = bind_prefixes(Graph(identifier=mint("graph", self.doc_id)))
        self.origins: dict[URIRef, Origin] = {}

    def run(self) -> MappedDocument:
        self.document()
        for item in self.facts.items():
            subject = self.iri_of(item.id)
            self.origins[subject] = Origin(self.facts.path, item.line, item.id)
            self.item(item, subject)
            self.evidence(item.id, subject, item.line)
            if item.note:
                self.add(subject, SKOS.note, Literal(item.note))
        return MappedDocument(
            graph_iri=URIRef(str(self.graph.identifier)),
            document_iri=self.document_iri,
            graph=self.graph,
            origins=self.origins,
        )

    # -- helpers ---------------------------------------------------------------------------

    def add(self, subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> None:
        self.graph.add((subject, predicate, obj))

    def add_all(
        self, subject: URIRef, predicate: URIRef, objects: Iterable[URIRef | Literal]
    ) -> None:
        for obj in objects:
            self.add(subject, predicate, obj)

    def types(self, subject: URIRef, *classes: URIRef) -> None:
        self.add_all(subject, RDF.type, classes)

    def iri_of(self, item_id: str) -> URIRef:
        item = self.facts.items_by_id[item_id]
        if isinstance(item, Claim):
            return self.mint(item.kind, self.doc_id, item_id)
        kind = {Actor: "actor", Place: "place", Post: "post", Tenure: "tenure", Event: "event"}
        return self.mint(kind[type(item)], item_id)

    def text(self, value: str) -> Literal:
        return Literal(value)

    # -- the document ----------------------------------------------------------------------

    def document(self) -> None:
        document = self.facts.document
        iri = self.document_iri
        self.origins[iri] = Origin(self.facts.path, document.line, document.id)
        self.types(iri, SCHEMA[document.type], PROV.Entity)
        self.add(iri, SCHEMA.name, self.text(document.title))
        self.add(iri, SCHEMA.url, URIRef(document.url))
        self.add(iri, SCHEMA.publisher, self.iri_of(document.publisher))
        self.add(iri, SCHEMA.inLanguage, Literal(document.language))
        text = self.facts.text
        self.add(iri, PKG.textLength, Literal(len(text), datatype=XSD.nonNegativeInteger))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.add(iri, PKG.textSha256, Literal(digest))
        if document.note:
            self.add(iri, SKOS.note, Literal(document.note))
        if document.author is not None:
            author = self.iri_of(document.author)
            self.add(iri, SCHEMA.author, author)
            self.add_all(author, SCHEMA.jobTitle, (self.text(r) for r in document.author_roles))
        if document.published is not None:
            self.add(
                iri, SCHEMA.datePublished, Literal(document.published.lexical, datatype=XSD.date)
            )
        first = document.first_published
        if first is not None:
            original = self.mint("document", self.doc_id, "first-publication")
            self.origins[original] = Origin(self.facts.path, first.line, document.id)
            self.add(iri, SCHEMA.isBasedOn, original)
            self.types(original, SCHEMA.CreativeWork, PROV.Entity)
            self.add(original, SCHEMA.publisher, self.iri_of(first.publisher))
            self.add(original, SCHEMA.datePublished, Literal(first.date.lexical, datatype=XSD.date))
            if first.url:
                self.add(original, SCHEMA.url, URIRef(first.url))
            self.evidence(FIRST_PUBLICATION, original, first.line, original + "/evidence")

    # -- items -----------------------------------------------------------------------------

    def item(self, item: Item, subject: URIRef) -> None:
        if isinstance(item, Actor):
            self.actor(item, subject)
        elif isinstance(item, Place):
            self.types(subject, SCHEMA.Place, SEM.Place)
            self.add(subject, RDFS.label, self.text(item.name))
            self.wikidata(subject, item.wikidata)
        elif isinstance(item, Post):
            self.types(subject, ORG.Post)
            self.add(subject, RDFS.label, self.text(item.label))
            self.add(subject, ORG.postIn, self.iri_of(item.organization))
        elif isinstance(item, Tenure):
            self.tenure(item, subject)
        elif isinstance(item, Event):
            self.event(item, subject)
        elif isinstance(item, Claim):
            self.claim(item, subject)
        self.curated_source(subject, item)

    def curated_source(self, subject: URIRef, item: Item) -> None:
        if item.source is not None:
            self.add(subject, PROV.hadPrimarySource, URIRef(item.source))

    def wikidata(self, subject: URIRef, qid: str | None) -> None:
        if qid is not None:
            self.add(subject, OWL.sameAs, WIKIDATA[qid])

    def actor(self, actor: Actor, subject: URIRef) -> None:
        self.types(subject, *_ACTOR_TYPES[actor.kind], PROV.Agent)
        self.add(subject, RDFS.label, self.text(actor.name))
        self.add_all(subject, SKOS.altLabel, (self.text(name) for name in actor.alt_names))
        self.wikidata(subject, actor.wikidata)
        self.add_all(subject, ORG.hasMember, (self.iri_of(m) for m in actor.members))

    def fact_provenance(self, subject: URIRef, asserted_as: str) -> None:
        self.add(subject, PKG.assertionMode, ASSERTION[asserted_as])
        if asserted_as != "curator":  # a curator's addition comes from its own source, not the text
            self.add(subject, PROV.wasDerivedFrom, self.document_iri)

    def tenure(self, tenure: Tenure, subject: URIRef) -> None:
        post = self.facts.items_by_id[tenure.post]
        assert isinstance(post, Post)
        self.types(subject, ORG.Membership)
        self.add(subject, ORG.member, self.iri_of(tenure.holder))
        self.add(subject, ORG.organization, self.iri_of(post.organization))
        self.add(subject, PKG.post, self.iri_of(tenure.post))
        self.fact_provenance(subject, tenure.asserted_as)
        if tenure.start or tenure.end:
            interval = self.interval(tenure.id, tenure.start, tenure.end)
            self.add(subject, ORG.memberDuring, interval)

    def event(self, event: Event, subject: URIRef) -> None:
        self.types(subject, SEM.Event)
        self.add(subject, RDFS.label, self.text(event.label))
        self.add(subject, SEM.eventType, EVENTTYPE[event.type])
        self.add_all(subject, SEM.hasActor, (self.iri_of(a) for a in event.actors))
        if event.place:
            self.add(subject, SEM.hasPlace, self.iri_of(event.place))
        if event.cameo:
            self.add(subject, PKG.cameoCode, CAMEO[event.cameo])
        if event.part_of:
            self.add(subject, SEM.subEventOf, self.iri_of(event.part_of))
        if event.commemorates:
            self.add(subject, PKG.commemorates, self.iri_of(event.commemorates))
        if event.anniversary is not None:
            self.add(
                subject, PKG.anniversary, Literal(event.anniversary, datatype=XSD.positiveInteger)
            )
        if event.forecast:
            self.add(subject, PKG.forecast, Literal(True))
        self.fact_provenance(subject, event.asserted_as)
        first, last = (event.date, event.date) if event.date else (event.start, event.end)
        if event.date:
            self.add(
                subject,
                TIME.hasTime,
                self.instant(self.mint("time", self.doc_id, event.id), event.date),
            )
        elif event.start or event.end:
            self.add(subject, TIME.hasTime, self.interval(event.id, event.start, event.end))
        if first is not None:
            self.add(
                subject, SEM.hasEarliestBeginTimeStamp, _datetime(first.date.earliest().isoformat())
            )
        if last is not None:
            self.add(subject, SEM.hasLatestEndTimeStamp, _datetime(last.date.latest().isoformat()))

    def claim(self, claim: Claim, subject: URIRef) -> None:
        self.types(subject, _CLAIM_TYPES[claim.kind], PKG.Claim, PROV.Entity)
        self.add(subject, RDFS.label, self.text(claim.summary))
        self.fact_provenance(subject, claim.asserted_as)
        if claim.agent is not None:
            role = PKG.speaker if claim.kind == "statement" else PKG.holder
            self.add(subject, role, self.iri_of(claim.agent))
        asserted_by = claim.asserted_by or self.default_asserter(claim)
        if asserted_by is not None:
            self.add(subject, PKG.assertedBy, self.iri_of(asserted_by))
        self.add_all(subject, PKG.directQuote, (self.text(words) for words in claim.words))
        if claim.polarity:
            self.add(subject, PKG.polarity, POLARITY[claim.polarity])
        if claim.condition:
            self.add(subject, PKG.condition, self.text(claim.condition))
        if claim.target:
            self.add(subject, PKG.target, self.iri_of(claim.target))
        self.add_all(subject, SCHEMA.about, (self.iri_of(i) for i in claim.about))
        self.add_all(subject, DCTERMS.subject, (TOPIC[t] for t in claim.topics))
        if claim.event:
            self.add(subject, PKG.statedAt, self.iri_of(claim.event))
        if claim.date:
            self.add(
                subject,
                TIME.hasTime,
                self.instant(self.mint("time", self.doc_id, claim.id), claim.date),
            )
        if claim.in_office:
            self.add(subject, PKG.madeInOffice, self.iri_of(claim.in_office))
        if claim.cameo:
            self.add(subject, PKG.cameoCode, CAMEO[claim.cameo])
        self.add_all(subject, DCTERMS.references, (self.iri_of(i) for i in claim.refers_to))
        self.add_all(subject, PROV.wasDerivedFrom, (self.iri_of(i) for i in claim.based_on))
        if claim.forecast:
            self.add(subject, PKG.forecast, Literal(True))

    def default_asserter(self, claim: Claim) -> str | None:
        if claim.asserted_as == "stated":
            return claim.agent
        if claim.asserted_as in ("reported", "assessment"):
            return self.facts.document.author
        return None

    # -- time ------------------------------------------------------------------------------

    def interval(self, item_id: str, start: DateSpec | None, end: DateSpec | None) -> URIRef:
        iri = self.mint("time", self.doc_id, item_id)
        self.types(iri, TIME.Interval)
        if start is not None:
            self.add(iri, TIME.hasBeginning, self.instant(iri + "/begin", start))
        if end is not None:
            self.add(iri, TIME.hasEnd, self.instant(iri + "/end", end))
        return iri

    def instant(self, iri: URIRef, spec: DateSpec) -> URIRef:
        date = spec.date
        self.types(iri, TIME.Instant)
        predicate, datatype = _IN_XSD[date.precision]
        self.add(iri, predicate, Literal(date.lexical, datatype=datatype))
        self.add(iri, PKG.earliest, _datetime(date.earliest().isoformat()))
        self.add(iri, PKG.latest, _datetime(date.latest().isoformat()))
        description = URIRef(iri + "/description")
        self.add(iri, TIME.inDateTime, description)
        self.types(description, TIME.DateTimeDescription)
        self.add(description, TIME.unitType, _UNIT[date.precision])
        self.add(description, TIME.year, Literal(f"{date.year:04d}", datatype=XSD.gYear))
        if date.month is not None:
            self.add(description, TIME.month, Literal(f"--{date.month:02d}", datatype=XSD.gMonth))
        if date.day is not None:
            self.add(description, TIME.day, Literal(f"---{date.day:02d}", datatype=XSD.gDay))
        if spec.weekday is not None:
            self.add(description, TIME.dayOfWeek, TIME[spec.weekday])
        if spec.basis != "stated":
            self.add(iri, PKG.assertionMode, ASSERTION[spec.basis])
        if spec.source is not None:
            self.add(iri, PROV.hadPrimarySource, URIRef(spec.source))
        if spec.note is not None:
            self.add(iri, SKOS.note, Literal(spec.note))
        return iri

    # -- evidence --------------------------------------------------------------------------

    def evidence(self, key: str, body: URIRef, line: int, root: URIRef | None = None) -> None:
        root = root or self.mint("evidence", self.doc_id, key)
        fact_id = key if key != FIRST_PUBLICATION else self.doc_id
        for number, span in enumerate(self.spans.get(key, ()), start=1):
            annotation = URIRef(f"{root}/{number}")
            target = URIRef(f"{annotation}/target")
            quote = URIRef(f"{annotation}/quote")
            position = URIRef(f"{annotation}/position")
            for node in (annotation, target, quote, position):
                self.origins[node] = Origin(self.facts.path, line, fact_id)
            self.types(annotation, OA.Annotation)
            self.add(annotation, OA.motivatedBy, PKG.evidencing)
            self.add(annotation, OA.hasBody, body)
            self.add(annotation, OA.hasTarget, target)
            self.types(target, OA.SpecificResource)
            self.add(target, OA.hasSource, self.document_iri)
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, position)
            self.types(quote, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.exact))
            if span.prefix:
                self.add(quote, OA.prefix, Literal(span.prefix))
            if span.suffix:
                self.add(quote, OA.suffix, Literal(span.suffix))
            self.types(position, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))


def _datetime(lexical: str) -> Literal:
    return Literal(lexical, datatype=XSD.dateTime)
