"""``policykg validate`` of a dataset file: graph by graph, in parallel, with the report of
validating the whole graph at once."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from conftest import EXAMPLE, REGISTRY, edit, minimal_corpus
from policykg.build import datasets, pipeline
from policykg.build.datasets import validate_graphs
from policykg.build.pipeline import build, read_checked_graphs, validate_file, write_output
from policykg.errors import WorkerError
from policykg.rdf.files import union_graph
from policykg.validate.shacl import ValidationReport, validate_graph
from test_registry import corpus_with_registry

SHAPE_EXAMPLES = Path(__file__).parent / "shape_examples"
INVALID = sorted(SHAPE_EXAMPLES.glob("*/invalid.ttl"))
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "policykg.ttl"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _whole(path: Path) -> ValidationReport:
    return validate_graph(union_graph(read_checked_graphs(path)))


def _same_report(path: Path, *, jobs: int) -> ValidationReport:
    """Validate *path* graph by graph and require the whole graph's verdict and results."""
    per_graph = validate_file(path, jobs=jobs)
    whole = _whole(path)
    assert per_graph.conforms == whole.conforms
    assert per_graph.violations == whole.violations
    assert per_graph.describe() == whole.describe()
    return per_graph


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of graphs of each graph-by-graph validation that ``validate_file`` starts."""
    seen: list[int] = []
    original: Callable[..., ValidationReport] = pipeline.validate_graphs

    def recorded(graphs: Any, **options: Any) -> ValidationReport:
        seen.append(len(graphs))
        return original(graphs, **options)

    monkeypatch.setattr(pipeline, "validate_graphs", recorded)
    return seen


@pytest.mark.parametrize("suffix", ["trig", "nq", "jsonld"])
def test_the_example_is_validated_graph_by_graph_and_conforms(
    tmp_path: Path, suffix: str, calls: list[int]
) -> None:
    path = tmp_path / f"khamenei.{suffix}"
    write_output(build([EXAMPLE, REGISTRY], validate=False), path)
    report = _same_report(path, jobs=2)
    assert report.conforms, report.describe()
    assert calls == [3]  # the article's graph, the registry's and the ontology's


def test_a_file_of_one_graph_is_validated_whole(tmp_path: Path, calls: list[int]) -> None:
    path = tmp_path / "khamenei.ttl"
    write_output(build([EXAMPLE, REGISTRY], validate=False), path)
    assert validate_file(path).conforms
    assert calls == []


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents as N-Quads, with violations planted in two and one across documents."""
    folder = tmp_path_factory.mktemp("planted")
    corpus = minimal_corpus(folder / "corpus", 3)
    edit(corpus / "doc0" / "facts.yaml", 'value: "1989-06-04"', 'value: "2017-01-01"')
    edit(corpus / "doc1" / "facts.yaml", 'value: "2016-06-03"', 'value: "2016-06-10"')
    path = folder / "planted.nq"
    write_output(build([corpus], validate=False), path)
    # doc2's graph gives Khamenei a second IRI with the same Wikidata entity (the build refuses
    # such facts; RDF from elsewhere may hold them): only the union fails.
    doc2 = ox.NamedNode("https://w3id.org/policykg/data/graph/minimal-2")
    other = ox.NamedNode("https://w3id.org/policykg/data/actor/ali-khamenei")
    agent = ox.NamedNode("http://www.w3.org/ns/prov#Agent")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    same_as = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    planted = [
        ox.Quad(other, rdf_type, agent, doc2),
        ox.Quad(other, RDFS_LABEL, ox.Literal("Seyyed Ali Khamenei"), doc2),
        ox.Quad(other, same_as, ox.NamedNode("http://www.wikidata.org/entity/Q57336"), doc2),
    ]
    quads = list(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))
    ox.serialize([*quads, *planted], path, format=ox.RdfFormat.N_QUADS)
    return path


@pytest.mark.parametrize("jobs", [1, 2])
def test_several_graphs_with_per_and_cross_document_violations(planted: Path, jobs: int) -> None:
    report = _same_report(planted, jobs=jobs)
    assert not report.conforms
    assert {
        "pkgsh:TenureContainsClaimShape",
        "pkgsh:EventNotAfterPublicationShape",
        "pkgsh:WikidataIdentity-actor",
    } <= {violation.shape for violation in report.violations}


def test_articles_are_validated_with_the_registry_nodes_they_name(tmp_path: Path) -> None:
    """The articles' graphs name actors and posts whose types and names are in the registry's
    graph: each alone would fail the shapes that need them; the whole conforms, and so must
    each graph with what it reaches."""
    path = tmp_path / "registry.trig"
    write_output(build([corpus_with_registry(tmp_path / "corpus")], validate=False), path)
    report = _same_report(path, jobs=2)
    assert report.conforms, report.describe()


