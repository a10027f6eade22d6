"""The cache never trusts a damaged entry, and builds sharing one cache at once stay correct."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, minimal_corpus
from policykg.build import cache as caching
from policykg.build.pipeline import BuildResult, build
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.serialization import serialize


def nquads(result: BuildResult) -> bytes:
    return serialize(result.graphs, "nquads")


def test_an_entry_edited_in_place_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    clean = build([corpus], jobs=1)
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    for entry in cache.rglob("*.entry"):
        data = entry.read_bytes()
        assert b'"The speech was significant."' in data
        entry.write_bytes(data.replace(b"was significant.", b"was irrelevant."))
    rebuilt = build([corpus], jobs=1, cache=cache)
    assert rebuilt.cache_hits == 0
    assert b"was irrelevant" not in nquads(rebuilt)
    assert nquads(rebuilt) == nquads(clean)
    assert rebuilt.report is not None and clean.report is not None
    assert rebuilt.report.describe() == clean.report.describe()
    assert build([corpus], jobs=1, cache=cache).cache_hits == 2  # the entries were replaced


@pytest.fixture(scope="module")
def one_article(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, Path, bytes]:
    """A one-article corpus, its clean N-Quads, its cache folder and its entry's bytes."""
    folder = tmp_path_factory.mktemp("one-article")
    corpus = minimal_corpus(folder / "corpus", 1)
    clean = nquads(build([corpus], validate=False, jobs=1))
    cache = folder / "cache"
    build([corpus], validate=False, jobs=1, cache=cache)
    (entry,) = cache.rglob("*.entry")
    return corpus, clean, entry, entry.read_bytes()


@pytest.mark.parametrize(
    ("share", "jobs"),
    [(caching.MAPPED_SHARE, 2), (0, 1)],
    ids=["mapped, two jobs", "read as bytes, one job"],
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_entry_with_any_byte_changed_is_rebuilt_to_the_clean_bytes(
    one_article: tuple[Path, bytes, Path, bytes], share: float, jobs: int, data: st.DataObject
) -> None:
    corpus, clean, entry, pristine = one_article
    damaged = bytearray(pristine)
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        position = data.draw(st.integers(0, len(pristine) - 1), label="position")
        damaged[position] ^= data.draw(st.integers(1, 255), label="xor")
    if damaged == pristine:  # two changes undid each other
        return
    entry.write_bytes(damaged)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(caching, "MAPPED_SHARE", share)
        rebuilt = build([corpus], validate=False, jobs=jobs, cache=entry.parent.parent)
    assert rebuilt.cache_hits == 0
    assert nquads(rebuilt) == clean
    assert entry.read_bytes() == pristine  # the rebuild replaced the damaged entry


def test_two_builds_sharing_one_cache_at_once_write_the_clean_bytes(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 12)
    clean = nquads(build([corpus], validate=False, jobs=1))
    cache = tmp_path / "cache"
    options = ["--no-validate", "--jobs", "1", "--cache", str(cache), "--quiet"]
    for round_ in range(3):
        outputs = [tmp_path / f"round{round_}-build{n}.nq" for n in range(2)]
        builds = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "policykg",
                    "build",
                    str(corpus),
                    "-o",
                    str(output),
                    *options,
                ],
                stderr=subprocess.PIPE,
            )
            for output in outputs
        ]
        for process in builds:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr.decode()
        for output in outputs:
            assert output.read_bytes() == clean
        if round_ == 0:  # later rounds read what both wrote, while one of them rewrites an entry
            (next(cache.rglob("*.entry"))).write_bytes(b"damaged")
    assert len(list(cache.rglob("*.entry"))) == 12
    assert not list(cache.rglob("*.tmp"))


def test_an_article_in_a_folder_whose_name_is_not_utf8_is_kept_and_found(tmp_path: Path) -> None:
    built = build([MINIMAL], validate=False, jobs=1).documents[0]
    folder = tmp_path / os.fsdecode(b"caf\xe9")  # Latin-1, as an old archive may name it
    folder.mkdir()
    text = folder / "article.txt"
    text.write_bytes((MINIMAL / "article.txt").read_bytes())
    facts = folder / "facts.yaml"
    moved = dataclasses.replace(built, path=str(facts), text_path=str(text))
    cache = caching.BuildCache(tmp_path / "cache", base=DEFAULT_BASE, registry_digest="")
    key = cache.key(facts, b"the facts")
    cache.put(key, moved)
    assert cache.warning is None
    hit = cache.find(facts, key, validated=False)
    assert hit is not None
    assert cache.load(hit) == moved
