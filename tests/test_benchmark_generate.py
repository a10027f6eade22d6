"""The benchmark corpus generator: deterministic, and its corpus loads, grounds and maps."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from policykg.build.pipeline import build, load_all
from policykg.facts.grounding import ground_facts
from policykg.facts.loader import load_registry
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.mapping import map_facts

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    generate = _generator().generate
    generate(100, tmp_path / "one", seed=7)
    generate(100, tmp_path / "two", seed=7)
    generate(100, tmp_path / "other", seed=8)
    one = _files(tmp_path / "one")
    # four article folders, each with article.txt and facts.yaml, and the registry they share
    assert len(one) == 4 * 2 + 1 and "registry.yaml" in one
    assert one == _files(tmp_path / "two")
    assert one != _files(tmp_path / "other")


def test_a_small_corpus_loads_grounds_and_maps(tmp_path: Path) -> None:
    _generator().generate(100, tmp_path, seed=1)
    corpus = load_all([tmp_path])
    assert len(corpus) == 4
    kinds: Counter[str] = Counter()
    for facts in corpus:
        assert len(facts.items()) == 25
        spans = ground_facts(facts)
        for item in facts.items():
            kinds[type(item).__name__] += 1
            assert len(spans.get(item.id, ())) == len(item.quotes)
            for quote, span in zip(item.quotes, spans.get(item.id, ()), strict=True):
                assert span.exact == quote.text, item.id
        assert len(map_facts(facts, spans, DEFAULT_BASE).graph) > 400
    # Actors, places, posts and tenures are the registry's: the articles read them.
    assert set(kinds) == {"Reading", "Event", "Claim"}
    readings = Counter(
        reading.kind for facts in corpus for reading in facts.readings if reading.quotes
    )
    assert readings == {"actors": 6 * 4, "posts": 2 * 4, "tenures": 2 * 4, "events": 3 * 4}
    # Each article dates the registry events it reads, to the day, the month or the year.
    precisions = {
        reading.date.date.precision
        for facts in corpus
        for reading in facts.readings
        if reading.date is not None
    }
    assert len(precisions) == 3


def test_no_item_is_defined_twice_and_the_corpus_builds_and_conforms(tmp_path: Path) -> None:
    _generator().generate(150, tmp_path, seed=3)
    result = build([tmp_path], jobs=1)
    assert result.report is not None and result.report.conforms, result.report.describe()
    registry = load_registry([tmp_path / "registry.yaml"])
    assert result.fact_count == 6 * 25 + len(registry.items_by_id)
