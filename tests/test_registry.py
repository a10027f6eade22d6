"""Registry files: shared actors, places and posts defined once and named from every article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner

from conftest import minimal_corpus, minimal_registry
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.errors import FactsError
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.serialization import serialize

REGISTRY_GRAPH = f"{DEFAULT_BASE}graph/registry"


def registry_entries() -> dict[str, Any]:
    return minimal_registry(("actors", "posts"))


def write_yaml(path: Path, tree: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), encoding="utf-8")


def corpus_with_registry(folder: Path, copies: int = 2) -> Path:
    """*copies* articles that define only what is their own, give their readings (quotes) of
    the registry's actors and post, and a registry of those."""
    return minimal_corpus(folder, copies, registry=True)


def dataset(data: bytes) -> dict[str, set[str]]:
    """The triples of N-Quads *data* by graph IRI, each as 's p o' text."""
    graphs: dict[str, set[str]] = {}
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        graphs.setdefault(name, set()).add(f"{quad.subject} {quad.predicate} {quad.object}")
    return graphs


def test_shared_entities_live_in_the_registry_graph_and_articles_name_them(
    tmp_path: Path,
) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus")
    result = build([corpus], jobs=1)
    assert result.report is not None and result.report.conforms, result.report.describe()
    graphs = dataset(serialize(result.graphs, "nquads"))
    khamenei = f"<{DEFAULT_BASE}actor/khamenei>"
    label = f'{khamenei} <http://www.w3.org/2000/01/rdf-schema#label> "Ali Khamenei"'
    assert label in graphs[REGISTRY_GRAPH]
    for n in range(2):
        article = graphs[f"{DEFAULT_BASE}graph/minimal-{n}"]
        assert label not in article
        statement = f"<{DEFAULT_BASE}statement/minimal-{n}/us-disloyal>"
        assert f"{statement} <https://w3id.org/policykg/ns#speaker> {khamenei}" in article
    # One named graph per article, one for the registry, one for the ontology.
    assert len(graphs) == 4
    # Turtle is the union: the registry's triples and the articles' in one graph.
    union = {
        f"{t.subject} {t.predicate} {t.object}"
        for t in ox.parse(serialize(result.graphs, "turtle"), format=ox.RdfFormat.TURTLE)
    }
    assert union == set().union(*graphs.values())


def test_the_registry_counts_its_items_as_facts(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus")
    result = build([corpus], validate=False)
    # Each article: its readings of 4 actors and the post, its tenure and event, 3 claims; the
    # registry: 6 actors and the post.
    assert result.fact_count == 2 * 10 + 7


def test_an_article_may_not_restate_a_registry_entry_even_word_for_word(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    facts_path = corpus / "doc0" / "facts.yaml"
    tree = yaml.safe_load(facts_path.read_text(encoding="utf-8"))
    tree["actors"]["iran"] = {**registry_entries()["actors"]["iran"], "quote": "Iran's Supreme"}
    write_yaml(facts_path, tree)
    error = error_of([corpus])
    assert "(the registry gives it the same value)" in error.message
    assert error.location.line == line_of(facts_path, "    type: state")


def error_of(paths: list[Path]) -> FactsError:
    with pytest.raises(FactsError) as caught:
        build(paths, validate=False, jobs=1)
    return caught.value


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line == text)


def test_an_article_that_defines_a_registry_id_otherwise_names_both_places(
    tmp_path: Path,
) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    facts_path = corpus / "doc0" / "facts.yaml"
    tree = yaml.safe_load(facts_path.read_text(encoding="utf-8"))
    tree["actors"]["iran"] = {"type": "state", "name": "Persia", "quote": "Iran"}
    write_yaml(facts_path, tree)
    error = error_of([corpus])
    registry = corpus / "registry.yaml"
    assert error.location.path == facts_path
    assert error.location.line == line_of(facts_path, "    type: state")
    assert f"{registry}:{line_of(registry, '  iran:')}" in error.message
    assert "not 'type' (the registry gives it the same value)" in error.message
    assert error.fact_id == "iran"


def test_two_registry_files_that_define_one_id_apart_name_both_places(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    extra = corpus / "people.registry.yaml"
    entries = registry_entries()
    write_yaml(
        extra,
        {
            "policykg": 1,
            "registry": {},
            "actors": {"khamenei": {**entries["actors"]["khamenei"], "name": "Seyyed Ali"}},
        },
    )
    error = error_of([corpus])
    # Registry files are read in path order: the later definition is the one reported.
    assert error.location.path == corpus / "registry.yaml"
    assert f"{extra}:4" in error.message
    assert '(field \'name\' differs: "Seyyed Ali" there, "Ali Khamenei" here)' in error.message


def test_a_registry_cannot_quote(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    registry = corpus / "registry.yaml"
    entries = registry_entries()
    entries["actors"]["iran"]["quote"] = "Iran"
    write_yaml(registry, entries)
    error = error_of([corpus])
    assert error.location.path == registry
    assert error.location.line == line_of(registry, "    quote: Iran")
    assert "no source text" in error.message


def test_a_registry_reference_must_be_defined_in_a_registry(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    registry = corpus / "registry.yaml"
    entries = registry_entries()
    entries["posts"]["supreme-leader-of-iran"]["organization"] = "persia"
    write_yaml(registry, entries)
    error = error_of([corpus])
    assert error.location.path == registry
    assert error.location.line == line_of(registry, "    organization: persia")
    assert "'persia'" in error.message


def test_files_that_mix_up_registry_and_article_are_named(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus", copies=1)
    (corpus / "registry.yaml").rename(corpus / "shared.yaml")
    error = error_of([corpus / "shared.yaml"])
    assert error.location.path == corpus / "shared.yaml"
    assert "registry.yaml" in (error.hint or "")
    article = corpus / "doc0" / "facts.yaml"
    article.rename(corpus / "doc0" / "registry.yaml")
    (corpus / "shared.yaml").unlink()
    error = error_of([corpus])
    assert "has no 'document'" in error.message


def test_policykg_build_writes_the_registry_graph_from_the_command_line(tmp_path: Path) -> None:
    corpus = corpus_with_registry(tmp_path / "corpus")
    output = tmp_path / "corpus.trig"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(output), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    # 2 articles of 10 items each (5 of them readings), and the registry's 7.
    assert ": 2 document(s), 27 facts," in result.stderr
    names = {
        quad.graph_name.value
        for quad in ox.parse(output.read_bytes(), format=ox.RdfFormat.TRIG)
        if isinstance(quad.graph_name, ox.NamedNode)
    }
    assert REGISTRY_GRAPH in names
    assert {f"{DEFAULT_BASE}graph/minimal-{n}" for n in range(2)} <= names
