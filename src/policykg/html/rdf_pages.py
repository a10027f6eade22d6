"""HTML pages for what pyLODE does not document: the SKOS code lists and the SHACL shapes.

Each page is written from its graph alone: every value is HTML-escaped, everything taken from a
graph is sorted, and blank nodes are rendered by their content, so the same graph gives the same
bytes. :mod:`policykg.html.documentation` puts these pages next to pyLODE's page of the ontology.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, NamespaceManager
from rdflib.term import Node

from policykg.namespaces import ONTOLOGY_IRI, PKGSH, SCHEME, SH, bind_prefixes

# Which field of a facts file takes the codes of each scheme (the scheme IRI's last segment).
SCHEME_FIELDS = {
    "assertion": "asserted_as",
    "cameo": "cameo",
    "eventtype": "type (of an event)",
    "polarity": "polarity (of a stance)",
    "topic": "topics",
}
# Shown in their own columns or rows, not among a shape's other constraints.
_SHAPE_NOTES = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.property, SH.sparql}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
_PLAIN_DATATYPES = {XSD.integer, XSD.decimal, XSD.boolean}
_TERM_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em;
       line-height: 1.45; color: #1b1b1b; }
h1, h2, h3 { line-height: 1.2; }
section { border-top: 1px solid #ccc; margin-top: 2em; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.92em; }
pre { background: #f5f5f5; padding: 0.6em; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
dt { font-weight: bold; }
dd { margin: 0 0 0.5em 1.5em; }
nav ul { columns: 3; }
"""


def page(title: str, intro: str, body: Iterable[str], *, home: bool = False) -> str:
    """A complete HTML page: *title* and *intro* are text (escaped here), *body* is HTML.

    Every page but the home page (index.html) links back to it.
    """
    back = "" if home else '<p><a href="index.html">policykg vocabulary documentation</a></p>'
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            back,
            f"<h1>{escape(title)}</h1>",
            f"<p>{escape(intro)}</p>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def schemes_page(ontology: Graph) -> str:
    """The page of the ontology's SKOS concept schemes, one section and table per scheme."""
    names = _names()
    schemes = _iris(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    contents = [_link(f"#{_slug(s)}", _text(ontology, s, SKOS.prefLabel)) for s in schemes]
    others = _other_individuals(ontology)
    if others:
        contents.append(_link("#individuals", "other individuals"))
    body = [_toc(contents)]
    for scheme in schemes:
        body.append(_scheme_section(ontology, scheme, names))
    if others:
        body.append(_individuals_section(ontology, others, names))
    return page(
        "policykg code lists (SKOS concept schemes)",
        "The codes that facts files use, with their meaning. A facts file writes a concept's"
        " notation; the graph holds the concept's IRI.",
        body,
    )


def shapes_page(shapes: Graph) -> str:
    """The page of the SHACL shapes: each node shape with its targets, messages and rules."""
    names = _names()
    node_shapes = _iris(shapes.subjects(RDF.type, SH.NodeShape))
    contents = [_link(f"#{_slug(s)}", names.normalizeUri(s)) for s in node_shapes]
    body = [_toc(contents)]
    for shape in node_shapes:
        body.append(_node_shape_section(shapes, shape, names))
    return page(
        "policykg shapes (SHACL)",
        f"{len(node_shapes)} node shapes check the graphs that policykg builds. Each shape and"
        " each of its rules has a stable IRI, which a validation report names.",
        body,
    )


def _scheme_section(ontology: Graph, scheme: URIRef, names: NamespaceManager) -> str:
    concepts = sorted(
        _iris(ontology.subjects(SKOS.inScheme, scheme)),
        key=lambda concept: (_text(ontology, concept, SKOS.notation), str(concept)),
    )
    field = SCHEME_FIELDS.get(_slug(scheme))
    facts_field = f"<dt>In facts files</dt><dd><code>{escape(field)}</code></dd>" if field else ""
    rows = [
        "<tr>"
        f"<td><code>{escape(_text(ontology, c, SKOS.notation))}</code></td>"
        f'<td id="{escape(_slug(scheme))}-{escape(_slug(c))}">{_iri(c, names)}</td>'
        f"<td>{escape(_text(ontology, c, SKOS.prefLabel))}</td>"
        f"<td>{escape(_text(ontology, c, SKOS.definition))}</td>"
        f"<td>{_joined(ontology.objects(c, SKOS.altLabel), names)}</td>"
        f"<td>{_joined(ontology.objects(c, SKOS.broader), names)}</td>"
        "</tr>"
        for c in concepts
    ]
    return "\n".join(
        [
            f'<section id="{escape(_slug(scheme))}">',
            f"<h2>{escape(_text(ontology, scheme, SKOS.prefLabel))}</h2>",
            "<dl>",
            f"<dt>IRI</dt><dd><code>{escape(str(scheme))}</code></dd>",
            f"<dt>Definition</dt><dd>{escape(_text(ontology, scheme, SKOS.definition))}</dd>",
            facts_field,
            f"<dt>Concepts</dt><dd>{len(concepts)}</dd>",
            "</dl>",
            "<table>",
            "<tr><th>notation</th><th>concept</th><th>label</th><th>definition</th>"
            "<th>other labels</th><th>broader</th></tr>",
            *rows,
            "</table>",
            "</section>",
        ]
    )


def _other_individuals(ontology: Graph) -> list[URIRef]:
    """The ontology's own individuals outside its schemes, which pyLODE's OntPub does not list."""
    terms = _iris(ontology.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)))
    return [
        term
        for term in terms
        if not set(ontology.objects(term, RDF.type)) & _TERM_KINDS
        and (term, SKOS.inScheme, None) not in ontology
    ]