def test_a_node_described_in_two_graphs_is_validated_with_both_descriptions(
    tmp_path: Path, calls: list[int]
) -> None:
    """The registry describes Khamenei; a second name in doc1's graph (or in a graph of its own)
    breaks "one rdfs:label", which neither graph alone shows."""
    built = build([minimal_corpus(tmp_path / "corpus", 2)], validate=False)
    clean = tmp_path / "clean.nq"
    write_output(built, clean)
    quads = list(ox.parse(path=clean, format=ox.RdfFormat.N_QUADS))
    khamenei = next(
        quad.subject
        for quad in quads
        if quad.predicate == RDFS_LABEL and quad.object == ox.Literal("Ali Khamenei")
    )
    doc1 = next(quad.graph_name for quad in quads if "minimal-1" in str(quad.graph_name))
    for name, graph in [("in-doc1", doc1), ("alone", ox.NamedNode("https://example.org/g"))]:
        second_name = ox.Quad(khamenei, RDFS_LABEL, ox.Literal("Seyyed Ali Khamenei"), graph)
        path = tmp_path / f"{name}.nq"
        ox.serialize([*quads, second_name], path, format=ox.RdfFormat.N_QUADS)
        report = _same_report(path, jobs=2)
        assert [v.shape for v in report.violations] == ["pkgsh:Actor-label"], report.describe()
        assert report.violations[0].focus_node == khamenei.value
    # two documents, the registry and the ontology, and the graph of its own
    assert calls == [4, 5]


@pytest.mark.parametrize("example", INVALID, ids=[path.parent.name for path in INVALID])
def test_an_invalid_shape_example_in_a_dataset_fails_as_it_does_whole(example: Path) -> None:
    """Each invalid example in a named graph of its own, beside the ontology's graph: the
    same results as the whole graph, on the same blank nodes (read once)."""
    graphs = {
        ox.NamedNode("https://example.org/example"): _triples(example),
        ox.NamedNode("https://w3id.org/policykg/ns"): _triples(ONTOLOGY),
    }
    per_graph = validate_graphs(graphs, jobs=1)
    whole = validate_graph(union_graph(graphs))
    assert not whole.conforms
    assert per_graph.conforms == whole.conforms
    assert per_graph.violations == whole.violations


def _triples(path: Path) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]


def test_results_on_two_blank_nodes_in_two_graphs_are_two_results() -> None:
    """Two blank nodes of the file that fail the same way in different graphs are two results,
    as in the whole graph (a report cannot tell them apart by anything but their labels)."""
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    agent = ox.NamedNode("http://www.w3.org/ns/prov#Agent")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    graphs: dict[Any, list[ox.Triple]] = {}
    for n in range(2):
        actor = ox.BlankNode()
        graphs[ox.NamedNode(f"https://example.org/g{n}")] = [
            ox.Triple(actor, rdf_type, agent),
            ox.Triple(actor, label, ox.Literal("")),
        ]
    per_graph = validate_graphs(graphs, jobs=1)
    whole = validate_graph(union_graph(graphs))
    assert len(whole.violations) == 2
    assert per_graph.violations == whole.violations


def _fail_first_or_wait(units: list[tuple[bytes, bool]]) -> list[bytes | None]:
    if units[0][0] == b"fail":
        raise RuntimeError("a unit failed")
    time.sleep(0.5)
    return [None for _ in units]


def test_a_failing_unit_ends_the_validation_without_running_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's error reaches the caller, and the batches not started are dropped
    (Executor.map cancels them when its results are left): forty of half a second each would
    hold it ten seconds more on two workers."""
    monkeypatch.setattr(datasets, "validate_units", _fail_first_or_wait)
    units = [(b"fail", False), *[(b"wait", False)] * 40]
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="a unit failed"):
        datasets._reports(iter(units), len(units), jobs=2)
    assert time.monotonic() - start < 5


def _die_on_marker(units: list[tuple[bytes, bool]]) -> list[bytes | None]:
    if units[0][0] == b"die":
        os._exit(9)  # as a worker killed by the kernel ends, without a word
    return [None for _ in units]


def test_a_worker_that_dies_is_a_policykg_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(datasets, "validate_units", _die_on_marker)
    units = [(b"die", False), *[(b"fine", False)] * 4]
    with pytest.raises(WorkerError, match="a validation worker process died"):
        datasets._reports(iter(units), len(units), jobs=2)
