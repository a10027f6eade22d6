"""The vocabularies policykg writes, with the prefixes every output binds (and nothing else)."""

from __future__ import annotations

import re

from rdflib import Graph, Namespace
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
    NamespaceManager,
)

PKG = Namespace("https://w3id.org/policykg/ns#")
ONTOLOGY_IRI = "https://w3id.org/policykg/ns"
PKGSH = Namespace("https://w3id.org/policykg/shapes#")
POLARITY = Namespace("https://w3id.org/policykg/polarity/")
TOPIC = Namespace("https://w3id.org/policykg/topic/")
ASSERTION = Namespace("https://w3id.org/policykg/assertion/")
EVENTTYPE = Namespace("https://w3id.org/policykg/eventtype/")
CAMEO = Namespace("https://w3id.org/policykg/cameo/")
RELTYPE = Namespace("https://w3id.org/policykg/relation/")
ROLETYPE = Namespace("https://w3id.org/policykg/role/")
DOCTYPE = Namespace("https://w3id.org/policykg/doctype/")
CERTAINTY = Namespace("https://w3id.org/policykg/certainty/")
FACTPOL = Namespace("https://w3id.org/policykg/factual-polarity/")
CHANNEL = Namespace("https://w3id.org/policykg/channel/")
SCHEME = Namespace("https://w3id.org/policykg/scheme/")

ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SH = Namespace("http://www.w3.org/ns/shacl#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

DEFAULT_BASE = "https://w3id.org/policykg/data/"

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "pkg": PKG,
    "polarity": POLARITY,
    "topic": TOPIC,
    "assertion": ASSERTION,
    "eventtype": EVENTTYPE,
    "cameo": CAMEO,
    "reltype": RELTYPE,
    "roletype": ROLETYPE,
    "doctype": DOCTYPE,
    "certainty": CERTAINTY,
    "factpol": FACTPOL,
    "channel": CHANNEL,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sem": SEM,
    "skos": SKOS,
    "time": TIME,
    "vann": Namespace("http://purl.org/vocab/vann/"),
    "wd": WIKIDATA,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind exactly policykg's prefixes on *graph*, replacing rdflib's defaults, and return it."""
    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph


LOCAL_NAME = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?"
"""The local names policykg writes as prefixed names (``schema:Person``): the part of Turtle's
PN_LOCAL that needs no escape. Others (with ``/``, ``%``, ``~`` …, a final dot, or letters beyond
ASCII) keep their whole IRI: an escaped name such as ``ex:a\\.`` is valid Turtle, but rdflib cannot
read it. The Turtle writer and the query tables both shorten by this rule."""

_LOCAL_NAME = re.compile(LOCAL_NAME)
# Longest namespace first, so that a namespace inside another one wins.
_BY_LENGTH = sorted(((n, str(ns)) for n, ns in PREFIXES.items()), key=lambda p: -len(p[1]))


def prefixed_name(iri: str) -> str:
    """*iri* as a prefixed name of policykg's prefixes where :data:`LOCAL_NAME` allows it."""
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri, len(namespace)):
            return f"{name}:{iri[len(namespace) :]}"
    return iri
