"""Checks of ontology/policykg.ttl: metadata, own terms, SKOS code lists, OWL 2 DL typing, and
consistency under a real OWL reasoner (HermiT, through owlready2; needs Java).

Each structural check is a function that returns a list of problems; the tests assert that the
real ontology has none, and that a deliberately broken copy has some (so a check that stopped
checking would be noticed).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "policykg.ttl"
MODEL_DOC = ROOT / "docs" / "model.md"

ONTOLOGY = URIRef("https://w3id.org/policykg/ns")
OWN_BASE = "https://w3id.org/policykg/"  # everything under it is ours: terms, schemes, concepts
PKG = Namespace("https://w3id.org/policykg/ns#")
VANN = Namespace("http://purl.org/vocab/vann/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

PREFIXES = {
    "pkg": str(PKG),
    "org": str(ORG),
    "time": str(TIME),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "sem": str(SEM),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "polarity": OWN_BASE + "polarity/",
    "topic": OWN_BASE + "topic/",
    "assertion": OWN_BASE + "assertion/",
    "eventtype": OWN_BASE + "eventtype/",
    "cameo": OWN_BASE + "cameo/",
    "reltype": OWN_BASE + "relation/",
    "roletype": OWN_BASE + "role/",
    "doctype": OWN_BASE + "doctype/",
    "certainty": OWN_BASE + "certainty/",
    "factpol": OWN_BASE + "factual-polarity/",
    "channel": OWN_BASE + "channel/",
}

# --- the vocabulary the brief and docs/model.md ask for -------------------------------------

OWN_CLASSES = {
    PKG.Claim,
    PKG.Statement,
    PKG.Stance,
    PKG.Relation,
    PKG.Reading,
    PKG.UnattributedView,
    PKG.Factuality,
}
OWN_OBJECT_PROPERTIES = {
    PKG.assertionMode,
    PKG.assertedBy,
    PKG.speaker,
    PKG.holder,
    PKG.polarity,
    PKG.target,
    PKG.statedAt,
    PKG.madeInOffice,
    PKG.cameoCode,
    PKG.commemorates,
    PKG.post,
    PKG.relationType,
    PKG["from"],
    PKG.to,
    PKG.readingOf,
    PKG.offsetFrom,
    PKG.certainty,
    PKG.factualPolarity,
    PKG.factuality,
    PKG.channel,
}
OWN_DATATYPE_PROPERTIES = {
    PKG.condition,
    PKG.directQuote,
    PKG.forecast,
    PKG.anniversary,
    PKG.earliest,
    PKG.latest,
    PKG.textLength,
    PKG.textSha256,
    PKG.authorRole,
    PKG.offset,
    PKG.offsetTolerance,
    PKG.hedge,
    PKG.scareQuote,
}
OWN_INDIVIDUALS = {PKG.evidencing}
OWN_TERMS = OWN_CLASSES | OWN_OBJECT_PROPERTIES | OWN_DATATYPE_PROPERTIES | OWN_INDIVIDUALS

# Domains are deliberately few: a domain is an inference, not a check (SHACL checks). A property
# not listed here must have none.
EXPECTED_DOMAINS = {
    PKG.speaker: PKG.Statement,
    PKG.holder: PKG.Stance,
    PKG.polarity: PKG.Stance,
    PKG.post: ORG.Membership,
    PKG.condition: PKG.Stance,
    PKG.directQuote: PKG.Statement,
    PKG.earliest: TIME.Instant,
    PKG.latest: TIME.Instant,
    PKG.relationType: PKG.Relation,
    PKG["from"]: PKG.Relation,
    PKG.to: PKG.Relation,
    PKG.readingOf: PKG.Reading,
    PKG.factuality: PKG.Claim,
    PKG.channel: PKG.Statement,
    PKG.scareQuote: PKG.Claim,
}
# pkg:readingOf has no range: a shared item may be an event, an actor, a place, a post or a tenure.
EXPECTED_SUPERPROPERTIES = {PKG.readingOf: {SCHEMA.about}}
# None: deliberately no range (the ends of a relation are claims, events or documents).
EXPECTED_RANGES: dict[URIRef, URIRef | None] = {
    PKG.assertionMode: SKOS.Concept,
    PKG.assertedBy: PROV.Agent,
    PKG.speaker: PROV.Agent,
    PKG.holder: PROV.Agent,
    PKG.polarity: SKOS.Concept,
    PKG.target: PROV.Agent,
    PKG.statedAt: SEM.Event,
    PKG.madeInOffice: ORG.Membership,
    PKG.cameoCode: SKOS.Concept,
    PKG.commemorates: SEM.Event,
    PKG.post: ORG.Post,
    PKG.condition: XSD.string,
    PKG.directQuote: XSD.string,
    PKG.forecast: XSD.boolean,
    PKG.anniversary: XSD.positiveInteger,
    PKG.earliest: XSD.dateTime,
    PKG.latest: XSD.dateTime,
    PKG.textLength: XSD.nonNegativeInteger,
    PKG.textSha256: XSD.string,
    PKG.relationType: SKOS.Concept,
    PKG["from"]: None,
    PKG.to: None,
    PKG.authorRole: XSD.string,
    PKG.offsetFrom: TIME.TemporalEntity,
    # xsd:duration is outside the OWL 2 datatype map: no range (the shapes check the datatype).
    PKG.offset: None,
    PKG.offsetTolerance: None,
    PKG.certainty: SKOS.Concept,
    PKG.factualPolarity: SKOS.Concept,
    PKG.factuality: PKG.Factuality,
    PKG.channel: SKOS.Concept,
    PKG.hedge: XSD.string,
    PKG.scareQuote: XSD.string,
}
EXPECTED_SUPERCLASSES = {
    PKG.Claim: {PROV.Entity},
    PKG.Statement: {PKG.Claim},
    PKG.Stance: {PKG.Claim},
    PKG.Relation: {PKG.Claim},
    PKG.Reading: {PKG.Claim},
    PKG.UnattributedView: {PKG.Stance},
}

# Terms of other vocabularies that the ontology or the mapper uses, with the one OWL kind each
# must be declared with.
EXTERNAL_CLASSES = {
    ORG.Post,
    ORG.Membership,
    ORG.Role,
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalCollaboration,
    SCHEMA.Person,
    SCHEMA.Country,
    SCHEMA.Place,
    SCHEMA.CreativeWork,
    # document types of docs/facts-format.md
    SCHEMA.AnalysisNewsArticle,
    SCHEMA.NewsArticle,
    SCHEMA.OpinionNewsArticle,
    SCHEMA.ReportageNewsArticle,
    SCHEMA.Report,
    SCHEMA.ScholarlyArticle,
    SCHEMA.Article,
    FOAF.Group,
    PROV.Agent,
    PROV.Entity,
    SEM.Event,
    SEM.Place,
    SEM.EventType,
    SEM.Role,
    SEM.View,
    SEM.RoleType,
    TIME.TemporalEntity,
    TIME.Instant,
    TIME.Interval,
    TIME.DateTimeDescription,
    TIME.TemporalUnit,
    TIME.DayOfWeek,
    OA.Annotation,
    OA.SpecificResource,
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
    OA.Motivation,
    SKOS.Concept,
    SKOS.ConceptScheme,
}
EXTERNAL_OBJECT_PROPERTIES = {
    ORG.postIn,
    ORG.member,
    ORG.organization,
    ORG.memberDuring,
    ORG.hasMember,
    ORG.role,
    TIME.hasTime,
    TIME.hasBeginning,
    TIME.hasEnd,
    TIME.inDateTime,
    TIME.unitType,
    TIME.dayOfWeek,
    TIME.after,
    TIME.before,
    PROV.wasDerivedFrom,
    PROV.hadPrimarySource,
    OA.motivatedBy,
    OA.hasBody,
    OA.hasTarget,
    OA.hasSource,
    OA.hasSelector,
    SEM.eventType,
    SEM.hasActor,
    SEM.hasPlace,
    SEM.subEventOf,
    SEM.roleType,
    SEM.accordingTo,
    SCHEMA.publisher,
    SCHEMA.author,
    SCHEMA.isBasedOn,
    SCHEMA.about,
    SCHEMA.containedInPlace,
    SCHEMA.publishingPrinciples,
    SCHEMA.url,
    DCTERMS.subject,
    DCTERMS.references,
    DCTERMS.type,
    SKOS.inScheme,
    SKOS.hasTopConcept,
    SKOS.topConceptOf,
    SKOS.broader,
}
EXTERNAL_DATATYPE_PROPERTIES = {
    SCHEMA.name,
    SCHEMA.datePublished,
    SCHEMA.inLanguage,
    TIME.inXSDDate,
    TIME.inXSDgYearMonth,
    TIME.inXSDgYear,
    TIME.year,
    TIME.month,
    TIME.day,
    SEM.hasEarliestBeginTimeStamp,
    SEM.hasLatestEndTimeStamp,
    OA.exact,
    OA.prefix,
    OA.suffix,
    OA.start,
    OA.end,
}
EXTERNAL_ANNOTATION_PROPERTIES = {
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    RDFS.seeAlso,
    OWL.versionInfo,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SKOS.definition,
    SKOS.notation,
    SKOS.note,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.license,
    DCTERMS.creator,
    DCTERMS.created,
    VANN.preferredNamespacePrefix,
    VANN.preferredNamespaceUri,
}
EXTERNAL_INDIVIDUALS = {
    TIME.unitDay,
    TIME.unitMonth,
    TIME.unitYear,
    OA.linking,
    TIME.Monday,
    TIME.Tuesday,
    TIME.Wednesday,
    TIME.Thursday,
    TIME.Friday,
    TIME.Saturday,
    TIME.Sunday,
}

# The SKOS code lists: scheme -> (concept namespace, concepts, top concepts, {narrower: broader}).
_TOPICS = [
    "nuclear-programme",
    "nuclear-deal",
    "ballistic-missiles",
    "human-rights",
    "terrorism",
    "regional-security",
    "regional-conflicts",
    "syrian-crisis",
    "sanctions",
    "international-finance",
    "bilateral-relations",
    "negotiations",
    "regional-diplomacy",
    "sanctions-relief",
    "nuclear-enrichment",
    "research-and-development",
    "verification",
]
_TOPIC_BROADER = {
    "syrian-crisis": "regional-conflicts",
    "sanctions-relief": "sanctions",
    "nuclear-enrichment": "nuclear-programme",
}
_CAMEO_ROOTS = ["01", "03", "04", "05", "08", "11", "12"]
_CAMEO_NARROWER = [
    "010",
    "012",
    "013",
    "036",
    "046",
    "051",
    "057",
    "081",
    "085",
    "111",
    "112",
    "120",
    "125",
]
SCHEMES = {
    "polarity": (
        [
            "supports",
            "opposes",
            "rules-out",
            "open-to",
            "conditionally-open",
            "sceptical",
            "non-committal",
            "ambivalent",
            "welcomes",
            "hopeful",
            "concerned",
        ],
        None,
        {},
    ),
    "certainty": (["certain", "probable", "possible", "uncommitted"], None, {}),
    "factual-polarity": (["positive", "negative", "unknown"], None, {}),
    "channel": (
        [
            "speech",
            "interview",
            "social-media-post",
            "press-conference",
            "written-statement",
            "website",
            "media-report",
        ],
        None,
        {},
    ),
    "assertion": (["stated", "reported", "assessment", "derived", "curator"], None, {}),
    "topic": (_TOPICS, [t for t in _TOPICS if t not in _TOPIC_BROADER], _TOPIC_BROADER),
    "eventtype": (
        [
            "speech",
            "remark",
            "agreement",
            "negotiation",
            "death",
            "verification",
            "diplomatic-process",
            "sanctions-relief",
        ],
        None,
        {},
    ),
    "cameo": (
        _CAMEO_ROOTS + _CAMEO_NARROWER,
        _CAMEO_ROOTS,
        {c: c[:2] for c in _CAMEO_NARROWER},
    ),
    "relation": (
        [
            "causes",
            "enables",
            "undermines",
            "intensifies",
            "intends",
            "responds-to",
            "supports",
            "contradicts",
            "disputes",
            "repeats",
            "echoes",
            "contrasts-with",
        ],
        None,
        {},
    ),
    "role": (
        [
            "leader",
            "participant",
            "speaker",
            "announcer",
            "reader",
            "issuer",
            "verifier",
            "verified-party",
            "target",
            "audience",
            "mediator",
            "supporter",
        ],
        None,
        {},
    ),
    "doctype": (
        [
            "agreement",
            "joint-statement",
            "fact-sheet",
            "report",
            "transcript",
            "statement",
            "press-release",
        ],
        None,
        {},
    ),
}
# References, not imports: a relation type may point at the FARO or AIF term it corresponds to.
SEE_ALSO_NAMESPACES = ("http://purl.org/faro/", "http://www.arg.dundee.ac.uk/aif#")
CAMEO_LABELS = {
    "01": "Make public statement",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "08": "Yield",
    "11": "Disapprove",
    "12": "Reject",
    "010": "Make statement, not specified below",
    "012": "Make pessimistic comment",
    "013": "Make optimistic comment",
    "036": "Express intent to meet or negotiate",
    "046": "Engage in negotiation",
    "051": "Praise or endorse",
    "057": "Sign formal agreement",
    "081": "Ease administrative sanctions",
    "085": "Ease economic sanctions, boycott, or embargo",
    "111": "Criticize or denounce",
    "112": "Accuse, not specified below",
    "120": "Reject, not specified below",
    "125": "Reject proposal to meet, discuss, or negotiate",
}
# FactBank's codes (Sauri and Pustejovsky 2009) are the notations of these schemes; every other
# concept's notation is its code.
NOTATIONS = {
    "certainty": {"certain": "CT", "probable": "PR", "possible": "PS", "uncommitted": "U"},
    "factual-polarity": {"positive": "+", "negative": "-", "unknown": "u"},
}

# --- OWL 2 vocabulary facts ------------------------------------------------------------------

DECLARATION_KINDS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDFS.Datatype,
}
PROPERTY_KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
# Predicates that are OWL syntax (RDF mapping of axioms and of the ontology header), not entities.
STRUCTURAL_PREDICATES = {
    RDF.type,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.versionIRI,
    OWL.imports,
    OWL.equivalentClass,
    OWL.disjointWith,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.propertyDisjointWith,
    OWL.sameAs,
    OWL.differentFrom,
}
# The built-in annotation properties: the only reserved-vocabulary IRIs that may be declared.
BUILTIN_ANNOTATION_PROPERTIES = {
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.deprecated,
    OWL.versionInfo,
    OWL.priorVersion,
    OWL.backwardCompatibleWith,
    OWL.incompatibleWith,
}
RESERVED_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
# OWL 2 Structural Specification, section 4 (the OWL 2 datatype map), plus rdfs:Literal.
OWL2_DATATYPES = {OWL.real, OWL.rational, RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal} | {
    XSD[name]
    for name in [
        "decimal",
        "integer",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "double",
        "float",
        "string",
        "normalizedString",
        "token",
        "language",
        "Name",
        "NCName",
        "NMTOKEN",
        "boolean",
        "hexBinary",
        "base64Binary",
        "anyURI",
        "dateTime",
        "dateTimeStamp",
    ]
}


def _local(iri: URIRef, namespace: str) -> str:
    return str(iri)[len(namespace) :]


def _english(values) -> list[Literal]:
    return [v for v in values if isinstance(v, Literal) and v.language == "en"]


def _kinds(g: Graph) -> dict[URIRef, set[URIRef]]:
    kinds: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, k in g.subject_objects(RDF.type):
        if k in DECLARATION_KINDS:
            kinds[s].add(k)
    return kinds


# --- the checks ------------------------------------------------------------------------------


def metadata_problems(g: Graph) -> list[str]:
    problems = []
    if (ONTOLOGY, RDF.type, OWL.Ontology) not in g:
        return [f"{ONTOLOGY} is not an owl:Ontology"]
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    if ontologies != {ONTOLOGY}:
        problems.append(f"more than one owl:Ontology: {ontologies}")
    exact = {
        OWL.versionIRI: URIRef("https://w3id.org/policykg/ns/0.1.0"),
        OWL.versionInfo: Literal("0.1.0"),
        DCTERMS.license: URIRef("https://creativecommons.org/licenses/by/4.0/"),
        DCTERMS.creator: Literal("policykg contributors"),
        VANN.preferredNamespacePrefix: Literal("pkg"),
        VANN.preferredNamespaceUri: Literal(str(PKG)),
    }
    for p, expected in exact.items():
        values = set(g.objects(ONTOLOGY, p))
        if values != {expected}:
            problems.append(f"header {p}: expected {expected!r}, found {values}")
    for p in (DCTERMS.title, DCTERMS.description, RDFS.comment):
        if not _english(g.objects(ONTOLOGY, p)):
            problems.append(f"header has no English {p}")
    created = list(g.objects(ONTOLOGY, DCTERMS.created))
    if len(created) != 1 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(created[0])):
        problems.append(f"header dcterms:created should be one YYYY-MM-DD date: {created}")
    comment = " ".join(str(c) for c in g.objects(ONTOLOGY, RDFS.comment))
    for vocabulary in (
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/2006/time#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/oa#",
        "SKOS",
        "https://schema.org/",
        "http://purl.org/dc/terms/",
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "FOAF",
    ):
        if vocabulary not in comment:
            problems.append(f"the reuse policy (rdfs:comment) does not mention {vocabulary}")
    if list(g.triples((None, OWL.imports, None))):
        problems.append("owl:imports present: the ontology must load on its own, offline")
    return problems


def own_term_problems(g: Graph) -> list[str]:
    """Every pkg: term used or declared anywhere is documented."""
    problems = []
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(PKG)}
    for term in sorted(used):
        if len(_english(g.objects(term, RDFS.label))) != 1:
            problems.append(f"{term}: needs exactly one English rdfs:label")
        if not (
            _english(g.objects(term, RDFS.comment)) or _english(g.objects(term, SKOS.definition))
        ):
            problems.append(f"{term}: needs an English rdfs:comment or skos:definition")
        if set(g.objects(term, RDFS.isDefinedBy)) != {ONTOLOGY}:
            problems.append(f"{term}: needs rdfs:isDefinedBy <{ONTOLOGY}>")
    return problems


def domain_problems(g: Graph) -> list[str]:
    problems = []
    for p in sorted(OWN_OBJECT_PROPERTIES | OWN_DATATYPE_PROPERTIES):
        domains = set(g.objects(p, RDFS.domain))
        if len(domains) > 1:
            problems.append(f"{p}: more than one rdfs:domain (an intersection): {domains}")
        expected = {EXPECTED_DOMAINS[p]} if p in EXPECTED_DOMAINS else set()
        if domains != expected:
            problems.append(f"{p}: rdfs:domain {domains}, expected {expected or 'none'}")
        ranges = set(g.objects(p, RDFS.range))
        expected_range = EXPECTED_RANGES.get(p)
        if ranges != ({expected_range} if expected_range is not None else set()):
            problems.append(f"{p}: rdfs:range {ranges}, expected {expected_range or 'none'}")
    for p, expected in EXPECTED_SUPERPROPERTIES.items():
        found = set(g.objects(p, RDFS.subPropertyOf))
        if found != expected:
            problems.append(f"{p}: rdfs:subPropertyOf {found}, expected {expected}")
    for c, expected in EXPECTED_SUPERCLASSES.items():
        found = set(g.objects(c, RDFS.subClassOf))
        if found != expected:
            problems.append(f"{c}: rdfs:subClassOf {found}, expected {expected}")
    return problems


def foreign_axiom_problems(g: Graph) -> list[str]:
    """Terms of other vocabularies are only declared: no domain, range, superclass, label..."""
    problems = []
    for s, p, o in g:
        if isinstance(s, BNode) or isinstance(o, BNode):
            problems.append(f"blank node in ({s}, {p}, {o})")
            continue
        if str(s).startswith(OWN_BASE):
            continue
        if p != RDF.type or o not in DECLARATION_KINDS | {OWL.NamedIndividual}:
            problems.append(f"statement about another vocabulary's term: ({s}, {p}, {o})")
    return problems


def dl_typing_problems(g: Graph) -> list[str]:
    """OWL 2 DL typing, checked over the RDF graph itself."""
    problems = []
    kinds = _kinds(g)
    for iri, ks in sorted(kinds.items()):
        if len(ks) > 1:
            problems.append(f"{iri} is declared as several kinds (punning): {sorted(ks)}")
        if str(iri).startswith(RESERVED_NAMESPACES) and iri not in BUILTIN_ANNOTATION_PROPERTIES:
            problems.append(f"{iri}: reserved vocabulary must not be declared as an entity")
        if str(iri).startswith(RESERVED_NAMESPACES) and ks != {OWL.AnnotationProperty}:
            problems.append(f"{iri}: built-in annotation property declared as {sorted(ks)}")

    def kind(iri) -> URIRef | None:
        ks = kinds.get(iri, set())
        return next(iter(ks)) if len(ks) == 1 else None

    def need_class(iri, where: str) -> None:
        if kind(iri) != OWL.Class:
            problems.append(f"{iri} ({where}) is not declared (only) as owl:Class")

    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            problems.append(f"literal {o!r} of ({s}, {p}): datatype not in the OWL 2 datatype map")
        if p == OWL.imports:
            problems.append(f"owl:imports {o}")
        if p in STRUCTURAL_PREDICATES:
            continue
        pk = kind(p)
        if pk not in PROPERTY_KINDS:
            problems.append(f"predicate {p} is not declared with exactly one property kind")
        elif pk == OWL.ObjectProperty and not isinstance(o, URIRef):
            problems.append(f"object property {p} has a literal value {o!r}")
        elif pk == OWL.DatatypeProperty and not isinstance(o, Literal):
            problems.append(f"datatype property {p} has a resource value {o}")

    for s, c in g.subject_objects(RDF.type):
        if c not in DECLARATION_KINDS | {OWL.Ontology, OWL.NamedIndividual}:
            need_class(c, f"type of {s}")
    for s, c in g.subject_objects(RDFS.subClassOf):
        need_class(s, "subclass")
        need_class(c, f"superclass of {s}")
    for p, c in g.subject_objects(RDFS.domain):
        if kind(p) not in (OWL.ObjectProperty, OWL.DatatypeProperty):
            problems.append(f"rdfs:domain on {p}, which is not an object or datatype property")
        need_class(c, f"domain of {p}")
    for p, r in g.subject_objects(RDFS.range):
        if kind(p) == OWL.ObjectProperty:
            need_class(r, f"range of {p}")
        elif kind(p) == OWL.DatatypeProperty:
            if r not in OWL2_DATATYPES:
                problems.append(f"range {r} of {p} is not in the OWL 2 datatype map")
        else:
            problems.append(f"rdfs:range on {p}, which is not an object or datatype property")
    return problems


def skos_problems(g: Graph) -> list[str]:
    problems = []
    schemes = {URIRef(OWN_BASE + "scheme/" + name) for name in SCHEMES}
    found_schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    if found_schemes != schemes:
        problems.append(f"concept schemes {sorted(found_schemes)}, expected {sorted(schemes)}")
    in_some_scheme = set(g.subjects(SKOS.inScheme, None))
    if set(g.subjects(RDF.type, SKOS.Concept)) != in_some_scheme:
        problems.append("every skos:Concept must be in a scheme, and only concepts in schemes")

    for name, (concepts, tops, broader) in SCHEMES.items():
        scheme = URIRef(OWN_BASE + "scheme/" + name)
        ns = OWN_BASE + name + "/"
        tops = concepts if tops is None else tops
        if len(_english(g.objects(scheme, SKOS.prefLabel))) != 1:
            problems.append(f"{scheme}: needs one English skos:prefLabel")
        if not _english(g.objects(scheme, SKOS.definition)):
            problems.append(f"{scheme}: needs an English skos:definition")
        members = set(g.subjects(SKOS.inScheme, scheme))
        expected = {URIRef(ns + c) for c in concepts}
        if members != expected:
            problems.append(
                f"{scheme}: concepts differ; missing {sorted(expected - members)}, "
                f"unexpected {sorted(members - expected)}"
            )
        top = set(g.objects(scheme, SKOS.hasTopConcept))
        if not top:
            problems.append(f"{scheme}: no skos:hasTopConcept")
        if top != {URIRef(ns + c) for c in tops}:
            problems.append(f"{scheme}: top concepts {sorted(top)}")
        if set(g.subjects(SKOS.topConceptOf, scheme)) != top:
            problems.append(f"{scheme}: skos:topConceptOf does not mirror skos:hasTopConcept")
        for concept in sorted(members):
            code = _local(concept, ns)
            if (concept, RDF.type, SKOS.Concept) not in g:
                problems.append(f"{concept}: not a skos:Concept")
            if set(g.objects(concept, SKOS.inScheme)) != {scheme}:
                problems.append(f"{concept}: must be in exactly its own scheme")
            labels = list(g.objects(concept, SKOS.prefLabel))
            if len(labels) != 1 or len(_english(labels)) != 1:
                problems.append(f"{concept}: needs exactly one skos:prefLabel, in English")
            if not _english(g.objects(concept, SKOS.definition)):
                problems.append(f"{concept}: needs an English skos:definition")
            notations = list(g.objects(concept, SKOS.notation))
            notation = NOTATIONS.get(name, {}).get(code, code)
            if notations != [Literal(notation)]:
                problems.append(
                    f"{concept}: skos:notation {notations}, expected plain {notation!r}"
                )
            parents = set(g.objects(concept, SKOS.broader))
            expected_parent = {URIRef(ns + broader[code])} if code in broader else set()
            if parents != expected_parent:
                problems.append(f"{concept}: skos:broader {parents}, expected {expected_parent}")
            for parent in parents:
                if (parent, SKOS.inScheme, scheme) not in g:
                    problems.append(f"{concept}: broader {parent} is not in {scheme}")
            if name == "eventtype" and (concept, RDF.type, SEM.EventType) not in g:
                problems.append(f"{concept}: an event type must also be a sem:EventType")
            if name == "role" and not {SEM.RoleType, ORG.Role} <= set(g.objects(concept, RDF.type)):
                problems.append(f"{concept}: a role must also be a sem:RoleType and an org:Role")
            for see_also in g.objects(concept, RDFS.seeAlso):
                if not str(see_also).startswith(SEE_ALSO_NAMESPACES):
                    problems.append(f"{concept}: rdfs:seeAlso {see_also} is neither FARO nor AIF")
            if name == "cameo" and labels and str(labels[0]) != CAMEO_LABELS[code]:
                problems.append(
                    f"{concept}: label {labels[0]!r}, CAMEO says {CAMEO_LABELS[code]!r}"
                )
    return problems


def mapping_declaration_problems(g: Graph) -> list[str]:
    """Everything the mapper writes is declared here, with the kind its values need."""
    problems = []
    kinds = _kinds(g)
    expected = [
        (EXTERNAL_CLASSES | OWN_CLASSES, OWL.Class),
        (EXTERNAL_OBJECT_PROPERTIES | OWN_OBJECT_PROPERTIES, OWL.ObjectProperty),
        (EXTERNAL_DATATYPE_PROPERTIES | OWN_DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (EXTERNAL_ANNOTATION_PROPERTIES, OWL.AnnotationProperty),
    ]
    for terms, k in expected:
        for term in sorted(terms):
            if kinds.get(term) != {k}:
                problems.append(f"{term}: declared as {sorted(kinds.get(term, []))}, expected {k}")
    for term in sorted(EXTERNAL_INDIVIDUALS):
        if (term, RDF.type, OWL.NamedIndividual) not in g:
            problems.append(f"{term}: not declared as owl:NamedIndividual")
    if (PKG.evidencing, RDF.type, OA.Motivation) not in g:
        problems.append("pkg:evidencing is not an oa:Motivation")
    if (PKG.evidencing, SKOS.broader, OA.linking) not in g:
        problems.append("pkg:evidencing is not skos:broader oa:linking")
    own = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(PKG)}
    if own != OWN_TERMS:
        problems.append(
            f"own terms differ: missing {sorted(OWN_TERMS - own)}, "
            f"unexpected {sorted(own - OWN_TERMS)}"
        )
    return problems


# --- tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def copy(g: Graph) -> Graph:
    c = Graph()
    for t in g:
        c.add(t)
    return c


def test_parses_and_is_not_empty(graph):
    assert len(graph) > 300
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph


def test_header_metadata(graph):
    assert metadata_problems(graph) == []


def test_own_terms_are_documented(graph):
    assert own_term_problems(graph) == []


def test_own_properties_domains_and_ranges(graph):
    assert domain_problems(graph) == []


def test_other_vocabularies_are_only_declared(graph):
    assert foreign_axiom_problems(graph) == []


def test_owl2_dl_typing(graph):
    assert dl_typing_problems(graph) == []


def test_skos_schemes(graph):
    assert skos_problems(graph) == []


def test_mapper_terms_are_declared(graph):
    assert mapping_declaration_problems(graph) == []


def test_every_term_in_the_model_doc_is_known(graph):
    """A term that docs/model.md starts using must be declared here (or be one of our concepts)."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    names = "|".join(PREFIXES)
    terms = set(re.findall(rf"(?<![\w/#])({names}):([A-Za-z0-9][\w-]*)", text))
    assert len(terms) > 50, "docs/model.md no longer looks like the model"
    known = (
        set(_kinds(graph))
        | set(graph.subjects(RDF.type, OWL.NamedIndividual))
        | set(graph.subjects(RDF.type, SKOS.Concept))
        | OWN_TERMS
    )
    unknown = []
    for prefix, local in sorted(terms):
        iri = URIRef(PREFIXES[prefix] + local)
        if prefix == "xsd" or iri in (RDF.type, RDF.value, OWL.sameAs):
            continue  # literal datatypes, and built-ins (rdf:value: SEM's roles use it)
        if iri not in known:
            unknown.append(f"{prefix}:{local}")
    assert unknown == []


