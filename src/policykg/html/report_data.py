"""Read a built graph back into the plain data the report page draws (see ``report``).

Everything is read from the RDF alone, so a report can be made of any graph policykg wrote; every
list is sorted, so the same graph always gives the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME
from rdflib.term import Node

from policykg.namespaces import OA, PKG, SCHEMA, SEM
from policykg.resources import ontology_graph
from policykg.validate.shacl import ValidationReport

Payload = dict[str, Any]

_ACTOR_KINDS = (  # the most specific type first
    (ORG.OrganizationalCollaboration, "collaboration"),
    (SCHEMA.Country, "state"),
    (SCHEMA.Person, "person"),
    (FOAF.Group, "group"),
    (ORG.Organization, "organization"),
)
_CLAIM_KINDS = ((PKG.Relation, "relation"), (PKG.Stance, "stance"), (PKG.Statement, "statement"))
_PRECISIONS = {TIME.unitDay: "day", TIME.unitMonth: "month", TIME.unitYear: "year"}
_DATE_PROPERTIES = (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)


def report_data(graph: Graph, *, texts: Mapping[str, str], validation: ValidationReport) -> Payload:
    """The report's data: documents, actors, events, claims with their quotes, and the verdict.

    *texts* maps document IRIs to their full text; documents without one carry ``text: None``.
    """
    reader = _GraphReader(graph)
    documents, actors = reader.documents(texts), reader.actors()
    facts = [*reader.events(), *reader.claims()]
    return {
        "documents": documents,
        "actors": actors,
        "facts": facts,
        "names": reader.names(),  # last: the labels of all that the above point at
        "validation": _validation(validation),
        "tripleCount": len(graph),
    }


class _GraphReader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.vocabulary = ontology_graph()
        self.quotes = self._quotes_by_body()
        self.mentioned: set[URIRef] = set()

    # -- single values ---------------------------------------------------------------------

    def one(self, subject: Node, predicate: URIRef, *, inverse: bool = False) -> Node | None:
        """The least value of *predicate* (deterministic even when there are several); with
        *inverse*, the least subject that has *subject* as its value."""
        found = (
            self.graph.subjects(predicate, subject)
            if inverse
            else self.graph.objects(subject, predicate)
        )
        values = sorted(found, key=_sort_key)
        return values[0] if values else None

    def all(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(self.graph.objects(subject, predicate), key=_sort_key)

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        """A node's label from the graph, else from the ontology's schemes, else its IRI's end."""
        if self.has_type(node, ORG.Membership):
            holder, post = self.one(node, ORG.member), self.one(node, PKG.post)
            if holder is not None and post is not None:
                return f"{self.label(holder)} as {self.label(post)}"
        for source in (self.graph, self.vocabulary):
            for predicate in (RDFS.label, SKOS.prefLabel, SCHEMA.name):
                values = sorted(str(v) for v in source.objects(node, predicate))
                if values:
                    return values[0]
        return _local_name(node)

    def code(self, node: Node | None) -> Payload | None:
        """A SKOS concept (polarity, topic, assertion mode, event type) as code and label."""
        if node is None:
            return None
        definition = sorted(str(v) for v in self.vocabulary.objects(node, SKOS.definition))
        return {
            "code": _local_name(node),
            "label": self.label(node),
            "definition": definition[0] if definition else None,
        }

    def ref(self, node: Node | None) -> str | None:
        """An IRI the page looks up in ``names`` (or among actors and facts)."""
        if not isinstance(node, URIRef):
            return None
        self.mentioned.add(node)
        return str(node)

    def refs(self, subject: Node, predicate: URIRef) -> list[str]:
        return [r for r in (self.ref(n) for n in self.all(subject, predicate)) if r is not None]

    # -- documents and actors --------------------------------------------------------------

    def documents(self, texts: Mapping[str, str]) -> list[Payload]:
        found = []
        for document in self.subjects(PKG.textSha256):
            first = self.one(document, SCHEMA.isBasedOn)
            found.append(
                {
                    "iri": str(document),
                    "title": self.label(document),
                    "url": self.text(document, SCHEMA.url),
                    "publisher": self.ref(self.one(document, SCHEMA.publisher)),
                    "author": self.ref(self.one(document, SCHEMA.author)),
                    "published": self.text(document, SCHEMA.datePublished),
                    "firstPublished": None if first is None else self.first_publication(first),
                    "length": int(str(self.one(document, PKG.textLength) or 0)),
                    "text": texts.get(str(document)),
                }
            )
        return found

    def first_publication(self, node: Node) -> Payload:
        return {
            "publisher": self.ref(self.one(node, SCHEMA.publisher)),
            "date": self.text(node, SCHEMA.datePublished),
            "url": self.text(node, SCHEMA.url),
        }

    def actors(self) -> list[Payload]:
        return [
            {
                "iri": str(actor),
                "label": self.label(actor),
                "kind": self.actor_kind(actor),
                "altLabels": sorted(str(v) for v in self.graph.objects(actor, SKOS.altLabel)),
                "sameAs": [str(v) for v in self.all(actor, OWL.sameAs)],
                "members": self.refs(actor, ORG.hasMember),
                "roles": self.roles_of(actor),
                "source": self.text(actor, PROV.hadPrimarySource),
                "note": self.text(actor, SKOS.note),
                "quotes": self.quotes.get(actor, []),
            }
            for actor in self.typed(PROV.Agent)
        ]

    def roles_of(self, actor: Node) -> list[Payload]:
        """The roles the actor has in events (SEM roles) and in groups (memberships)."""
        found = [
            {
                "in": self.ref(self.one(role, SEM.hasActor, inverse=True)),
                "role": self.code(self.one(role, SEM.roleType)),
                "document": self.ref(self.one(role, SEM.accordingTo)),
            }
            for role in sorted(self.graph.subjects(RDF.value, actor), key=_sort_key)
            if self.has_type(role, SEM.Role)
        ]
        found += [
            {
                "in": self.ref(self.one(membership, ORG.organization)),
                "role": self.code(self.one(membership, ORG.role)),
                "document": self.ref(self.one(membership, PROV.wasDerivedFrom)),
            }
            for membership in sorted(self.graph.subjects(ORG.member, actor), key=_sort_key)
            if self.one(membership, ORG.role) is not None
        ]
        return found

    def actor_kind(self, actor: Node) -> str:
        types = set(self.graph.objects(actor, RDF.type))
        return next((kind for cls, kind in _ACTOR_KINDS if cls in types), "agent")

    # -- facts -----------------------------------------------------------------------------

    def events(self) -> list[Payload]:
        return [
            {
                **self.fact_common(event, "event"),
                "eventType": self.code(self.one(event, SEM.eventType)),
                "actors": [
                    ref
                    for node in self.all(event, SEM.hasActor)
                    if not self.has_type(node, SEM.Role) and (ref := self.ref(node)) is not None
                ],
                "roles": [
                    {
                        "actor": self.ref(self.one(node, RDF.value)),
                        "role": self.code(self.one(node, SEM.roleType)),
                        "document": self.ref(self.one(node, SEM.accordingTo)),
                    }
                    for node in self.all(event, SEM.hasActor)
                    if self.has_type(node, SEM.Role)
                ],
                "place": self.ref(self.one(event, SEM.hasPlace)),
                "partOf": self.ref(self.one(event, SEM.subEventOf)),
                "commemorates": self.ref(self.one(event, PKG.commemorates)),
                "anniversary": self.text(event, PKG.anniversary),
                "readings": [
                    ref
                    for node in sorted(self.graph.subjects(PKG.readingOf, event), key=_sort_key)
                    if self.has_type(node, PKG.Reading) and (ref := self.ref(node)) is not None
                ],
            }
            for event in self.typed(SEM.Event)
        ]

    def claims(self) -> list[Payload]:
        found = []
        for claim in self.typed(PKG.Claim):
            types = set(self.graph.objects(claim, RDF.type))
            kind = next((name for cls, name in _CLAIM_KINDS if cls in types), "claim")
            found.append(
                {
                    **self.fact_common(claim, kind),
                    "speaker": self.ref(self.one(claim, PKG.speaker)),
                    "holder": self.ref(self.one(claim, PKG.holder)),
                    "polarity": self.code(self.one(claim, PKG.polarity)),
                    "condition": self.text(claim, PKG.condition),
                    "target": self.ref(self.one(claim, PKG.target)),
                    "about": self.refs(claim, SCHEMA.about),
                    "topics": [self.code(t) for t in self.all(claim, DCTERMS.subject)],
                    "statedAt": self.ref(self.one(claim, PKG.statedAt)),
                    "inOffice": self.ref(self.one(claim, PKG.madeInOffice)),
                    "words": sorted(str(w) for w in self.graph.objects(claim, PKG.directQuote)),
                    "references": self.refs(claim, DCTERMS.references),
                    "basedOn": [
                        r for r in self.refs(claim, PROV.wasDerivedFrom) if "/document/" not in r
                    ],
                    "relationType": self.code(self.one(claim, PKG.relationType)),
                    "from": self.refs(claim, PKG["from"]),
                    "to": self.ref(self.one(claim, PKG.to)),
                    **self.factuality(claim),
                    "unattributed": PKG.UnattributedView in types,
                    "readingOf": self.ref(self.one(claim, PKG.readingOf)),
                    "accordingTo": self.ref(self.one(claim, SEM.accordingTo)),
                    "sources": [
                        {
                            "source": self.ref(self.one(node, SEM.accordingTo)),
                            **self.factuality(node),
                        }
                        for node in self.all(claim, PKG.factuality)
                    ],
                }
            )
        return found

    def factuality(self, node: Node) -> Payload:
        """The certainty and factual polarity of a claim (its asserter's) or of a further source's
        pkg:Factuality; ``None`` for the default, certain and positive."""
        return {
            "certainty": self.code(self.one(node, PKG.certainty)),
            "factualPolarity": self.code(self.one(node, PKG.factualPolarity)),
            "hedges": sorted(str(w) for w in self.graph.objects(node, PKG.hedge)),
        }

    def fact_common(self, fact: Node, kind: str) -> Payload:
        time = self.one(fact, TIME.hasTime)
        return {
            "iri": str(fact),
            "kind": kind,
            "label": self.label(fact),
            "mode": self.code(self.one(fact, PKG.assertionMode)),
            "assertedBy": self.ref(self.one(fact, PKG.assertedBy)),
            "forecast": self.text(fact, PKG.forecast) == "true",
            "source": self.text(fact, PROV.hadPrimarySource),
            "note": self.text(fact, SKOS.note),
            "time": None if time is None else self.time(time, fact),
            "quotes": self.quotes.get(fact, []),
        }

    # -- time ------------------------------------------------------------------------------

    def time(self, node: Node, fact: Node) -> Payload | None:
        """The time of *fact* as the page shows it; ``None`` for the bare time of an undated event
        (which relative dates may point at) and for a relative date with nothing to place it by.

        A range or relative date is placed by the fact's SEM timestamps (its bounds tightened by
        what the facts say of its order) where the fact has them, else by its own bounds.
        """
        earliest = self.text(fact, SEM.hasEarliestBeginTimeStamp)
        latest = self.text(fact, SEM.hasLatestEndTimeStamp)
        if (node, RDF.type, TIME.Interval) in self.graph:
            begin = self.placed(self.one(node, TIME.hasBeginning), earliest, None)
            end = self.placed(self.one(node, TIME.hasEnd), None, latest)
            if begin is None and end is None:
                return None
            return {"kind": "interval", "begin": begin, "end": end}
        return self.placed(node, earliest, latest)

    def placed(self, node: Node | None, earliest: str | None, latest: str | None) -> Payload | None:
        """The instant *node*, if it has a bound of its own or from *earliest*/*latest* to place it
        by."""
        if node is None or (node, RDF.type, TIME.Instant) not in self.graph:
            return None
        instant = self.instant(node)
        if instant["precision"] == "range":
            instant["placedEarliest"] = earliest or instant["earliest"]
            instant["placedLatest"] = latest or instant["latest"]
            if instant["placedEarliest"] is None and instant["placedLatest"] is None:
                return None
        return instant

    def instant(self, node: Node) -> Payload:
        """An instant; one without a date literal (a range or relative date) has precision
        ``range`` and only the bounds the facts give."""
        description = self.one(node, TIME.inDateTime)
        unit = None if description is None else self.one(description, TIME.unitType)
        value = next((self.text(node, p) for p in _DATE_PROPERTIES if self.one(node, p)), None)
        basis = self.one(node, PKG.assertionMode)
        weekday = None if description is None else self.one(description, TIME.dayOfWeek)
        precision = _PRECISIONS.get(unit, "day") if isinstance(unit, URIRef) else "day"
        return {
            "kind": "instant",
            "value": value,
            "precision": "range" if value is None else precision,
            "earliest": self.text(node, PKG.earliest),
            "latest": self.text(node, PKG.latest),
            "basis": self.code(basis) if basis is not None else None,
            "weekday": None if weekday is None else _local_name(weekday),
            "source": self.text(node, PROV.hadPrimarySource),
            "note": self.text(node, SKOS.note),
        }

    # -- evidence --------------------------------------------------------------------------

    def _quotes_by_body(self) -> dict[Node, list[Payload]]:
        found: dict[Node, list[Payload]] = {}
        for annotation in self.typed(OA.Annotation):
            body, target = self.one(annotation, OA.hasBody), self.one(annotation, OA.hasTarget)
            if body is None or target is None:
                continue
            quote = self.quote(target)
            if quote is not None:
                found.setdefault(body, []).append(quote)
        for quotes in found.values():
            quotes.sort(key=lambda q: (q["document"] or "", q["start"] or 0, q["exact"]))
        return found

    def quote(self, target: Node) -> Payload | None:
        selectors = self.all(target, OA.hasSelector)
        text_quote = next((s for s in selectors if self.has_type(s, OA.TextQuoteSelector)), None)
        position = next((s for s in selectors if self.has_type(s, OA.TextPositionSelector)), None)
        if text_quote is None:
            return None
        return {
            "document": self.text(target, OA.hasSource),
            "exact": self.text(text_quote, OA.exact) or "",
            "prefix": self.text(text_quote, OA.prefix) or "",
            "suffix": self.text(text_quote, OA.suffix) or "",
            "start": _int(self.one(position, OA.start)) if position is not None else None,
            "end": _int(self.one(position, OA.end)) if position is not None else None,
        }

    # -- helpers ---------------------------------------------------------------------------

    def has_type(self, node: Node, cls: URIRef) -> bool:
        return (node, RDF.type, cls) in self.graph

    def typed(self, cls: URIRef) -> list[URIRef]:
        return sorted(s for s in self.graph.subjects(RDF.type, cls) if isinstance(s, URIRef))

    def subjects(self, predicate: URIRef) -> list[URIRef]:
        return sorted({s for s in self.graph.subjects(predicate, None) if isinstance(s, URIRef)})

    def names(self) -> dict[str, str]:
        """Labels of every IRI the data points at (actors, events, places, tenures...)."""
        return {str(node): self.label(node) for node in sorted(self.mentioned)}


def _validation(report: ValidationReport) -> Payload:
    return {
        "conforms": report.conforms,
        "violations": [
            {
                "severity": v.severity,
                "shape": v.shape,
                "focusNode": v.focus_node,
                "path": v.path,
                "value": v.value,
                "message": v.message,
                "origin": v.origin,
            }
            for v in report.violations
        ],
    }


def _local_name(node: Node) -> str:
    text = str(node).rstrip("/")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _sort_key(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, URIRef) else 1 if isinstance(node, Literal) else 2, str(node))


def _int(node: Node | None) -> int | None:
    return None if node is None else int(str(node))
