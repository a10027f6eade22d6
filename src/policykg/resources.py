"""The files policykg ships: the ontology, the SHACL shapes, the facts schema, the JSON-LD context.

In an installed wheel the ontology and shapes live inside the package (``_resources``); in a source
checkout they are read from the repository's top-level ``ontology/`` and ``shapes/`` folders.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from policykg.errors import ResourceError
from policykg.namespaces import SCHEME
from policykg.terms import rdflib_graph

_PACKAGE = Path(__file__).resolve().parent
_CANDIDATE_ROOTS = (_PACKAGE / "_resources", _PACKAGE.parent.parent)


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource such as ``resource_path("ontology", "policykg.ttl")``."""
    for root in _CANDIDATE_ROOTS:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise ResourceError(f"policykg is incomplete: {'/'.join(parts)} was not found")


def data_path(name: str) -> Path:
    """The path of a file in the package's ``data`` folder (schema, JSON-LD context)."""
    path = _PACKAGE / "data" / name
    if not path.exists():
        raise ResourceError(f"policykg is incomplete: data/{name} was not found")
    return path


@cache
def ontology_graph() -> Graph:
    """The policykg ontology with its SKOS schemes (parsed once per process; do not modify)."""
    return _parse_turtle(resource_path("ontology", "policykg.ttl"))


@cache
def shapes_graph() -> Graph:
    """All SHACL shapes in ``shapes/`` merged (parsed once per process; do not modify)."""
    folder = resource_path("shapes")
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph += _parse_turtle(path)
    if len(graph) == 0:
        raise ResourceError(f"no shapes found in {folder}")
    return graph


@cache
def facts_schema() -> dict[str, Any]:
    """The JSON Schema of facts files."""
    with data_path("facts.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def registry_schema() -> dict[str, Any]:
    """The JSON Schema of registry files: the facts schema's actors, places, posts, tenures,
    events and documents, each entry a definition (an article's entry may be a reading instead)."""
    facts = facts_schema()
    properties = facts["properties"]
    sections = {}
    for name in ("actors", "places", "posts", "tenures", "events", "documents"):
        entry = properties[name]["additionalProperties"]
        definition = facts["$defs"][entry["$ref"].rsplit("/", 1)[1]]
        (required,) = [b["required"] for b in definition["anyOf"] if "required" in b]
        definition_entry = {**entry, "required": required}
        sections[name] = {**properties[name], "additionalProperties": definition_entry}
    return {
        **facts,
        "$id": "https://w3id.org/policykg/registry.schema.json",
        "title": "policykg registry file",
        "description": "Actors, places, posts, tenures, events and documents shared by the"
        " articles of a corpus. See docs/facts-format.md.",
        "required": ["policykg", "registry"],
        "properties": {
            "policykg": properties["policykg"],
            "registry": {
                "description": "What the registry is for.",
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "note": {"type": "string", "minLength": 1},
                },
            },
            **sections,
        },
    }


@cache
def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context policykg compacts with (the value of its ``@context``)."""
    with data_path("context.jsonld").open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    context: dict[str, Any] = document["@context"]
    return context


@cache
def scheme_codes(scheme: str) -> dict[str, URIRef]:
    """The concepts of one of the ontology's SKOS schemes, by code (the IRI's last segment).

    >>> scheme_codes("polarity")["rules-out"]
    rdflib.term.URIRef('https://w3id.org/policykg/polarity/rules-out')
    """
    scheme_iri = SCHEME[scheme]
    codes: dict[str, URIRef] = {}
    for concept in ontology_graph().subjects(SKOS.inScheme, scheme_iri):
        if isinstance(concept, URIRef):
            codes[str(concept).rstrip("/").rsplit("/", 1)[-1]] = concept
    if not codes:
        raise ResourceError(f"the ontology has no concepts in the scheme {scheme_iri}")
    return codes


@cache
def scheme_labels(scheme: str) -> dict[str, str]:
    """The code of each concept of *scheme* by every name a curator may give it: its code and its
    preferred, alternative and hidden labels, lower-cased, with hyphens read as spaces (a code
    wins over another concept's label).

    >>> scheme_labels("polarity")["neither for nor against"]
    'non-committal'
    """
    graph = ontology_graph()
    codes = sorted(scheme_codes(scheme).items())
    labels = {_label_key(code): code for code, _ in codes}
    for code, concept in codes:
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in sorted(str(value) for value in graph.objects(concept, predicate)):
                labels.setdefault(_label_key(label), code)
    return labels


def _label_key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _parse_turtle(path: Path) -> Graph:
    """The graph of the Turtle file at *path*, with its prefixes bound; parsed by pyoxigraph (in
    a fraction of rdflib's time, which every process that validates spends on the shapes)."""
    try:
        parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
        graph = rdflib_graph(quad.triple for quad in parser)
    except (SyntaxError, OSError, TypeError) as error:
        raise ResourceError(f"{path}: cannot be parsed as Turtle: {error}") from error
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace)
    return graph