# A broken copy of the ontology must make the matching check fail.
def _drop(triple):
    return lambda g: g.remove(triple)


def _add(*triples):
    def mutate(g):
        for t in triples:
            g.add(t)

    return mutate


MUTATIONS: list[tuple[str, Callable[[Graph], None], Callable[[Graph], list[str]]]] = [
    ("label removed", _drop((PKG.holder, RDFS.label, None)), own_term_problems),
    ("isDefinedBy removed", _drop((PKG.Claim, RDFS.isDefinedBy, None)), own_term_problems),
    ("undocumented own term", _add((PKG.Stance, RDFS.seeAlso, PKG.Opinion)), own_term_problems),
    ("class/property pun", _add((PKG.Claim, RDF.type, OWL.ObjectProperty)), dl_typing_problems),
    ("object/datatype pun", _add((PKG.forecast, RDF.type, OWL.ObjectProperty)), dl_typing_problems),
    (
        "undeclared predicate",
        _drop((SKOS.notation, RDF.type, OWL.AnnotationProperty)),
        dl_typing_problems,
    ),
    ("undeclared class", _drop((SEM.Event, RDF.type, OWL.Class)), dl_typing_problems),
    (
        "range outside the datatype map",
        _add((PKG.anniversary, RDFS.range, XSD.gYear)),
        dl_typing_problems,
    ),
    (
        "xsd:date literal",
        _add((PKG.Claim, SKOS.note, Literal("2016-06-07", datatype=XSD.date))),
        dl_typing_problems,
    ),
    (
        "reserved vocabulary declared",
        _add((OWL.sameAs, RDF.type, OWL.ObjectProperty)),
        dl_typing_problems,
    ),
    (
        "axiom on another vocabulary",
        _add((SEM.Event, RDFS.subClassOf, PROV.Entity)),
        foreign_axiom_problems,
    ),
    (
        "domain on another vocabulary",
        _add((SCHEMA.about, RDFS.domain, PKG.Claim)),
        foreign_axiom_problems,
    ),
    ("second domain", _add((PKG.speaker, RDFS.domain, PKG.Claim)), domain_problems),
    ("unsafe domain", _add((PKG.assertionMode, RDFS.domain, PKG.Claim)), domain_problems),
    ("header licence removed", _drop((ONTOLOGY, DCTERMS.license, None)), metadata_problems),
    (
        "owl:imports",
        _add((ONTOLOGY, OWL.imports, URIRef("http://www.w3.org/ns/org"))),
        metadata_problems,
    ),
    (
        "prefLabel removed",
        _drop((URIRef(OWN_BASE + "cameo/125"), SKOS.prefLabel, None)),
        skos_problems,
    ),
    (
        "second English prefLabel",
        _add((URIRef(OWN_BASE + "polarity/supports"), SKOS.prefLabel, Literal("backs", lang="en"))),
        skos_problems,
    ),
    (
        "code under the wrong root",
        _add((URIRef(OWN_BASE + "cameo/125"), SKOS.broader, URIRef(OWN_BASE + "cameo/11"))),
        skos_problems,
    ),
    (
        "extra concept",
        _add(
            (URIRef(OWN_BASE + "topic/economy"), SKOS.inScheme, URIRef(OWN_BASE + "scheme/topic"))
        ),
        skos_problems,
    ),
    (
        "role not a sem:RoleType",
        _drop((URIRef(OWN_BASE + "role/leader"), RDF.type, SEM.RoleType)),
        skos_problems,
    ),
    ("range on a relation end", _add((PKG.to, RDFS.range, PKG.Claim)), domain_problems),
    (
        "mapper term undeclared",
        _drop((SCHEMA.url, RDF.type, OWL.ObjectProperty)),
        mapping_declaration_problems,
    ),
]


