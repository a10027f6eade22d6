"""A corpus: what only the whole corpus can show, from the articles' builds.

Each article is loaded, mapped and validated against the per-document shapes on its own
(:mod:`.documents`, in a process pool, or from the cache). This module then checks across
articles: a document id used twice, an id defined differently in two files; and it completes the
validation so that the verdict equals that of validating the union of all graphs at once:

* articles that describe a shared node with different triples are validated again together,
  with the per-document shapes (the checks above leave no such node: an item is defined in one
  file, and an article's graph describes only its own nodes);
* the registry's graph is validated with the per-document shapes;
* the cross-document shapes run once, over the triples they can reach: those of the predicates
  they name (``sh:path``, ``sh:inversePath``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``),
  the ``rdf:type`` of the nodes in those triples, and the ontology.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policykg.build.documents import DocumentBuild, reachable, registry_context
from policykg.errors import FactsError, Location, PolicyKGError
from policykg.facts.loader import load_facts
from policykg.facts.model import first_difference
from policykg.facts.references import WikidataUse, check_wikidata_identity
from policykg.facts.registry_files import RegistryFiles
from policykg.namespaces import SH
from policykg.rdf.mapping import MappedDocument, Origin
from policykg.rdf.ntriples import merged_lines
from policykg.validate.scopes import (
    CROSS_DOCUMENT,
    PER_DOCUMENT,
    merge_reports,
    shipped_shapes_of,
)
from policykg.validate.shacl import ValidationReport, batched_shapes, report_from, shacl_report


def check_documents(
    builds: Sequence[DocumentBuild],
    registry_uses: Sequence[WikidataUse] = (),
    registry: RegistryFiles | None = None,
) -> None:
    """Raise :class:`FactsError` for a document id or an item id that two articles both use, or
    two ids of one kind that name one Wikidata entity (*registry_uses* are the registry's; the
    *registry* files are read only to say how two definitions differ).

    An item that several articles speak of is defined once, in a registry file, and each article
    gives only its reading of it: an id defined in two articles would put the item's triples in
    two named graphs. (An article's reading of a registry item is checked as it loads.)
    """
    documents: dict[str, DocumentBuild] = {}
    definitions: dict[str, tuple[DocumentBuild, int]] = {}
    for build in builds:
        earlier = documents.setdefault(build.doc_id, build)
        if earlier is not build:
            raise FactsError(
                f"the document id '{build.doc_id}' is also used by {earlier.path}",
                _document_location(build),
                fact_id=build.doc_id,
                hint="each source document needs its own id",
            )
        for item_id, _, line in build.definitions:
            first = definitions.setdefault(item_id, (build, line))
            if first[0] is not build:
                raise _defined_twice(item_id, first, (build, line), registry)
    uses = list(registry_uses)
    uses.extend(use for build in builds for use in build.wikidata)
    check_wikidata_identity(uses)


def _defined_twice(
    item_id: str,
    first: tuple[DocumentBuild, int],
    second: tuple[DocumentBuild, int],
    registry: RegistryFiles | None,
) -> FactsError:
    """The error for *item_id* defined by two articles, with the first field that differs (the
    articles are loaded again to find it: this happens once, on the way out)."""
    (one, one_line), (other, other_line) = first, second
    kind, detail = "item", ""
    try:
        items = None if registry is None else registry.registry
        mine = load_facts(_path(one), items).items_by_id[item_id]
        theirs = load_facts(_path(other), items).items_by_id[item_id]
    except (PolicyKGError, KeyError):
        pass  # changed since it was built: the message does without the difference
    else:
        kind = type(theirs).__name__.lower()
        difference = first_difference(mine, theirs)
        detail = (
            " (the same way)"
            if difference is None
            else f" (field '{difference[0]}' differs: {difference[1]} vs {difference[2]})"
        )
    reading = "its quote and its date" if kind == "event" else "its quote"
    return FactsError(
        f"{one.path}:{one_line} and {other.path}:{other_line} both define {kind}"
        f" '{item_id}'{detail}",
        Location(_path(other), other_line),
        fact_id=item_id,
        hint=f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} that two articles speak of belongs"
        " in a registry file: move its"
        f" definition to a registry.yaml and keep in each article only its reading of it"
        f" ({reading})",
    )


def _document_location(build: DocumentBuild) -> Location:
    return Location(_path(build), build.doc_line)


def validate_builds(
    builds: Sequence[DocumentBuild],
    registry_graph: MappedDocument | None,
    registry_lines: Mapping[str, list[bytes]],
    *,
    origins: Callable[[], Mapping[URIRef, Origin]],
    registry_report: Graph | None = None,
) -> ValidationReport:
    """The validation report of the whole corpus, from the articles' per-document reports.

    *registry_lines* are the registry graph's lines by subject; *origins* is called only when
    there are results to place in the facts; *registry_report* is the registry graph's report
    with the per-document shapes, if known (:func:`registry_report`).
    """
    reports: list[Graph] = []
    for unit in validation_units(builds):
        if len(unit) == 1:
            assert unit[0].conforms is not None, "the article was built without validation"
            if unit[0].report is not None:
                reports.append(Graph().parse(data=unit[0].report, format="nt"))
            continue
        data = b"".join(build.ntriples for build in unit)
        data += registry_context(data, registry_lines)
        reports.append(shacl_report(data, per_document_shapes()))
    if registry_graph is not None:
        kept = registry_report
        reports.append(kept or shacl_report(registry_graph.ntriples, per_document_shapes()))
    cross_document = cross_document_shapes()
    reach = [build.reach for build in builds]
    if registry_graph is not None:
        reach.append(reachable(registry_graph.ntriples, cross_document_predicates(cross_document)))
    reach_data = merged_lines(reach)
    reports.append(shacl_report(reach_data, cross_document))
    merged = merge_reports(reports)
    conforms = all(value == Literal(True) for value in merged.objects(None, SH.conforms))
    return report_from(merged, {} if conforms else origins())


def registry_report(registry_graph: MappedDocument, kept: bytes | None = None) -> Graph:
    """The registry graph's report with the per-document shapes: *kept* (the N-Triples of an
    earlier one, for the same registry), or validated now."""
    if kept is not None:
        return Graph().parse(data=kept, format="nt")
    return shacl_report(registry_graph.ntriples, per_document_shapes())


def batched_scoped_shapes() -> tuple[Graph, Graph]:
    """The per-document and cross-document shapes (:func:`per_document_shapes`,
    :func:`cross_document_shapes`)."""
    return per_document_shapes(), cross_document_shapes()


@cache
def per_document_shapes() -> Graph:
    """The per-document shapes, batched (see :func:`~policykg.validate.shacl.batched_shapes`),
    made once per process: a build uses them for every article, and an incremental one cannot
    afford splitting and batching them each time."""
    return batched_shapes(shipped_shapes_of(PER_DOCUMENT))


@cache
def cross_document_shapes() -> Graph:
    """The cross-document shapes, batched, made once per process. A rebuild needs only these
    when the articles it builds again are validated by workers."""
    return batched_shapes(shipped_shapes_of(CROSS_DOCUMENT))


def validation_units(builds: Sequence[DocumentBuild]) -> list[list[DocumentBuild]]:
    """The articles to validate together: each alone, unless it describes a node that articles
    describe with different triples; then every article that describes that node shares a unit
    (each of them alone would see only its own part of the node)."""
    parent = list(range(len(builds)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    # Most shared nodes are described alike everywhere: find the few that are not first, in C
    # (a corpus has hundreds of thousands of (node, fingerprint) pairs).
    pairs: set[tuple[str, str]] = set()
    for build in builds:
        pairs.update(build.shared_nodes)
    described = Counter(iri for iri, _ in pairs)
    differing = {iri for iri, versions in described.items() if versions > 1}
    holders: dict[str, list[int]] = {}
    for index, build in enumerate(builds if differing else ()):
        for iri, _ in build.shared_nodes:
            if iri in differing:
                holders.setdefault(iri, []).append(index)
    for indexes in holders.values():
        for index in indexes[1:]:
            parent[root(index)] = root(indexes[0])
    units: dict[int, list[DocumentBuild]] = {}
    for index, build in enumerate(builds):
        units.setdefault(root(index), []).append(build)
    return list(units.values())


def cross_document_predicates(shapes: Graph) -> frozenset[str]:
    """The predicates the cross-document *shapes* name: their paths and property targets."""
    named: set[str] = set()
    for predicate in (SH.path, SH.inversePath, SH.targetSubjectsOf, SH.targetObjectsOf):
        named.update(
            str(value) for value in shapes.objects(None, predicate) if isinstance(value, URIRef)
        )
    return frozenset(named)


def _path(build: DocumentBuild) -> Path:
    return Path(build.path)
