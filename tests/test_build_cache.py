"""Incremental builds: the cache, and that cached, parallel and clean builds give the same bytes."""

from __future__ import annotations

import gc
import mmap
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit, minimal_corpus
from policykg.build import cache as caching
from policykg.build import pipeline
from policykg.build.pipeline import BuildResult, build, write_output
from policykg.cli import main
from policykg.rdf.serialization import serialize

FORMATS = ("nquads", "turtle", "trig", "nt")


def outputs(result: BuildResult) -> dict[str, bytes]:
    return {fmt: serialize(result.graphs, fmt) for fmt in FORMATS}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = minimal_corpus(tmp_path / "corpus", 4)
    # One planted violation (the tenure begins after the statement made in office), so that the
    # verdict compared below is not just "conforms".
    edit(folder / "doc2" / "facts.yaml", 'value: "1989-06-04"', 'value: "2017-01-01"')
    return folder


def test_cached_parallel_and_clean_builds_write_the_same_bytes_and_verdict(
    corpus: Path, tmp_path: Path
) -> None:
    clean = build([corpus], jobs=1)
    cache = tmp_path / "cache"
    cold = build([corpus], jobs=2, cache=cache)
    warm = build([corpus], jobs=2, cache=cache)
    assert (cold.cache_hits, warm.cache_hits, clean.cache_hits) == (0, 4, None)
    for result in (cold, warm):
        assert outputs(result) == outputs(clean)
        assert result.report is not None and clean.report is not None
        assert result.report.violations == clean.report.violations
        assert result.report.describe() == clean.report.describe()
    assert not clean.report.conforms


@pytest.mark.parametrize(
    ("jobs", "overlap_from"),
    [(1, 1000), (2, 1000), (2, 0)],
    ids=[
        "one process",
        "one article to build, in this process",
        "a worker while the cache is read",
    ],
)
def test_after_one_edit_only_that_article_is_built_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, overlap_from: int
) -> None:
    monkeypatch.setattr(pipeline, "OVERLAP_FROM", overlap_from)
    cache = tmp_path / "cache"
    build([corpus], jobs=jobs, cache=cache)
    edit(
        corpus / "doc1" / "facts.yaml",
        "summary: The speech was significant.",
        "summary: The speech mattered.",
    )
    rebuilt = build([corpus], jobs=jobs, cache=cache)
    assert rebuilt.cache_hits == 3
    assert outputs(rebuilt) == outputs(build([corpus], jobs=1))


@pytest.mark.parametrize("overlap_from", [1000, 0], ids=["after reading", "while reading"])
def test_articles_built_in_batches_give_the_same_bytes_and_verdict(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlap_from: int
) -> None:
    clean = build([corpus], jobs=1)
    monkeypatch.setattr(pipeline, "OVERLAP_FROM", overlap_from)
    monkeypatch.setattr(pipeline, "batch_size", lambda articles, cores: 3)
    for cache in (None, tmp_path / "cache"):
        batched = build([corpus], jobs=2, cache=cache)
        assert outputs(batched) == outputs(clean)
        assert batched.report is not None and clean.report is not None
        assert batched.report.describe() == clean.report.describe()


def test_each_worker_gets_about_eight_batches_of_at_most_sixteen_articles() -> None:
    assert [pipeline.batch_size(n, 2) for n in (1, 15, 16, 40, 400, 4000)] == [1, 1, 1, 2, 16, 16]
    assert pipeline.batch_size(4000, 64) == 7


def test_a_changed_text_registry_or_base_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    text = corpus / "doc0" / "article.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    assert build([corpus], validate=False, cache=cache).cache_hits == 3
    other_base = build([corpus], validate=False, cache=cache, base="https://example.org/kg/")
    assert other_base.cache_hits == 0
    edit(corpus / "registry.yaml", "actors:\n", "actors:\n  nobody: {type: person, name: Nobody}\n")
    assert build([corpus], validate=False, cache=cache).cache_hits == 0


def test_a_validated_build_does_not_take_an_unvalidated_entry(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    validated = build([corpus], jobs=1, cache=cache)
    assert validated.cache_hits == 0
    assert validated.report is not None and not validated.report.conforms
    assert build([corpus], validate=False, cache=cache).cache_hits == 4


@pytest.mark.parametrize("overlap_from", [1000, 0], ids=["after reading", "while reading"])
def test_a_damaged_entry_is_a_miss_not_an_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlap_from: int
) -> None:
    monkeypatch.setattr(pipeline, "OVERLAP_FROM", overlap_from)
    cache = tmp_path / "cache"
    expected = outputs(build([corpus], validate=False, cache=cache))
    entries = sorted(cache.rglob("*.entry"))
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:-10])
    entries[1].write_bytes(b"not an entry")
    again = build([corpus], validate=False, cache=cache)
    assert again.cache_hits == 2
    assert outputs(again) == expected


