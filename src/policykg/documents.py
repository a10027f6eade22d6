"""Stages 1 to 4 for one article, as one unit of work: load, ground, map, validate per document.

A :class:`DocumentBuild` is what the rest of a corpus build needs of an article, in plain values
that cross process boundaries and go into the cache: the sorted N-Triples of its named graph, the
origin of each node, the definitions it gives shared ids, and its per-document SHACL report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.facts import load_facts
from policykg.grounding import ground_facts
from policykg.mapping import Origin, map_facts, shared_iri
from policykg.model import Claim, FactsFile, Registry
from policykg.validation import shacl_report


@dataclass(frozen=True)
class DocumentBuild:
    """One article, built."""

    path: str
    doc_id: str
    graph_iri: str
    ntriples: bytes
    text_path: str
    text_sha256: str
    fact_count: int
    origins: tuple[tuple[str, int, str], ...]
    """(node IRI, line, fact id) of each node curated in the file."""
    definitions: tuple[tuple[str, str, int], ...]
    """(id, fingerprint of its definition, line) of each actor, place, post, tenure and event."""
    shared_nodes: tuple[tuple[str, str], ...]
    """(IRI, fingerprint of its triples here) of each node other files may describe too."""
    report: bytes | None = None
    """The per-document SHACL report as N-Triples, if validated."""

    def origin_map(self) -> dict[URIRef, Origin]:
        path = Path(self.path)
        return {URIRef(iri): Origin(path, line, key) for iri, line, key in self.origins}


def build_document(
    path: Path,
    registry: Registry,
    base: str,
    *,
    shapes: Graph | None = None,
    registry_lines: Mapping[str, list[bytes]] | None = None,
) -> DocumentBuild:
    """Load, ground and map the article at *path*; with *shapes*, validate it against them.

    The data validated is the article's graph plus the registry triples (*registry_lines*, by
    subject) of the registry nodes it reaches, as the article's part of the whole graph.
    """
    facts = load_facts(path, registry)
    mapped = map_facts(facts, ground_facts(facts), base)
    report = None
    if shapes is not None:
        context = registry_context(mapped.ntriples, registry_lines or {})
        data = Graph().parse(data=mapped.ntriples + context, format="nt")
        report = shacl_report(data, shapes).serialize(format="nt", encoding="utf-8")
    return DocumentBuild(
        path=str(path),
        doc_id=facts.document.id,
        graph_iri=mapped.graph_iri,
        ntriples=mapped.ntriples,
        text_path=str(facts.document.text_path),
        text_sha256=hashlib.sha256(facts.text.encode("utf-8")).hexdigest(),
        fact_count=len(facts.items()),
        origins=tuple((iri, o.line, o.fact_id) for iri, o in mapped.origin_of.items()),
        definitions=_definitions(facts),
        shared_nodes=_shared_nodes(facts, base, mapped.ntriples),
        report=report,
    )


def subject_lines(ntriples: bytes) -> dict[str, list[bytes]]:
    """The N-Triples lines of *ntriples* grouped by subject IRI."""
    grouped: dict[str, list[bytes]] = {}
    for line in ntriples.splitlines(keepends=True):
        grouped.setdefault(line[1 : line.index(b">")].decode(), []).append(line)
    return grouped


def registry_context(ntriples: bytes, registry_lines: Mapping[str, list[bytes]]) -> bytes:
    """The registry's lines about the registry nodes *ntriples* reaches, directly or not."""
    todo = [iri for iri in _object_iris(ntriples) if iri in registry_lines]
    seen: set[str] = set()
    lines: list[bytes] = []
    while todo:
        iri = todo.pop()
        if iri in seen:
            continue
        seen.add(iri)
        for line in registry_lines[iri]:
            lines.append(line)
            todo.extend(i for i in _object_iris(line) if i in registry_lines)
    return b"".join(sorted(lines))


def _object_iris(ntriples: bytes) -> Iterable[str]:
    for line in ntriples.splitlines():
        if line.endswith(b"> ."):
            yield line[line.rindex(b" <", 0, -2) + 2 : -3].decode()


def _definitions(facts: FactsFile) -> tuple[tuple[str, str, int], ...]:
    return tuple(
        (item.id, _fingerprint(repr(item.definition()).encode()), item.line)
        for item in facts.items()
        if not isinstance(item, Claim)
    )


def _shared_nodes(facts: FactsFile, base: str, ntriples: bytes) -> tuple[tuple[str, str], ...]:
    """Nodes with document-independent IRIs (items other than claims, with their time nodes, and
    the author, whose roles each article states): the ones another file may describe too."""
    roots = {shared_iri(base, item) for item in facts.items() if not isinstance(item, Claim)}
    if facts.document.author is not None:
        roots.add(shared_iri(base, facts.items_by_id[facts.document.author]))
    shared = []
    for subject, lines in subject_lines(ntriples).items():
        root = base + "/".join(subject[len(base) :].split("/")[:2])
        if subject.startswith(base) and root in roots:
            shared.append((subject, _fingerprint(b"".join(lines))))
    return tuple(sorted(shared))


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
