"""Stage 3: map one grounded facts file to RDF, minting every IRI from the base and the curated ids.

No blank nodes are produced, and the superclass types that queries and shapes rely on are written
explicitly, so stores without reasoning and SHACL without inference see the same graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from policykg.dates import Precision
from policykg.errors import MappingError
from policykg.grounding import FIRST_PUBLICATION, Span
from policykg.model import (
    Actor,
    Claim,
    DateSpec,
    Event,
    FactsFile,
    Item,
    Place,
    Post,
    Registry,
    Tenure,
)
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
    """The RDF of one source document (or of the registry): its named graph, as sorted N-Triples
    lines, and the origin of each node."""

    graph_iri: str
    document_iri: str | None
    ntriples: bytes
    origins: dict[URIRef, Origin] = field(default_factory=dict)

    @property
    def graph(self) -> Graph:
        """The named graph as an rdflib graph (parsed on each call)."""
        graph = bind_prefixes(Graph(identifier=URIRef(self.graph_iri)))
        return graph.parse(data=self.ntriples, format="nt")


class Minter:
    """Mints policykg's IRIs from a base IRI and curated ids."""

    def __init__(self, base: str) -> None:
        if not _ABSOLUTE_IRI.match(base):
            raise MappingError(
                f"the base IRI {base!r} is not an absolute IRI ending in '/' or '#'"
                " (for example https://example.org/kg/)"
            )
        self.base = base

    def __call__(self, *segments: str) -> str:
        return self.base + "/".join(segments)


def graph_iri(base: str, doc_id: str) -> str:
    """The IRI of the named graph of document *doc_id*."""
    return Minter(base)("graph", doc_id)


def registry_graph_iri(base: str) -> str:
    """The IRI of the named graph of a corpus's registry."""
    return Minter(base)("graph", "registry")


def map_facts(facts: FactsFile, spans: dict[str, tuple[Span, ...]], base: str) -> MappedDocument:
    """Map *facts*, whose quotes *spans* locates, to the RDF of its document."""
    return _DocumentMapper(facts, spans, Minter(base)).run()


def map_registry(registry: Registry, base: str) -> MappedDocument:
    """Map the actors, places and posts of *registry* to the registry's named graph."""
    mint = Minter(base)
    mapper = _ItemMapper(registry.items_by_id, mint, mint("graph", "registry"))
    for item in registry.items():
        subject = mapper.iri_of(item.id)
        mapper.origins[URIRef(subject)] = Origin(registry.defined_in[item.id], item.line, item.id)
        mapper.item(item, subject)
        if item.note:
            mapper.literal(subject, SKOS.note, item.note)
    return mapper.result(None)


_KINDS = {Actor: "actor", Place: "place", Post: "post", Tenure: "tenure", Event: "event"}


def shared_iri(base: str, item: Item) -> str:
    """The IRI of an item other than a claim: the same in every document that names it."""
    return Minter(base)(_KINDS[type(item)], item.id)


_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\b": "\\b",
        "\f": "\\f",
    }
)


def literal_term(lexical: str, datatype: str | None = None) -> str:
    """*lexical* as an N-Triples literal (a plain string without *datatype*)."""
    quoted = '"' + lexical.translate(_ESCAPES) + '"'
    return quoted if datatype is None or datatype == _XSD_STRING else f"{quoted}^^<{datatype}>"


_XSD_STRING = str(XSD.string)


