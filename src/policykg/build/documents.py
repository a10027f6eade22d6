"""One article as one unit of work: load, ground, map, and validate with the per-document shapes.

A :class:`DocumentBuild` is what the rest of a corpus build needs of an article, in plain values
that cross process boundaries and go into the cache: the sorted lines of its named graph, the
origin of each node, the definitions it gives shared ids, and its per-document SHACL report.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policykg.facts.grounding import ground_facts
from policykg.facts.loader import load_facts
from policykg.facts.model import DOCUMENT_SCOPED, FactsFile, Registry
from policykg.facts.references import wikidata_uses
from policykg.namespaces import SH
from policykg.rdf.mapping import Origin, map_facts, shared_iri
from policykg.rdf.ntriples import (
    as_nquads,
    as_ntriples,
    join_lines,
    line_end,
    lines_with_predicates,
    object_iris,
    split_lines,
    subject_lines,
)
from policykg.validate.shacl import shacl_report


@dataclass(frozen=True)
class DocumentBuild:
    """One article, built."""

    path: str
    doc_id: str
    doc_line: int
    graph_iri: str
    graph_lines: bytes | memoryview
    """The article's named graph as sorted lines: N-Quads if :attr:`quads` (what an N-Quads
    output writes as is), else N-Triples; a view of the entry for an article taken from the
    cache."""
    quads: bool
    text_path: str
    text_sha256: str
    fact_count: int
    triple_count: int
    """The lines of :attr:`graph_lines`, kept: counting them for a corpus is slow."""
    origins: bytes
    """JSON ``[[node IRI, line, fact id], …]`` of each node curated in the file (read only when
    a validation result needs placing)."""
    definitions: tuple[tuple[str, str, int], ...]
    """(id, kind, line) of each actor, place, post, tenure and event the article defines (not
    of those it reads from the registry): no other file may define them."""
    shared_nodes: tuple[tuple[str, str], ...]
    """(IRI, fingerprint of its triples here) of each node other files may describe too, if
    validated (only validation needs them)."""
    reach: bytes = b""
    """The N-Triples of the graph that the cross-document shapes look at (see ``corpus``), if
    validated."""
    conforms: bool | None = None
    """The per-document verdict, if validated."""
    report: bytes | None = None
    """The per-document SHACL report as N-Triples, if validated and not conforming."""
    wikidata: tuple[tuple[str, str, str, str, int], ...] = ()
    """(Wikidata id, kind, item id, file, line) of each item the article defines with one."""

    @property
    def line_end(self) -> bytes:
        """What ends each of :attr:`graph_lines`."""
        return line_end(self.graph_iri if self.quads else None)

    @property
    def ntriples(self) -> bytes:
        """The named graph as sorted N-Triples lines."""
        data = bytes(self.graph_lines)
        return as_ntriples(data, self.graph_iri) if self.quads else data

    def origin_map(self) -> dict[URIRef, Origin]:
        path = Path(self.path)
        rows = json.loads(self.origins)
        return {URIRef(iri): Origin(path, line, key) for iri, line, key in rows}


def build_document(
    path: Path,
    registry: Registry,
    base: str,
    *,
    shapes: Graph | None = None,
    registry_lines: Mapping[str, list[bytes]] | None = None,
    reach: Collection[str] = (),
    quads: bool = False,
    files: Mapping[Path, bytes] | None = None,
) -> DocumentBuild:
    """Load, ground and map the article at *path*; with *shapes*, validate it against them.

    The data validated is the article's graph plus the registry triples (*registry_lines*, by
    subject) of the registry nodes it reaches, as the article's part of the whole graph; only
    the article's own nodes are validated (the registry's are, in the registry's graph). *reach*
    names the predicates whose triples (with the types of their nodes) the cross-document shapes
    need. With *quads*, the graph is kept as N-Quads (as the cache keeps it), else as N-Triples.
    *files* holds the facts file's and the text's content when they were read elsewhere.
    """
    facts = load_facts(path, registry, files=files)
    mapped = map_facts(facts, ground_facts(facts), base)
    conforms = report = None
    shared: tuple[tuple[str, str], ...] = ()
    reached = b""
    if shapes is not None:
        shared = _shared_nodes(facts, base, mapped.ntriples)
        reached = reachable(mapped.ntriples, reach)
        context = registry_context(mapped.ntriples, registry_lines or {})
        # The registry's items are validated once, in the registry's graph (they have no triple
        # in the article's): here they are only what the article's paths lead to.
        focus = own_nodes(mapped.ntriples, registry_lines or {}) if context else None
        verdict = shacl_report(mapped.ntriples + context, shapes, focus=focus)
        conforms = (None, SH.conforms, Literal(True)) in verdict
        if not conforms:
            report = verdict.serialize(format="nt", encoding="utf-8")
    rows = [[iri, o.line, o.fact_id] for iri, o in mapped.origin_of.items()]
    return DocumentBuild(
        path=str(path),
        doc_id=facts.document.id,
        doc_line=facts.document.line,
        graph_iri=mapped.graph_iri,
        graph_lines=as_nquads(mapped.ntriples, mapped.graph_iri) if quads else mapped.ntriples,
        quads=quads,
        text_path=str(facts.document.text_path),
        text_sha256=hashlib.sha256(facts.text.encode("utf-8")).hexdigest(),
        fact_count=len(facts.items()),
        triple_count=mapped.triple_count,
        origins=json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(),
        definitions=_definitions(facts),
        shared_nodes=shared,
        reach=reached,
        conforms=conforms,
        report=report,
        wikidata=tuple(wikidata_uses(facts.items(), path)),
    )


def reachable(ntriples: bytes, predicates: Collection[str]) -> bytes:
    """The lines of *ntriples* with one of *predicates*, and the ``rdf:type`` lines of the nodes
    in them: what shapes that name only those predicates (and classes) can look at."""
    return lines_with_predicates(ntriples, predicates)


def registry_context(ntriples: bytes, registry_lines: Mapping[str, list[bytes]]) -> bytes:
    """The registry's lines about the registry nodes *ntriples* reaches, directly or not."""
    todo = [iri for iri in object_iris(ntriples) if iri in registry_lines]
    seen: set[str] = set()
    lines: list[bytes] = []
    while todo:
        iri = todo.pop()
        if iri in seen:
            continue
        seen.add(iri)
        for line in registry_lines[iri]:
            lines.append(line)
            todo.extend(i for i in object_iris(line) if i in registry_lines)
    return b"".join(sorted(lines))