@pytest.mark.parametrize(
    "mutate,check", [(m, c) for _, m, c in MUTATIONS], ids=[name for name, _, _ in MUTATIONS]
)
def test_checks_catch_a_broken_ontology(graph, mutate, check):
    broken = copy(graph)
    before = len(broken)
    mutate(broken)
    assert len(broken) != before, "the mutation did not change the ontology"
    assert check(broken) != []


# --- a real OWL 2 reasoner: HermiT, through owlready2 ---------------------------------------


def _reason(g: Graph, tmp_path: Path) -> list[str]:
    """Classify `g` with HermiT in a fresh owlready2 World; return the unsatisfiable classes.

    Raises owlready2.OwlReadyInconsistentOntologyError if the ontology is inconsistent.
    """
    import os

    import owlready2

    if shutil.which(owlready2.JAVA_EXE) is None:
        pytest.fail(f"Java ({owlready2.JAVA_EXE!r}) not found: HermiT needs a Java runtime")
    path = tmp_path / "policykg.nt"
    g.serialize(destination=path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    loaded = {c.iri for c in world.classes()}
    declared = {str(c) for c in g.subjects(RDF.type, OWL.Class)}
    assert declared <= loaded, f"owlready2 did not load {sorted(declared - loaded)}"
    # HermiT's command line derives a base IRI from the working directory and fails with
    # "unable to create default IRI base" when that is "/": run it from the tmp directory.
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    finally:
        os.chdir(cwd)
    return sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)


