"""The public API: what ``policykg`` exports, and the build's graphs as rdflib and pyoxigraph
objects equal to what the written file holds."""

from __future__ import annotations

import inspect
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

import policykg
from conftest import MINIMAL
from policykg import api
from policykg.errors import UsageError
from policykg.namespaces import PKG


@pytest.fixture(scope="module")
def built() -> policykg.BuildResult:
    return policykg.build_graphs(MINIMAL, jobs=1)


def test_the_store_holds_what_loading_the_written_nquads_gives(
    built: policykg.BuildResult, tmp_path: Path
) -> None:
    policykg.write(built, tmp_path / "out.nq")
    loaded = ox.Store()
    loaded.load(path=tmp_path / "out.nq", format=ox.RdfFormat.N_QUADS)
    store = built.to_store()
    assert set(store) == set(loaded) and len(store) == built.triple_count
    assert {graph.value for graph in store.named_graphs()} == {
        graph.graph_iri for graph in built.graphs
    }


def test_the_dataset_holds_what_rdflib_reads_from_the_written_nquads(
    built: policykg.BuildResult, tmp_path: Path
) -> None:
    policykg.write(built, tmp_path / "out.nq")
    parsed = Dataset()
    parsed.parse(tmp_path / "out.nq", format="nquads")
    dataset = built.to_dataset()
    assert set(dataset.quads()) == set(parsed.quads())
    assert str(dict(dataset.namespaces())["pkg"]) == str(PKG)


def test_the_dataset_answers_over_the_union_of_its_graphs(built: policykg.BuildResult) -> None:
    (count,) = next(iter(built.to_dataset().query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
    assert count.toPython() == built.triple_count


def test_a_store_from_a_build_can_be_queried(built: policykg.BuildResult) -> None:
    answer = policykg.query(built.to_store(), "ASK { ?s a <https://w3id.org/policykg/ns#Stance> }")
    assert isinstance(answer, policykg.Answer) and answer.value


def test_load_needs_one_target(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="one of store_dir and endpoint"):
        policykg.load(tmp_path / "out.nq")
    with pytest.raises(UsageError, match="one of store_dir and endpoint"):
        policykg.load(tmp_path / "out.nq", store_dir=tmp_path, endpoint="http://127.0.0.1:9/store")


def test_one_facts_path_is_a_path_not_its_characters() -> None:
    assert api._path_list("examples/a") == [Path("examples/a")]
    assert api._path_list(["a", Path("b")]) == [Path("a"), Path("b")]


def test_everything_in_all_is_exported() -> None:
    for name in policykg.__all__:
        assert getattr(policykg, name) is not None, name
    functions = [getattr(policykg, name) for name in api.__all__]
    assert all(function is getattr(api, function.__name__) for function in functions)


@pytest.mark.parametrize("name", api.__all__)
def test_each_function_takes_its_options_by_keyword_and_says_what_it_raises(name: str) -> None:
    function = getattr(policykg, name)
    parameters = list(inspect.signature(function).parameters.values())
    positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) <= 2, f"{name}: options must be keyword-only"
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters[len(positional) :])
    doc = inspect.getdoc(function) or ""
    assert ":returns:" in doc or function is policykg.render
    assert ":raises" in doc or "Raises" in doc, f"{name}: its docstring names no error"


def test_no_public_name_hides_a_module_of_the_package() -> None:
    # A function named like a subpackage replaces it as an attribute of policykg, and then
    # ``import policykg.build.pipeline as pipeline`` fails.
    package = Path(policykg.__file__).parent
    for name in policykg.__all__:
        assert not (package / name).is_dir() and not (package / f"{name}.py").exists(), name


def test_write_refuses_to_replace_a_file_the_build_read(tmp_path: Path) -> None:
    folder = tmp_path / "minimal"
    folder.mkdir()
    for name in ("facts.yaml", "article.txt"):
        (folder / name).write_bytes((MINIMAL / name).read_bytes())
    result = policykg.build_graphs(folder)
    for read in (folder / "facts.yaml", folder / "article.txt"):
        before = read.read_bytes()
        with pytest.raises(UsageError, match="is also an input"):
            policykg.write(result, read, format="turtle")
        assert read.read_bytes() == before
