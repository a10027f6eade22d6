"""Incremental builds: the cache, and that cached, parallel and clean builds give the same bytes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit, minimal_corpus
from policykg import prepared_sparql, validation
from policykg.caching import BuildCache, _read_ahead
from policykg.cli import main
from policykg.errors import FactsError
from policykg.facts import load_registry
from policykg.namespaces import DEFAULT_BASE
from policykg.pipeline import BuildResult, _registry_digest, build
from policykg.serialization import serialize
from policykg.validation import parsed_queries

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


def test_after_one_edit_only_that_article_is_built_again(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    edit(
        corpus / "doc1" / "facts.yaml",
        "summary: The speech was significant.",
        "summary: The speech mattered.",
    )
    rebuilt = build([corpus], jobs=1, cache=cache)
    assert rebuilt.cache_hits == 3
    assert outputs(rebuilt) == outputs(build([corpus], jobs=1))


def test_a_changed_text_registry_or_base_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    text = corpus / "doc0" / "article.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    assert build([corpus], validate=False, cache=cache).cache_hits == 3
    other_base = build([corpus], validate=False, cache=cache, base="https://example.org/kg/")
    assert other_base.cache_hits == 0
    (corpus / "registry.yaml").write_text(
        "policykg: 1\nregistry: {}\nactors:\n  nobody:\n    type: person\n    name: Nobody\n",
        encoding="utf-8",
    )
    assert build([corpus], validate=False, cache=cache).cache_hits == 0


def test_a_validated_build_does_not_take_an_unvalidated_entry(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    validated = build([corpus], jobs=1, cache=cache)
    assert validated.cache_hits == 0
    assert validated.report is not None and not validated.report.conforms
    assert build([corpus], validate=False, cache=cache).cache_hits == 4


def test_a_damaged_entry_is_a_miss_not_an_error(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = outputs(build([corpus], validate=False, cache=cache))
    entries = sorted(cache.rglob("*.entry"))
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:-10])
    entries[1].write_bytes(b"not an entry")
    again = build([corpus], validate=False, cache=cache)
    assert again.cache_hits == 2
    assert outputs(again) == expected


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


def test_cached_articles_still_meet_the_checks_across_articles(
    corpus: Path, tmp_path: Path
) -> None:
    """An article edited to define a shared id otherwise is refused with the place of the cached
    article that defines it first; one given a cached article's document id likewise."""
    cache = tmp_path / "cache"
    build([corpus], validate=False, cache=cache)
    second = corpus / "doc1" / "facts.yaml"
    edit(second, "name: LobeLog", "name: Lobe Log")
    with pytest.raises(FactsError, match="'lobelog' is defined differently in") as defined:
        build([corpus], validate=False, cache=cache)
    first = corpus / "doc0" / "facts.yaml"
    line = first.read_text(encoding="utf-8").splitlines().index("  lobelog:") + 1
    assert f"{first}:{line}" in defined.value.message
    assert defined.value.location.path == second
    edit(second, "name: Lobe Log", "name: LobeLog")
    edit(second, "  id: minimal-1\n", "  id: minimal-0\n")
    with pytest.raises(FactsError, match="document id 'minimal-0' is also used by") as reused:
        build([corpus], validate=False, cache=cache)
    assert str(first) in reused.value.message