class _ItemMapper:
    """Writes the triples of actors, places, posts, tenures, events and claims."""

    def __init__(self, items_by_id: Mapping[str, Item], mint: Minter, graph: str) -> None:
        self.items_by_id = items_by_id
        self.mint = mint
        self.graph_iri = graph
        self.lines: set[str] = set()
        self.origins: dict[URIRef, Origin] = {}
        self.doc_id = ""
        self.author: str | None = None

    def result(self, document_iri: str | None) -> MappedDocument:
        ntriples = "".join(sorted(line + " .\n" for line in self.lines)).encode("utf-8")
        return MappedDocument(self.graph_iri, document_iri, ntriples, self.origins)

    # -- helpers ---------------------------------------------------------------------------

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add a triple whose object is the IRI *obj*."""
        self.lines.add(f"<{subject}> <{predicate}> <{obj}>")

    def literal(
        self, subject: str, predicate: str, lexical: str, datatype: str | None = None
    ) -> None:
        self.lines.add(f"<{subject}> <{predicate}> {literal_term(lexical, datatype)}")

    def add_all(self, subject: str, predicate: str, objects: Iterable[str]) -> None:
        for obj in objects:
            self.add(subject, predicate, obj)

    def literals(self, subject: str, predicate: str, values: Iterable[str]) -> None:
        for value in values:
            self.literal(subject, predicate, value)

    def types(self, subject: str, *classes: str) -> None:
        self.add_all(subject, RDF.type, classes)

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
            self.types(subject, SCHEMA.Place, SEM.Place)
            self.literal(subject, RDFS.label, item.name)
            self.wikidata(subject, item.wikidata)
        elif isinstance(item, Post):
            self.types(subject, ORG.Post)
            self.literal(subject, RDFS.label, item.label)
            self.add(subject, ORG.postIn, self.iri_of(item.organization))
        elif isinstance(item, Tenure):
            self.tenure(item, subject)
        elif isinstance(item, Event):
            self.event(item, subject)
        elif isinstance(item, Claim):
            self.claim(item, subject)
        if item.source is not None:  # a curated fact's own source
            self.add(subject, PROV.hadPrimarySource, item.source)

    def wikidata(self, subject: str, qid: str | None) -> None:
        if qid is not None:
            self.add(subject, OWL.sameAs, WIKIDATA[qid])

    def actor(self, actor: Actor, subject: str) -> None:
        self.types(subject, *_ACTOR_TYPES[actor.kind], PROV.Agent)
        self.literal(subject, RDFS.label, actor.name)
        self.literals(subject, SKOS.altLabel, actor.alt_names)
        self.wikidata(subject, actor.wikidata)
        self.add_all(subject, ORG.hasMember, (self.iri_of(m) for m in actor.members))

    def fact_provenance(self, subject: str, asserted_as: str) -> None:
        self.add(subject, PKG.assertionMode, ASSERTION[asserted_as])
        if asserted_as != "curator":  # a curator's addition comes from its own source, not the text
            self.add(subject, PROV.wasDerivedFrom, self.mint("document", self.doc_id))

    def tenure(self, tenure: Tenure, subject: str) -> None:
        post = self.items_by_id[tenure.post]
        assert isinstance(post, Post)
        self.types(subject, ORG.Membership)
        self.add(subject, ORG.member, self.iri_of(tenure.holder))
        self.add(subject, ORG.organization, self.iri_of(post.organization))
        self.add(subject, PKG.post, self.iri_of(tenure.post))
        self.fact_provenance(subject, tenure.asserted_as)
        if tenure.start or tenure.end:
            interval = self.interval(subject + "/time", tenure.start, tenure.end)
            self.add(subject, ORG.memberDuring, interval)

    def event(self, event: Event, subject: str) -> None:
        self.types(subject, SEM.Event)
        self.literal(subject, RDFS.label, event.label)
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
            self.literal(subject, PKG.anniversary, str(event.anniversary), XSD.positiveInteger)
        if event.forecast:
            self.literal(subject, PKG.forecast, "true", XSD.boolean)
        self.fact_provenance(subject, event.asserted_as)
        first, last = (event.date, event.date) if event.date else (event.start, event.end)
        # An event's time belongs to the event (not to a document): every file that defines the
        # event gives it the same date, so its triples are the same wherever they are written.
        if event.date:
            self.add(subject, TIME.hasTime, self.instant(subject + "/time", event.date))
        elif event.start or event.end:
            self.add(
                subject, TIME.hasTime, self.interval(subject + "/time", event.start, event.end)
            )
        if first is not None:
            self.literal(
                subject, SEM.hasEarliestBeginTimeStamp, first.date.earliest().isoformat(), _DT
            )
        if last is not None:
            self.literal(subject, SEM.hasLatestEndTimeStamp, last.date.latest().isoformat(), _DT)

    def claim(self, claim: Claim, subject: str) -> None:
        self.types(subject, _CLAIM_TYPES[claim.kind], PKG.Claim, PROV.Entity)
        self.literal(subject, RDFS.label, claim.summary)
        self.fact_provenance(subject, claim.asserted_as)
        if claim.agent is not None:
            role = PKG.speaker if claim.kind == "statement" else PKG.holder
            self.add(subject, role, self.iri_of(claim.agent))
        asserted_by = claim.asserted_by or self.default_asserter(claim)
        if asserted_by is not None:
            self.add(subject, PKG.assertedBy, self.iri_of(asserted_by))
        self.literals(subject, PKG.directQuote, claim.words)
        if claim.polarity:
            self.add(subject, PKG.polarity, POLARITY[claim.polarity])
        if claim.condition:
            self.literal(subject, PKG.condition, claim.condition)
        if claim.target:
            self.add(subject, PKG.target, self.iri_of(claim.target))
        self.add_all(subject, SCHEMA.about, (self.iri_of(i) for i in claim.about))
        self.add_all(subject, DCTERMS.subject, (TOPIC[t] for t in claim.topics))
        if claim.event:
            self.add(subject, PKG.statedAt, self.iri_of(claim.event))
        if claim.date:
            time = self.mint("time", self.doc_id, claim.id)
            self.add(subject, TIME.hasTime, self.instant(time, claim.date))
        if claim.in_office:
            self.add(subject, PKG.madeInOffice, self.iri_of(claim.in_office))
        if claim.cameo:
            self.add(subject, PKG.cameoCode, CAMEO[claim.cameo])
        self.add_all(subject, DCTERMS.references, (self.iri_of(i) for i in claim.refers_to))
        self.add_all(subject, PROV.wasDerivedFrom, (self.iri_of(i) for i in claim.based_on))
        if claim.forecast:
            self.literal(subject, PKG.forecast, "true", XSD.boolean)

    def default_asserter(self, claim: Claim) -> str | None:
        if claim.asserted_as == "stated":
            return claim.agent
        if claim.asserted_as in ("reported", "assessment"):
            return self.author
        return None

    # -- time ------------------------------------------------------------------------------

    def interval(self, iri: str, start: DateSpec | None, end: DateSpec | None) -> str:
        self.types(iri, TIME.Interval)
        if start is not None:
            self.add(iri, TIME.hasBeginning, self.instant(iri + "/begin", start))
        if end is not None:
            self.add(iri, TIME.hasEnd, self.instant(iri + "/end", end))
        return iri

    def instant(self, iri: str, spec: DateSpec) -> str:
        date = spec.date
        self.types(iri, TIME.Instant)
        predicate, datatype = _IN_XSD[date.precision]
        self.literal(iri, predicate, date.lexical, datatype)
        self.literal(iri, PKG.earliest, date.earliest().isoformat(), _DT)
        self.literal(iri, PKG.latest, date.latest().isoformat(), _DT)
        description = iri + "/description"
        self.add(iri, TIME.inDateTime, description)
        self.types(description, TIME.DateTimeDescription)
        self.add(description, TIME.unitType, _UNIT[date.precision])
        self.literal(description, TIME.year, f"{date.year:04d}", XSD.gYear)
        if date.month is not None:
            self.literal(description, TIME.month, f"--{date.month:02d}", XSD.gMonth)
        if date.day is not None:
            self.literal(description, TIME.day, f"---{date.day:02d}", XSD.gDay)
        if spec.weekday is not None:
            self.add(description, TIME.dayOfWeek, TIME[spec.weekday])
        if spec.basis != "stated":
            self.add(iri, PKG.assertionMode, ASSERTION[spec.basis])
        if spec.source is not None:
            self.add(iri, PROV.hadPrimarySource, spec.source)
        if spec.note is not None:
            self.literal(iri, SKOS.note, spec.note)
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
            self.origins[URIRef(subject)] = Origin(self.facts.path, item.line, item.id)
            self.item(item, subject)
            self.evidence(item.id, subject, item.line)
            if item.note:
                self.literal(subject, SKOS.note, item.note)
        return self.result(self.document_iri)

    def document(self) -> None:
        document = self.facts.document
        iri = self.document_iri
        self.origins[URIRef(iri)] = Origin(self.facts.path, document.line, document.id)
        self.types(iri, SCHEMA[document.type], PROV.Entity)
        self.literal(iri, SCHEMA.name, document.title)
        self.add(iri, SCHEMA.url, document.url)
        self.add(iri, SCHEMA.publisher, self.iri_of(document.publisher))
        self.literal(iri, SCHEMA.inLanguage, document.language)
        text = self.facts.text
        self.literal(iri, PKG.textLength, str(len(text)), XSD.nonNegativeInteger)
        self.literal(iri, PKG.textSha256, hashlib.sha256(text.encode("utf-8")).hexdigest())
        if document.note:
            self.literal(iri, SKOS.note, document.note)
        if document.author is not None:
            author = self.iri_of(document.author)
            self.add(iri, SCHEMA.author, author)
            self.literals(author, SCHEMA.jobTitle, document.author_roles)
        if document.published is not None:
            self.literal(iri, SCHEMA.datePublished, document.published.lexical, XSD.date)
        first = document.first_published
        if first is not None:
            original = self.mint("document", self.doc_id, "first-publication")
            self.origins[URIRef(original)] = Origin(self.facts.path, first.line, document.id)
            self.add(iri, SCHEMA.isBasedOn, original)
            self.types(original, SCHEMA.CreativeWork, PROV.Entity)
            self.add(original, SCHEMA.publisher, self.iri_of(first.publisher))
            self.literal(original, SCHEMA.datePublished, first.date.lexical, XSD.date)
            if first.url:
                self.add(original, SCHEMA.url, first.url)
            self.evidence(FIRST_PUBLICATION, original, first.line, original + "/evidence")

    # -- evidence --------------------------------------------------------------------------

    def evidence(self, key: str, body: str, line: int, root: str | None = None) -> None:
        root = root or self.mint("evidence", self.doc_id, key)
        fact_id = key if key != FIRST_PUBLICATION else self.doc_id
        for number, span in enumerate(self.spans.get(key, ()), start=1):
            annotation = f"{root}/{number}"
            target = f"{annotation}/target"
            quote = f"{annotation}/quote"
            position = f"{annotation}/position"
            for node in (annotation, target, quote, position):
                self.origins[URIRef(node)] = Origin(self.facts.path, line, fact_id)
            self.types(annotation, OA.Annotation)
            self.add(annotation, OA.motivatedBy, PKG.evidencing)
            self.add(annotation, OA.hasBody, body)
            self.add(annotation, OA.hasTarget, target)
            self.types(target, OA.SpecificResource)
            self.add(target, OA.hasSource, self.document_iri)
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, position)
            self.types(quote, OA.TextQuoteSelector)
            self.literal(quote, OA.exact, span.exact)
            if span.prefix:
                self.literal(quote, OA.prefix, span.prefix)
            if span.suffix:
                self.literal(quote, OA.suffix, span.suffix)
            self.types(position, OA.TextPositionSelector)
            self.literal(position, OA.start, str(span.start), XSD.nonNegativeInteger)
            self.literal(position, OA.end, str(span.end), XSD.nonNegativeInteger)


_DT = str(XSD.dateTime)
