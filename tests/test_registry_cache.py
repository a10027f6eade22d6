"""A rebuild takes the registry's graph from the cache and reads the registry files only when it
needs their items: to build an article that changed, or to say where a registry node was curated."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import edit, minimal_corpus
from policykg.build.pipeline import BuildResult, build
from policykg.errors import FactsError
from policykg.facts import loader
from policykg.facts.registry_files import RegistryFiles
from policykg.rdf.serialization import serialize


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The registry files read, however the build loads them: one entry per file read."""
    read: list[Path] = []
    real = loader._registry_items

    def counted(path: Path) -> object:
        read.append(path)
        return real(path)

    monkeypatch.setattr(loader, "_registry_items", counted)
    return read


def nquads(result: BuildResult) -> bytes:
    return serialize(result.graphs, "nquads")


def test_a_rebuild_with_nothing_changed_does_not_read_the_registry(
    tmp_path: Path, loads: list[Path]
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 3, own_events=False)
    cache = tmp_path / "cache"
    clean = build([corpus], jobs=1)
    cold = build([corpus], jobs=1, cache=cache)
    loads.clear()
    warm = build([corpus], jobs=1, cache=cache)
    assert loads == []
    assert warm.cache_hits == 3
    assert nquads(warm) == nquads(cold) == nquads(clean)
    assert warm.fact_count == clean.fact_count
    assert warm.report is not None and clean.report is not None
    assert warm.report.describe() == clean.report.describe()


def test_a_rebuild_reads_the_registry_once_for_the_article_that_changed(
    tmp_path: Path, loads: list[Path]
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 3, own_events=False)
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    edit(corpus / "doc1" / "facts.yaml", "title: Khamenei", "title: Edited, Khamenei")
    loads.clear()
    rebuilt = build([corpus], jobs=1, cache=cache)
    assert loads == [corpus / "registry.yaml"]
    assert rebuilt.cache_hits == 2
    assert nquads(rebuilt) == nquads(build([corpus], jobs=1))


def test_the_registry_origins_of_a_kept_graph_are_read_when_asked_for(
    tmp_path: Path, loads: list[Path]
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    cache = tmp_path / "cache"
    cold = build([corpus], jobs=1, cache=cache)
    loads.clear()
    warm = build([corpus], jobs=1, cache=cache)
    assert warm.registry is not None and cold.registry is not None
    assert loads == []
    assert dict(warm.registry.origin_of) == dict(cold.registry.origin_of)
    assert len(loads) == 1
    speech = next(iri for iri in cold.registry.origin_of if iri.endswith("/event/speech"))
    assert str(warm.registry.origin_of[speech]).startswith(f"{corpus / 'registry.yaml'}:")


@pytest.mark.parametrize("damage", [b"", b"damaged\n", None], ids=["empty", "damaged", "cut"])
def test_a_damaged_kept_registry_is_built_again(
    tmp_path: Path, loads: list[Path], damage: bytes | None
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    cache = tmp_path / "cache"
    cold = build([corpus], jobs=1, cache=cache)
    kept = cache / "registry.graph"
    content = kept.read_bytes()
    kept.write_bytes(content[:-20] if damage is None else damage)
    loads.clear()
    warm = build([corpus], jobs=1, cache=cache)
    assert len(loads) == 1
    assert nquads(warm) == nquads(cold)
    assert kept.read_bytes() == content


def test_an_edited_registry_is_not_taken_from_the_cache(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    edit(corpus / "registry.yaml", "name: Ali Khamenei\n", "name: Sayyid Ali Khamenei\n")
    rebuilt = build([corpus], jobs=1, cache=cache)
    assert rebuilt.registry is not None
    assert b"Sayyid Ali Khamenei" in rebuilt.registry.ntriples
    assert nquads(rebuilt) == nquads(build([corpus], jobs=1))


def test_a_kept_registry_still_refuses_an_article_that_names_its_wikidata_entity(
    tmp_path: Path,
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    edit(
        corpus / "doc1" / "facts.yaml",
        "posts:\n",
        "  ali-khamenei:\n    type: person\n    name: Seyyed Ali Khamenei\n"
        "    wikidata: Q57336\n    source: https://example.org/ali\nposts:\n",
    )
    with pytest.raises(FactsError, match="name the same Wikidata item") as raised:
        build([corpus], jobs=1, cache=cache)
    assert str(corpus / "registry.yaml") in str(raised.value)


def test_registry_files_load_once_and_travel_loaded(tmp_path: Path, loads: list[Path]) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    files = RegistryFiles([corpus / "registry.yaml"])
    assert not files.loaded and loads == []
    shipped = pickle.dumps(files)  # a worker elsewhere may not read the files: they go loaded
    assert files.loaded and len(loads) == 1
    (corpus / "registry.yaml").unlink()
    received = pickle.loads(shipped)
    assert received.loaded
    assert received.registry.items_by_id.keys() == files.registry.items_by_id.keys()
    assert len(loads) == 1