def test_consistent_under_hermit(graph, tmp_path):
    import owlready2

    try:
        unsatisfiable = _reason(graph, tmp_path)
    except owlready2.OwlReadyInconsistentOntologyError:
        pytest.fail("HermiT: the ontology is inconsistent")
    assert unsatisfiable == []


def test_hermit_harness_detects_problems(graph, tmp_path):
    """The reasoner test is not vacuous: it sees an unsatisfiable class and an inconsistency."""
    import owlready2

    broken = copy(graph)
    broken.add((PKG.Stance, OWL.disjointWith, PKG.Claim))  # Stance ⊑ Claim: Stance is empty
    assert _reason(broken, tmp_path) == [str(PKG.Stance), str(PKG.UnattributedView)]
    broken.add((URIRef("https://w3id.org/policykg/data/stance/x/y"), RDF.type, PKG.Stance))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(broken, tmp_path)


# --- the OWL 2 DL profile, checked by horned-owl (py-horned-owl) ----------------------------


def _dl_profile_violations(g: Graph) -> list[str]:
    import pyhornedowl
    from pyhornedowl import profile

    onto = pyhornedowl.open_ontology_from_string(g.serialize(format="xml"), "rdf")
    report = profile.check_profile(onto, "DL")
    return (
        []
        if report.conformant
        else [
            f"{type(v).__name__}: {getattr(v, 'iri', None) or getattr(v, 'axiom', '')}"
            for v in report.violations
        ]
    )


def test_owl2_dl_profile_horned_owl(graph):
    assert _dl_profile_violations(graph) == []


@pytest.mark.parametrize(
    "mutate",
    [
        _add((PKG.forecast, RDF.type, OWL.ObjectProperty)),  # object/datatype property pun
        _drop((SEM.Event, RDF.type, OWL.Class)),  # class used (as a range) but not declared
        _drop((SKOS.prefLabel, RDF.type, OWL.AnnotationProperty)),  # undeclared property
    ],
    ids=["pun", "undeclared-class", "undeclared-property"],
)
def test_horned_owl_profile_check_is_not_vacuous(graph, mutate):
    broken = copy(graph)
    mutate(broken)
    assert _dl_profile_violations(broken) != []
