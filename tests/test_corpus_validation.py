"""Validation on all cores: per-document shapes per document, cross-document shapes once.

The merged report must be the report of validating the union against all shapes at once.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from conftest import MINIMAL, edit, minimal_corpus
from policykg.build.corpus import (
    batched_scoped_shapes,
    cross_document_predicates,
    validate_builds,
    validation_units,
)
from policykg.build.documents import build_document
from policykg.build.pipeline import BuildResult, _origins, build
from policykg.errors import FactsError, ResourceError
from policykg.facts.loader import find_facts_files, is_registry_file, load_registry
from policykg.namespaces import DEFAULT_BASE, PKGSH, SH
from policykg.rdf.mapping import map_registry
from policykg.rdf.ntriples import subject_lines
from policykg.resources import shapes_graph
from policykg.validate.scopes import merge_reports, scoped_shapes, split_shapes
from policykg.validate.shacl import Violation, report_from, shacl_report, validate_graph

SCOPE_VOCABULARY = {PKGSH.scope, PKGSH.Scope, PKGSH.PerDocument, PKGSH.CrossDocument}


def _whole_graph_report(result: BuildResult) -> tuple[Violation, ...]:
    return validate_graph(result.union_graph(), origins=result.origins).violations


def _unit_ids(result: BuildResult) -> list[list[str]]:
    return [[build.doc_id for build in unit] for unit in validation_units(result.documents)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents: violations planted in two of them (and one across documents, see
    :func:`across`)."""
    corpus = minimal_corpus(tmp_path_factory.mktemp("planted"), 3)
    # doc0: the tenure begins after the statements made in office.
    edit(corpus / "doc0" / "facts.yaml", 'value: "1989-06-04"', 'value: "2017-01-01"')
    # doc1: the speech is dated after the publication that reports it (a Friday too).
    edit(corpus / "doc1" / "facts.yaml", 'value: "2016-06-03"', 'value: "2016-06-10"')
    return corpus


