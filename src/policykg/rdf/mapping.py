"""Map one grounded facts file to RDF, minting every IRI from the base and the curated ids.

No blank nodes are produced, and the superclass types that queries and shapes rely on are written
explicitly, so stores without reasoning and SHACL without inference see the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
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
from policykg.facts.dates import Precision
from policykg.facts.grounding import DISCLAIMER, FIRST_PUBLICATION, Span
from policykg.facts.iris import base_problem
from policykg.facts.model import (
    Actor,
    Claim,
    DateSpec,
    Event,
    FactsFile,
    Factuality,
    Item,
    Place,
    Post,
    Registry,
    Tenure,
    factual_polarity,
)
from policykg.namespaces import (
    ASSERTION,
    CAMEO,
    CERTAINTY,
    CHANNEL,
    EVENTTYPE,
    FACTPOL,
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
from policykg.rdf.ntriples import (
    iri_triple,
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
    origin_of: dict[str, Origin] = field(default_factory=dict)
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
    """Map the actors, places and posts of *registry* to the registry's named graph."""
    mint = Minter(base)
    mapper = _ItemMapper(registry.items_by_id, mint, mint("graph", "registry"))
    for item in registry.items():
        subject = mapper.iri_of(item.id)
        mapper.origins[subject] = Origin(registry.defined_in[item.id], item.line, item.id)
        mapper.item(item, subject)
        if item.note:
            mapper.literal(subject, skos_.note, item.note)
    return mapper.result(None)


_KINDS = {Actor: "actor", Place: "place", Post: "post", Tenure: "tenure", Event: "event"}


def shared_iri(base: str, item: Item) -> str:
    """The IRI of an item other than a claim: the same in every document that names it."""
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
        first, last = (event.date, event.date) if event.date else (event.start, event.end)
        # An event's time belongs to the event (not to a document): every file that defines the
        # event gives it the same date, so its triples are the same wherever they are written.
        if event.date:
            self.add(subject, time_.hasTime, self.instant(subject + "/time", event.date))
        elif event.start or event.end:
            self.add(
                subject, time_.hasTime, self.interval(subject + "/time", event.start, event.end)
            )
        if first is not None:
            self.literal(
                subject, sem_.hasEarliestBeginTimeStamp, first.date.earliest().isoformat(), _DT
            )
        if last is not None:
            self.literal(subject, sem_.hasLatestEndTimeStamp, last.date.latest().isoformat(), _DT)

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
        predicate, datatype = _IN_XSD[date.precision]
        self.literal(iri, predicate, date.lexical, datatype)
        self.literal(iri, pkg_.earliest, date.earliest().isoformat(), _DT)
        self.literal(iri, pkg_.latest, date.latest().isoformat(), _DT)
        description = iri + "/description"
        self.add(iri, time_.inDateTime, description)
        self.types(description, time_.DateTimeDescription)
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


class _DocumentMapper(_ItemMapper):
    """Writes the triples of one article: its document, its items and their evidence."""

    def __init__(self, facts: FactsFile, spans: dict[str, tuple[Span, ...]], mint: Minter) -> None:
        super().__init__(facts.items_by_id, mint, mint("graph", facts.document.id))
        self.facts = facts
        self.spans = spans
        self.doc_id = facts.document.id
        self.author = facts.document.author
        self.document_iri = mint("document", self.doc_id)

    def run(self) -> MappedDocument:
        self.document()
        for item in self.facts.items():
            subject = self.iri_of(item.id)
            self.origins[subject] = Origin(self.facts.path, item.line, item.id)
            self.item(item, subject)
            self.evidence(item.id, subject, item.line)
            if item.note:
                self.literal(subject, skos_.note, item.note)
        return self.result(self.document_iri)

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
            author = self.iri_of(document.author)
            self.add(iri, schema_.author, author)
            self.literals(author, schema_.jobTitle, document.author_roles)
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

    # -- evidence --------------------------------------------------------------------------

    def evidence(self, key: str, body: str, line: int, root: str | None = None) -> None:
        root = root or self.mint("evidence", self.doc_id, key)
        fact_id = key if key not in (FIRST_PUBLICATION, DISCLAIMER) else self.doc_id
        for number, span in enumerate(self.spans.get(key, ()), start=1):
            annotation = f"{root}/{number}"
            target = f"{annotation}/target"
            quote = f"{annotation}/quote"
            position = f"{annotation}/position"
            for node in (annotation, target, quote, position):
                self.origins[node] = Origin(self.facts.path, line, fact_id)
            self.types(annotation, oa_.Annotation)
            self.add(annotation, oa_.motivatedBy, pkg_.evidencing)
            self.add(annotation, oa_.hasBody, body)
            self.add(annotation, oa_.hasTarget, target)
            self.types(target, oa_.SpecificResource)
            self.add(target, oa_.hasSource, self.document_iri)
            self.add(target, oa_.hasSelector, quote)
            self.add(target, oa_.hasSelector, position)
            self.types(quote, oa_.TextQuoteSelector)
            self.literal(quote, oa_.exact, span.exact)
            if span.prefix:
                self.literal(quote, oa_.prefix, span.prefix)
            if span.suffix:
                self.literal(quote, oa_.suffix, span.suffix)
            self.types(position, oa_.TextPositionSelector)
            self.literal(position, oa_.start, str(span.start), xsd_.nonNegativeInteger)
            self.literal(position, oa_.end, str(span.end), xsd_.nonNegativeInteger)


_DT = str(xsd_.dateTime)
