"""The validation stage: pyshacl's verdict on built graphs, reported with facts lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyshacl
import pyshacl.shape
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, TIME, XSD

from conftest import EXAMPLE, MINIMAL, REGISTRY, edit
from policykg.build.pipeline import build
from policykg.namespaces import SH
from policykg.resources import ontology_graph, shapes_graph
from policykg.validate.shacl import report_from, shacl_report, validate_graph

SHAPE_EXAMPLES = Path(__file__).parent / "shape_examples"
INVALID = sorted(SHAPE_EXAMPLES.glob("*/invalid.ttl"))


def test_the_example_conforms() -> None:
    result = build([EXAMPLE, REGISTRY])
    assert result.report is not None
    assert result.report.conforms, result.report.describe()


def test_the_minimal_facts_conform() -> None:
    result = build([MINIMAL])
    assert result.report is not None and result.report.conforms, result.report.describe()


def test_a_violation_names_shape_node_message_and_facts_line() -> None:
    result = build([MINIMAL], validate=False)
    data = result.union_graph()
    claim = URIRef("https://w3id.org/policykg/data/claim/minimal/speech-significant")
    data.remove((claim, RDFS.label, None))
    data.remove((claim, PROV.wasDerivedFrom, None))
    report = validate_graph(data, origins=result.origins)
    assert not report.conforms
    shapes = {violation.shape for violation in report.violations}
    assert {"pkgsh:Claim-label", "pkgsh:Claim-source"} <= shapes
    lines = (MINIMAL / "facts.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("  speech-significant:") + 1
    for violation in report.violations:
        assert violation.focus_node == str(claim)
        assert violation.origin == f"{MINIMAL / 'facts.yaml'}:{line} [speech-significant]"
    text = report.describe()
    assert "does not conform: 2 result(s)" in text and "rdfs:label" in text


def test_a_curator_fact_needs_its_primary_source_instead(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "minimal")
    edit(
        tmp_path / "minimal" / "facts.yaml",
        "\nclaims:\n",
        "\nclaims:\n  curated-day:\n    summary: The speech was given on 3 June 2016.\n"
        "    asserted_as: curator\n    source: https://example.org/speech\n",
    )
    result = build([tmp_path / "minimal"], validate=False)
    data = result.union_graph()
    curated = [
        s
        for s in data.subjects(PROV.hadPrimarySource, None)
        if (s, PROV.wasDerivedFrom, None) not in data and "/claim/" in str(s)
    ]
    assert curated, "the facts have a curator claim"
    data.remove((curated[0], PROV.hadPrimarySource, None))
    report = validate_graph(data)
    assert sorted(v.shape for v in report.violations) == [
        "pkgsh:Claim-source",
        "pkgsh:CuratorSourceShape",
    ]


def test_the_report_graph_is_a_shacl_report() -> None:
    result = build([MINIMAL], validate=False)
    report = validate_graph(result.union_graph())
    assert (None, SH.conforms, None) in report.graph


def _key(report: Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.sourceShape)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(SH.focusNode, None)
        if isinstance(report.value(r, SH.sourceShape), URIRef)
    }


@pytest.mark.parametrize("example", INVALID, ids=[p.parent.name for p in INVALID])
def test_parsing_each_query_once_does_not_change_the_verdict(example: Path) -> None:
    """policykg reuses parsed SPARQL while pyshacl runs; plain pyshacl must agree."""
    data = Graph().parse(example)
    ours = validate_graph(data)
    merged = Graph()
    merged += data
    merged += ontology_graph()
    conforms, plain, _ = pyshacl.validate(
        merged, shacl_graph=shapes_graph(), inference="none", advanced=True
    )
    assert ours.conforms == conforms is False
    assert _key(ours.graph) == _key(plain)


@pytest.mark.parametrize("example", INVALID, ids=[p.parent.name for p in INVALID])
def test_validating_n_triples_gives_the_verdict_on_the_graph(example: Path) -> None:
    """Builds hand their graphs to validation as N-Triples, which it reads with its own parser."""
    data = Graph().parse(example)
    as_ntriples = data.serialize(format="nt", encoding="utf-8")
    from_text = report_from(shacl_report(as_ntriples, shapes_graph()))
    assert from_text.conforms is False
    assert _key(from_text.graph) == _key(validate_graph(data).graph)


def test_an_instant_with_two_dates_names_the_alternative_path() -> None:
    data = Graph().parse(SHAPE_EXAMPLES / "InstantShape" / "valid.ttl")
    instant = next(data.subjects(TIME.inXSDDate, None))
    data.add((instant, TIME.inXSDgYear, Literal("2016", datatype=XSD.gYear)))
    found = {
        (v.shape, v.path) for v in validate_graph(data).violations if v.focus_node == str(instant)
    }
    alternatives = f"({TIME.inXSDDate} | {TIME.inXSDgYearMonth} | {TIME.inXSDgYear})"
    assert ("pkgsh:Instant-oneDate", alternatives) in found


def test_rdflib_query_is_restored_after_validation() -> None:
    original = Graph.query
    validate_graph(Graph())
    assert Graph.query is original


def test_pyshacl_parameters_are_restored_after_validation() -> None:
    before = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    validate_graph(Graph())
    assert getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None) is before


def test_an_ill_formed_offset_is_a_result_not_a_crash() -> None:
    """The offsets' arithmetic reads the literals' text: "x"^^xsd:nonNegativeInteger is reported
    by the datatype constraint instead of raising a TypeError inside rdflib."""
    data = Graph().parse(SHAPE_EXAMPLES / "OffsetsInsideDocumentShape" / "valid.ttl")
    start = URIRef("http://www.w3.org/ns/oa#start")
    selector, _, _ = next(iter(data.triples((None, start, None))))
    data.set((selector, start, Literal("x", datatype=XSD.nonNegativeInteger)))
    report = validate_graph(data)
    assert not report.conforms
    assert "pkgsh:TextPositionSelector-start" in {v.shape for v in report.violations}