def _individuals_section(ontology: Graph, terms: list[URIRef], names: NamespaceManager) -> str:
    rows = [
        "<tr>"
        f'<td id="{escape(_slug(term))}">{_iri(term, names)}</td>'
        f"<td>{_joined(ontology.objects(term, RDF.type), names)}</td>"
        f"<td>{escape(_text(ontology, term, SKOS.prefLabel, RDFS.label))}</td>"
        f"<td>{escape(_text(ontology, term, SKOS.definition, RDFS.comment))}</td>"
        f"<td>{_joined(ontology.objects(term, SKOS.broader), names)}</td>"
        "</tr>"
        for term in terms
    ]
    return "\n".join(
        [
            '<section id="individuals">',
            "<h2>Other individuals of the ontology</h2>",
            "<table>",
            "<tr><th>term</th><th>type</th><th>label</th><th>definition</th><th>broader</th></tr>",
            *rows,
            "</table>",
            "</section>",
        ]
    )


def _node_shape_section(shapes: Graph, shape: URIRef, names: NamespaceManager) -> str:
    lines = [
        f'<section id="{escape(_slug(shape))}">',
        f"<h2>{escape(_text(shapes, shape, RDFS.label) or _slug(shape))}</h2>",
        f"<p>{escape(_text(shapes, shape, RDFS.comment))}</p>",
        "<dl>",
        f"<dt>IRI</dt><dd><code>{escape(str(shape))}</code></dd>",
    ]
    for target in _TARGETS:
        values = list(shapes.objects(shape, target))
        if values:
            lines.append(f"<dt>{_iri(target, names)}</dt><dd>{_joined(values, names)}</dd>")
    lines.append(f"<dt>Message</dt><dd>{escape(_text(shapes, shape, SH.message))}</dd>")
    constraints = _constraints(shapes, shape, names, _SHAPE_NOTES | set(_TARGETS))
    if constraints:
        lines.append(f"<dt>Constraints</dt><dd>{constraints}</dd>")
    lines.append("</dl>")
    properties = _iris(shapes.objects(shape, SH.property))
    if properties:
        lines.extend(_property_table(shapes, properties, names))
    sparql = _iris(shapes.objects(shape, SH.sparql))
    if sparql:
        lines.append("<h3>SPARQL constraints</h3>")
        lines.extend(_sparql_constraint(shapes, c, names) for c in sparql)
    lines.append("</section>")
    return "\n".join(lines)


def _property_table(shapes: Graph, properties: list[URIRef], names: NamespaceManager) -> list[str]:
    rows = [
        "<tr>"
        f'<td id="{escape(_slug(p))}">{_iri(p, names)}</td>'
        f"<td><code>{escape(_path(shapes, shapes.value(p, SH.path), names))}</code></td>"
        f"<td>{_constraints(shapes, p, names, _SHAPE_NOTES | {SH.path})}</td>"
        f"<td>{escape(_text(shapes, p, SH.message))}</td>"
        "</tr>"
        for p in properties
    ]
    return [
        "<h3>Property shapes</h3>",
        "<table>",
        "<tr><th>shape</th><th>path</th><th>constraints</th><th>message</th></tr>",
        *rows,
        "</table>",
    ]