def own_nodes(ntriples: bytes, registry_lines: Mapping[str, list[bytes]]) -> set[str]:
    """The IRIs of the nodes of an article's graph *ntriples* (its subjects and the IRIs it
    points at, concepts of the ontology included) that are not items of the registry."""
    nodes = {line[1 : line.index(b">")].decode() for line in ntriples.splitlines()}
    nodes.update(iri for iri in object_iris(ntriples) if iri not in registry_lines)
    return nodes


def _definitions(facts: FactsFile) -> tuple[tuple[str, str, int], ...]:
    return tuple(
        (item.id, type(item).__name__.lower(), item.line)
        for item in facts.items()
        if not isinstance(item, DOCUMENT_SCOPED)
    )


def _shared_nodes(facts: FactsFile, base: str, ntriples: bytes) -> tuple[tuple[str, str], ...]:
    """Nodes with document-independent IRIs (items other than claims, with their time nodes):
    the ones another file could describe too, were it allowed to define them."""
    roots = {
        shared_iri(base, item) for item in facts.items() if not isinstance(item, DOCUMENT_SCOPED)
    }
    kinds = tuple({f"<{root.rsplit('/', 1)[0]}/".encode() for root in roots})
    candidates = join_lines(line for line in split_lines(ntriples) if line.startswith(kinds))
    shared = []
    for subject, lines in subject_lines(candidates).items():
        root = base + "/".join(subject[len(base) :].split("/")[:2])
        if subject.startswith(base) and root in roots:
            shared.append((subject, _fingerprint(b"".join(lines))))
    return tuple(sorted(shared))


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