def test_entries_mapped_into_memory_or_read_as_bytes_give_the_same_output(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    expected = outputs(build([corpus], validate=False, cache=cache))
    mapped = build([corpus], validate=False, cache=cache)
    assert all(_views(document.graph_lines, mmap.mmap) for document in mapped.documents)
    monkeypatch.setattr(caching, "MAPPED_SHARE", 0)
    read = build([corpus], validate=False, cache=cache)
    assert all(_views(document.graph_lines, bytes) for document in read.documents)
    for result, name in ((mapped, "mapped.nq"), (read, "read.nq")):
        assert (result.cache_hits, outputs(result)) == (4, expected)
        write_output(result, tmp_path / name)
        assert (tmp_path / name).read_bytes() == expected["nquads"]


def test_entries_mapped_by_results_still_held_count_against_the_share(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    gc.collect()
    room_for_four = (caching._live_mappings + 4) / caching.MAPPED_SHARE
    monkeypatch.setattr(caching, "_descriptor_limit", lambda: room_for_four)
    first = build([corpus], validate=False, cache=cache)
    assert all(_views(document.graph_lines, mmap.mmap) for document in first.documents)
    second = build([corpus], validate=False, cache=cache)
    assert all(_views(document.graph_lines, bytes) for document in second.documents)
    assert outputs(second) == outputs(first)
    del first
    gc.collect()
    third = build([corpus], validate=False, cache=cache)
    assert all(_views(document.graph_lines, mmap.mmap) for document in third.documents)


def _views(lines: bytes | memoryview, kind: type) -> bool:
    return isinstance(lines, memoryview) and isinstance(lines.obj, kind)


def test_a_build_from_the_cache_keeps_its_graphs_when_a_later_build_replaces_entries(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    earlier = build([corpus], validate=False, cache=cache)
    expected = outputs(earlier)
    edit(corpus / "doc1" / "facts.yaml", "summary: The speech was significant.", "summary: New.")
    later = build([corpus], validate=False, cache=cache)
    assert later.cache_hits == 3 and outputs(later) != expected
    assert outputs(earlier) == expected


def test_the_cli_says_how_many_articles_came_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    output = tmp_path / "out.nq"
    cache = tmp_path / "cli-cache"
    arguments = ["build", str(corpus), "-o", str(output), "--cache", str(cache), "--no-validate"]
    first = runner.invoke(main, arguments)
    second = runner.invoke(main, arguments)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert re.search(r"cache: 0 of 4 article\(s\)$", first.stderr.strip())
    assert re.search(r"cache: 4 of 4 article\(s\)$", second.stderr.strip())
    unused = runner.invoke(main, [*arguments, "--no-cache"])
    assert unused.stderr.strip().endswith("cache: not used")


def test_the_cache_folder_is_marked_and_ignored_by_git(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    tag = (cache / "CACHEDIR.TAG").read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")  # bford.info/cachedir


def test_the_cache_keeps_one_entry_per_article(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    previous = "significant."
    for summary in ("significant, one.", "significant, two.", "significant, three."):
        edit(corpus / "doc0" / "facts.yaml", f"was {previous}", f"was {summary}")
        build([corpus], validate=False, cache=cache)
        previous = summary
    assert len(list(cache.rglob("*.entry"))) == 4


def test_a_rebuild_looks_first_at_the_articles_modified_last(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article edited last is found, and sent to a worker, before the others' entries are
    read; the result is the same as a clean build's."""
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    paths = sorted(corpus.rglob("facts.yaml"))
    for second, path in enumerate(paths):
        os.utime(path, (1_000_000_000 + second, 1_000_000_000 + second))
    edited = paths[1]
    edit(edited, "title: Khamenei", "title: Edited, Khamenei")
    looked_at: list[Path] = []
    real_find = caching.BuildCache.find

    def find(self: caching.BuildCache, path: Path, key: str, *, validated: bool) -> object:
        looked_at.append(path)
        return real_find(self, path, key, validated=validated)

    monkeypatch.setattr(caching.BuildCache, "find", find)
    rebuilt = build([corpus], jobs=1, cache=cache)
    assert looked_at == [edited, *reversed([p for p in paths if p != edited])]
    assert rebuilt.cache_hits == len(paths) - 1
    assert outputs(rebuilt) == outputs(build([corpus], jobs=1))