def across(corpus: Path) -> None:
    """doc2 mints another id for Khamenei, with the same Wikidata entity: only the union shows
    it (the build refuses such facts before validating; the shape checks RDF from elsewhere)."""
    edit(
        corpus / "doc2" / "facts.yaml",
        "posts:\n",
        "  ali-khamenei:\n    type: person\n    name: Seyyed Ali Khamenei\n"
        "    wikidata: Q57336\n    source: https://example.org/ali\nposts:\n",
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_per_document_validation_reports_what_the_whole_graph_does(
    planted: Path, jobs: int
) -> None:
    result = build([planted], jobs=jobs)
    assert result.report is not None and not result.report.conforms
    expected = _whole_graph_report(result)
    assert result.report.violations == expected
    shapes = {v.shape for v in expected}
    assert {
        "pkgsh:TenureContainsClaimShape",
        "pkgsh:EventNotAfterPublicationShape",
    } <= shapes, shapes
    origins = {v.origin.split(":")[0] for v in expected if v.origin}
    assert {str(planted / f"doc{n}" / "facts.yaml") for n in (0, 1)} <= origins
    assert result.report.describe() == validate_graph_describe(result)


def test_cross_document_shapes_report_what_the_whole_graph_does(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 3)
    across(corpus)
    with pytest.raises(FactsError, match="name the same Wikidata item"):
        build([corpus], jobs=1)
    # Past the check, as RDF from elsewhere would be: the cross-document shape finds it.
    files = find_facts_files([corpus])
    registry = load_registry(path for path in files if is_registry_file(path))
    mapped = map_registry(registry, DEFAULT_BASE)
    lines = subject_lines(mapped.ntriples)
    per_document, cross_document = batched_scoped_shapes()
    builds = [
        build_document(
            path,
            registry,
            DEFAULT_BASE,
            shapes=per_document,
            registry_lines=lines,
            reach=cross_document_predicates(cross_document),
        )
        for path in files
        if not is_registry_file(path)
    ]
    report = validate_builds(builds, mapped, lines, origins=lambda: _origins(builds, mapped))
    assert [v.shape for v in report.violations] == ["pkgsh:WikidataIdentity-actor"]
    whole = BuildResult((*builds, mapped), None, tuple(builds), mapped)
    assert report.violations == _whole_graph_report(whole)


def validate_graph_describe(result: BuildResult) -> str:
    return validate_graph(result.union_graph(), origins=result.origins).describe()


def test_the_merged_report_graph_is_one_shacl_report(planted: Path) -> None:
    result = build([planted], jobs=2)
    assert result.report is not None
    graph = result.report.graph
    assert len(set(graph.subjects(RDF.type, SH.ValidationReport))) == 1
    assert len(list(graph.objects(None, SH.result))) == len(result.report.violations)


def test_documents_that_describe_a_shared_node_differently_are_validated_together(
    tmp_path: Path,
) -> None:
    """Builds that describe one node with different triples (which the facts no longer allow:
    the node of an item is described in one file) share a validation unit."""
    result = build([minimal_corpus(tmp_path / "corpus", 3)], validate=False)
    node = f"{DEFAULT_BASE}actor/someone"
    builds = [
        replace(built, shared_nodes=((node, fingerprint),))
        for built, fingerprint in zip(result.documents, ("a", "b", "a"), strict=True)
    ]
    # minimal-2 describes the node as minimal-0 does, but it holds the node too: it joins the
    # unit, since alone it would see only its part of the node.
    units = [[built.doc_id for built in unit] for unit in validation_units(builds)]
    assert units == [["minimal-0", "minimal-1", "minimal-2"]]


def test_articles_that_give_one_author_different_roles_are_validated_one_by_one(
    tmp_path: Path,
) -> None:
    """The roles are the documents' (pkg:authorRole), not the shared author's."""
    corpus = minimal_corpus(tmp_path / "corpus", 3)
    edit(
        corpus / "doc1" / "facts.yaml",
        "author_roles: [Senior Policy Fellow]",
        "author_roles: [Director]",
    )
    result = build([corpus], jobs=2)
    assert _unit_ids(result) == [["minimal-0"], ["minimal-1"], ["minimal-2"]]
    assert result.report is not None and result.report.conforms
    assert result.report.violations == _whole_graph_report(result)


def test_independent_documents_are_validated_one_by_one(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 3)
    result = build([corpus], validate=False, include_ontology=False)
    # They read the registry's actors and posts, which none of them describes.
    assert _unit_ids(result) == [["minimal-0"], ["minimal-1"], ["minimal-2"]]


def test_the_shapes_split_into_two_scopes_that_cover_them() -> None:
    shapes = shapes_graph()
    per_document, cross_document = scoped_shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    per = set(per_document.subjects(RDF.type, SH.NodeShape))
    cross = set(cross_document.subjects(RDF.type, SH.NodeShape))
    assert per | cross == node_shapes and not per & cross
    assert cross == {PKGSH.WikidataIdentityShape}
    for shape in node_shapes:
        scope = shapes.value(shape, PKGSH.scope)
        comment = str(shapes.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
        prefix = "Per-document" if scope == PKGSH.PerDocument else "Cross-document"
        assert comment.startswith(prefix), shape
    # Every triple of the shapes is in one of the two, but for the scope vocabulary itself.
    covered = per_document + cross_document
    missing = [t for t in shapes if t not in covered and t[0] not in SCOPE_VOCABULARY]
    assert not missing, missing[:5]


def test_a_node_shape_without_a_scope_is_refused() -> None:
    shapes = Graph()
    shapes += shapes_graph()
    shapes.remove((PKGSH.ActorShape, PKGSH.scope, None))
    with pytest.raises(ResourceError, match="ActorShape has no pkgsh:scope"):
        split_shapes(shapes)


def test_a_result_found_twice_in_one_unit_is_kept_twice_and_once_across_units() -> None:
    """Two results a report cannot tell apart (both sh:hasValue of Stance-type fail on a node with
    pkg:holder and neither stance type) stay two, as in the whole graph; the same result found
    by two units (a shared node) stays one."""
    data = build([MINIMAL], validate=False).union_graph()
    stance = URIRef("https://w3id.org/policykg/data/stance/minimal/rules-out-talks")
    for kind in ("Stance", "Claim"):
        data.remove((stance, RDF.type, URIRef(f"https://w3id.org/policykg/ns#{kind}")))
    whole = [v for v in validate_graph(data).violations if v.shape == "pkgsh:Stance-type"]
    assert len(whole) == 2
    report = shacl_report(data, batched_scoped_shapes()[0])
    for reports in ([report], [report, report]):
        merged = report_from(merge_reports(reports))
        assert [v for v in merged.violations if v.shape == "pkgsh:Stance-type"] == whole