def _sparql_constraint(shapes: Graph, constraint: URIRef, names: NamespaceManager) -> str:
    query = _text(shapes, constraint, SH.select).strip("\n")
    return "\n".join(
        [
            f'<div id="{escape(_slug(constraint))}">',
            f"<p>{_iri(constraint, names)}: {escape(_text(shapes, constraint, SH.message))}</p>",
            f"<pre>{escape(query)}</pre>",
            "</div>",
        ]
    )


def _constraints(graph: Graph, node: Node, names: NamespaceManager, skip: set[Node]) -> str:
    """The node's other SHACL parameters, one per line, as ``sh:minCount 1``."""
    lines = sorted(
        f"{names.normalizeUri(str(p))} {_render(graph, o, names)}"
        for p, o in graph.predicate_objects(node)
        if p not in skip and str(p).startswith(str(SH))
    )
    return "<br>".join(f"<code>{escape(line)}</code>" for line in lines)


def _path(graph: Graph, path: Node | None, names: NamespaceManager) -> str:
    """A SHACL property path in SPARQL property-path syntax: ``a/b``, ``^a``, ``(a|b)``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return names.normalizeUri(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path(graph, step, names) for step in Collection(graph, path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path(graph, inverse, names)}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return f"({'|'.join(_path(graph, a, names) for a in Collection(graph, alternatives))})"
    for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_path(graph, inner, names)}){operator}"
    inner = graph.value(path, SH.zeroOrOnePath)
    return f"({_path(graph, inner, names)})?" if inner is not None else _render(graph, path, names)


def _render(graph: Graph, term: Node, names: NamespaceManager) -> str:
    """A term in Turtle-like text; blank nodes by their content, lists as ``( … )``, sorted."""
    if isinstance(term, URIRef):
        return names.normalizeUri(term)
    if isinstance(term, Literal):
        if term.datatype in _PLAIN_DATATYPES:
            return str(term)
        return term.n3(names)
    if (term, RDF.first, None) in graph:
        return f"( {' '.join(_render(graph, item, names) for item in Collection(graph, term))} )"
    pairs = sorted(
        f"{names.normalizeUri(str(p))} {_value(graph, p, o, names)}"
        for p, o in graph.predicate_objects(term)
    )
    return f"[ {' ; '.join(pairs)} ]"


def _value(graph: Graph, predicate: Node, value: Node, names: NamespaceManager) -> str:
    return _path(graph, value, names) if predicate == SH.path else _render(graph, value, names)


def _names() -> NamespaceManager:
    """policykg's prefixes (not whatever the source file declared), plus the shapes' own."""
    named = bind_prefixes(Graph())
    named.bind("sh", str(SH))
    named.bind("pkgsh", str(PKGSH))
    named.bind("scheme", str(SCHEME))
    return named.namespace_manager


def _iri(term: Node, names: NamespaceManager) -> str:
    text = names.normalizeUri(term) if isinstance(term, URIRef) else str(term)
    return f'<code title="{escape(str(term))}">{escape(text)}</code>'


def _joined(terms: Iterable[Node], names: NamespaceManager) -> str:
    rendered = (_iri(t, names) if isinstance(t, URIRef) else escape(str(t)) for t in terms)
    return ", ".join(sorted(rendered))


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _toc(links: list[str]) -> str:
    return "<nav><ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul></nav>"


def _text(graph: Graph, subject: Node, *predicates: URIRef) -> str:
    """The value of the first of *predicates* that has one, as text (English, or first sorted)."""
    for predicate in predicates:
        values = sorted(
            graph.objects(subject, predicate), key=lambda v: (_language_rank(v), str(v))
        )
        if values:
            return str(values[0])
    return ""


def _language_rank(value: Node) -> int:
    return 0 if isinstance(value, Literal) and value.language in (None, "en") else 1


def _slug(term: Node) -> str:
    """The last segment of an IRI (after ``#`` or ``/``), used for anchors."""
    text = str(term).rstrip("/")
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _iris(terms: Iterable[Node]) -> list[URIRef]:
    """The IRIs among *terms*, sorted (blank nodes are rendered inside their parent)."""
    return sorted({term for term in terms if isinstance(term, URIRef)})