def test_a_rebuild_takes_the_parsed_sparql_from_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build keeps the SHACL-SPARQL it parsed; a later one, in a fresh process (here: with
    the process's parsed queries forgotten), validates an edited article without parsing any,
    and reports what a clean build does."""
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    assert (cache / "parsed-sparql.json").is_file()
    edit(corpus / "doc1" / "facts.yaml", "was significant.", "mattered.")
    expected = build([corpus], jobs=1).report
    parsed_queries().clear()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a query was parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(validation, "prepareQuery", no_parsing)
        rebuilt = build([corpus], jobs=1, cache=cache)
    assert rebuilt.cache_hits == 3
    assert rebuilt.report is not None and expected is not None
    assert rebuilt.report.violations == expected.violations and not expected.conforms


def test_damaged_parsed_sparql_is_parsed_again(corpus: Path, tmp_path: Path) -> None:
    """Parsed queries that do not decode, or were kept for another version, are ignored: the
    next article validated parses them again, and keeps them."""
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    kept = cache / "parsed-sparql.json"
    header, _, body = kept.read_bytes().partition(b"\n")
    summaries = ["was significant.", "mattered.", "was significant."]
    damages = [header + b"\n" + body[: len(body) // 2], b"other version\n" + body]
    for damaged, old, new in zip(damages, summaries, summaries[1:], strict=False):
        kept.write_bytes(damaged)
        edit(corpus / "doc1" / "facts.yaml", old, new)
        parsed_queries().clear()
        rebuilt = build([corpus], jobs=1, cache=cache)
        assert rebuilt.cache_hits == 3
        assert rebuilt.report is not None and not rebuilt.report.conforms
        assert kept.read_bytes().startswith(header + b"\n")
        assert (
            prepared_sparql.decode(kept.read_bytes().partition(b"\n")[2]).keys()
            == parsed_queries().keys()
        )


def test_an_entry_damaged_in_place_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    """A byte changed in an entry's graph leaves its lengths as they were: the checksum tells."""
    cache = tmp_path / "cache"
    expected = outputs(build([corpus], validate=False, cache=cache))
    entry = sorted(cache.rglob("*.entry"))[0]
    data = bytearray(entry.read_bytes())
    at = data.index(b"<https://w3id.org/policykg/data/", len(data) // 2)
    data[at + 1] = ord("H")
    entry.write_bytes(bytes(data))
    again = build([corpus], validate=False, cache=cache)
    assert again.cache_hits == 3
    assert outputs(again) == expected


def test_an_entry_replaced_between_finding_and_loading_is_a_miss(
    corpus: Path, tmp_path: Path
) -> None:
    """Another build may replace an entry after this one found it: what it loads must be what
    it found, or nothing."""
    first = build([corpus], validate=False, cache=tmp_path / "cache").documents[0]
    store = BuildCache(
        tmp_path / "cache", base=DEFAULT_BASE, registry_digest=_registry_digest(load_registry([]))
    )
    path = Path(first.path)
    keys = store.keys([path])
    found = store.find(keys, validated=False)
    assert store.load(found[path]) == first
    store.put("another key", first)
    assert store.load(found[path]) is None
    assert store.find(keys, validated=False) == {}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_that_builds_while_it_reads_writes_what_a_clean_build_does(
    corpus: Path, tmp_path: Path, jobs: int
) -> None:
    """With two processes, the one edited article is built in a worker while the main process
    reads the other three from the cache."""
    cache = tmp_path / "cache"
    build([corpus], jobs=jobs, cache=cache)
    edit(corpus / "doc3" / "facts.yaml", "was significant.", "mattered.")
    rebuilt = build([corpus], jobs=jobs, cache=cache)
    clean = build([corpus], jobs=1)
    assert rebuilt.cache_hits == 3
    assert outputs(rebuilt) == outputs(clean)
    assert rebuilt.report is not None and clean.report is not None
    assert rebuilt.report.violations == clean.report.violations


def test_a_rebuild_in_a_fresh_process_parses_no_sparql(corpus: Path, tmp_path: Path) -> None:
    """pyshacl orders a query's prefixes differently in each process (by hash): the queries a
    build kept must serve a process with another hash seed."""
    cache = tmp_path / "cache"
    build([corpus], jobs=1, cache=cache)
    edit(corpus / "doc1" / "facts.yaml", "was significant.", "mattered.")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from policykg import validation\n"
        "from policykg.pipeline import build\n"
        "def no_parsing(*args, **kwargs):\n"
        "    raise AssertionError('a query was parsed again')\n"
        "validation.prepareQuery = no_parsing\n"
        "result = build([Path(sys.argv[1])], jobs=1, cache=Path(sys.argv[2]))\n"
        "print(result.cache_hits, len(result.report.violations))\n"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus), str(cache)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = build([corpus], jobs=1).report
    assert expected is not None
    assert done.stdout.split() == ["3", str(len(expected.violations))]


@pytest.mark.parametrize("count", [0, 1, 17, 40])
def test_reading_ahead_passes_over_missing_files(tmp_path: Path, count: int) -> None:
    """Reading ahead only asks the kernel for what exists; a path that is gone (an entry not
    written yet) is no error."""
    paths = [tmp_path / f"{n}.entry" for n in range(count)]
    for path in paths[::2]:
        path.write_bytes(b"x" * 10_000)
    _read_ahead(paths)
    assert all(path.read_bytes() == b"x" * 10_000 for path in paths[::2])
