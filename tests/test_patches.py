"""policykg's speed-ups to pyshacl: contained in one module, undone after each use, bounded, and
checked against the shape of the internals they replace."""

from __future__ import annotations

import gc
import inspect
import threading
from dataclasses import fields
from importlib.metadata import version
from pathlib import Path

import pyshacl
import pyshacl.shape
import pytest
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.errors import ValidationFailure
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from pyshacl.pytypes import SHACLExecutor
from pyshacl.validator import Validator
from rdflib import Graph, URIRef

from policykg.facts import reading
from policykg.resources import ontology_graph, shapes_graph
from policykg.validate import parsed_queries, patches
from policykg.validate.shacl import report_from, shacl_report, validate_graph

SHAPE_EXAMPLES = Path(__file__).parent / "shape_examples"
# An example that the shapes' SHACL-SPARQL constraints reject, so that they run.
SPARQL_CHECKED = SHAPE_EXAMPLES / "EventNotAfterPublicationShape" / "invalid.ttl"


def pyshacl_as_it_is() -> tuple[object, object, object, object]:
    return (
        vars(SPARQLQueryHelper)["check_invalid_sparql"],
        vars(pyshacl.shape).get("CONSTRAINT_PARAMS"),
        vars(Graph)["query"],
        vars(Validator)["make_executor"],
    )


def test_the_versions_the_patches_were_made_for_are_installed() -> None:
    assert version("pyshacl").startswith("0.40."), "check validate/patches.py, then re-pin"
    assert version("rdflib").startswith("7.6."), "check validate/patches.py, then re-pin"


def test_the_replaced_internals_keep_their_shape() -> None:
    check = vars(SPARQLQueryHelper)["check_invalid_sparql"]
    assert list(inspect.signature(check).parameters) == [
        "self",
        "sparql_text",
        "valuenode",
        "extravars",
    ]
    # pyshacl.shape reads its constraint parameters from this module attribute, a (list, map)
    # pair, when it is set.
    assert "getattr(module, 'CONSTRAINT_PARAMS'" in inspect.getsource(pyshacl.shape)
    assert isinstance(ALL_CONSTRAINT_PARAMETERS, list)
    assert all(isinstance(parameter, URIRef) for parameter in ALL_CONSTRAINT_PARAMETERS)
    assert set(ALL_CONSTRAINT_PARAMETERS) == set(CONSTRAINT_PARAMETERS_MAP)
    assert list(inspect.signature(Graph.query).parameters) == list(
        inspect.signature(patches.QueryCachingGraph.query).parameters
    )
    # pyshacl keeps the focus nodes a validation is restricted to on its executor, which
    # Validator.make_executor makes, and tests each targeted node with ``in`` on them.
    assert list(inspect.signature(vars(Validator)["make_executor"]).parameters) == ["self"]
    assert "focus_nodes" in {field.name for field in fields(SHACLExecutor)}
    assert "_fo in executor.focus_nodes" in inspect.getsource(pyshacl.shape)


def test_a_validation_restricted_to_focus_nodes_reports_only_theirs() -> None:
    """What the hashed focus nodes answer is what pyshacl's list answers."""
    data = Graph().parse(SPARQL_CHECKED)
    whole = validate_graph(data).violations
    failing = sorted({violation.focus_node for violation in whole})
    assert failing
    for focus in (
        [failing[0]],
        sorted({str(n) for n in data.all_nodes() if isinstance(n, URIRef)}),
    ):
        report = report_from(shacl_report(data, shapes_graph(), focus=focus))
        plain = report_from(
            pyshacl.validate(
                Graph().parse(SPARQL_CHECKED) + ontology_graph(),
                shacl_graph=shapes_graph(),
                focus_nodes=focus,
            )[1]
        )
        assert report.violations == plain.violations
        assert {violation.focus_node for violation in report.violations} <= set(focus)
    assert report.violations == whole


def test_pyshacl_queries_the_graph_policykg_hands_it() -> None:
    """The parsed-once queries are used only if pyshacl queries the data graph it is given."""
    parsed_queries.prepared.cache_clear()
    validate_graph(Graph().parse(SPARQL_CHECKED))
    info = parsed_queries.prepared.cache_info()
    assert info.misses > 0 and info.hits > 0


def test_pyshacl_is_as_it_was_after_a_validation_and_after_a_failed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = pyshacl_as_it_is()
    assert not validate_graph(Graph().parse(SPARQL_CHECKED)).conforms
    assert pyshacl_as_it_is() == before

    def failing(*args: object, **kwargs: object) -> None:
        assert pyshacl_as_it_is() != before  # the patches are in place while pyshacl runs
        raise RuntimeError("pyshacl failed")

    monkeypatch.setattr(Validator, "run", failing)
    with pytest.raises(RuntimeError, match="pyshacl failed"):
        validate_graph(Graph())
    assert pyshacl_as_it_is() == before


def test_uses_that_overlap_leave_pyshacl_as_it_was_when_the_last_ends() -> None:
    """Validations in two threads may start and end in any order."""
    before = pyshacl_as_it_is()
    first, second = patches.applied(), patches.applied()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert pyshacl_as_it_is() != before  # the second is still running
    second.__exit__(None, None, None)
    assert pyshacl_as_it_is() == before


def test_validations_in_threads_at_once_agree_and_leave_pyshacl_as_it_was() -> None:
    before = pyshacl_as_it_is()
    data = Graph().parse(SPARQL_CHECKED)
    expected = validate_graph(data).violations
    found: list[object] = []
    threads = [
        threading.Thread(target=lambda: found.append(validate_graph(data).violations))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [expected] * 4
    assert pyshacl_as_it_is() == before


def test_the_texts_kept_are_bounded() -> None:
    assert parsed_queries.prepared.cache_info().maxsize == parsed_queries.MAX_QUERIES
    check = patches._checked_once(vars(SPARQLQueryHelper)["check_invalid_sparql"])
    helper = SPARQLQueryHelper.__new__(SPARQLQueryHelper)
    for n in range(parsed_queries.MAX_QUERIES + 10):
        check(helper, f"SELECT $this WHERE {{ $this ?p {n} }}")
    assert 0 < len(patches._passed) <= parsed_queries.MAX_QUERIES


def test_a_text_that_fails_the_check_fails_it_every_time() -> None:
    check = patches._checked_once(vars(SPARQLQueryHelper)["check_invalid_sparql"])
    helper = SPARQLQueryHelper.__new__(SPARQLQueryHelper)
    for _ in range(2):
        with pytest.raises(ValidationFailure, match="MINUS"):
            check(helper, "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }")


def test_the_garbage_collector_runs_while_yaml_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is the process's: reading a facts file neither pauses nor tunes it."""
    path = tmp_path / "facts.yaml"
    path.write_text("a: {b: [1, 2]}\n", encoding="utf-8")
    seen: list[bool] = []
    construct = reading._StrictLoader.construct_document

    def observed(loader: object, node: object) -> object:
        seen.append(gc.isenabled())
        return construct(loader, node)

    monkeypatch.setattr(reading._StrictLoader, "construct_document", observed)
    assert gc.isenabled()
    reading.read_yaml(path)
    assert seen == [True]
