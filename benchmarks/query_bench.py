"""How fast ``policykg query`` answers over a corpus of about 1.5 million triples (not a test).

The corpus is the Khamenei example rewritten for N synthetic documents, generated anew in a
temporary folder and the same on every run: each document gets its own copy of everything the
article's own facts are about (document, statements, claims, stances, evidence and their times),
renamed from ``khamenei-negotiations-2016`` to ``synthetic-0001`` …, while actors, posts, tenures,
places and events, which have document-independent IRIs, are written once, as a corpus with shared
registries would hold them. One N-Quads file per document, plus the ontology, in one folder.

Loading and every competency question (and a count of claims per assertion mode) are timed with
pyoxigraph through ``policykg.store.querying`` (rows collected and sorted as the CLI does), from the
folder loaded in memory and from an on-disk store; then the same on a slice of about 150,000
triples with rdflib's own SPARQL engine, for comparison (a query rdflib has not answered within
--rdflib-limit seconds is stopped and shown as such). Each figure is the median of several runs.

    python benchmarks/query_bench.py [--documents 725] [--runs 5] [--slice 72] [--rdflib-limit 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset

from policykg.build.pipeline import build
from policykg.rdf.serialization import serialize
from policykg.store.querying import open_source, run_query
from policykg.store.results import Solutions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "khamenei-2016"
DOCUMENT = "khamenei-negotiations-2016"
BASE = "https://w3id.org/policykg/data/"
ONTOLOGY_GRAPH = " <https://w3id.org/policykg/ns> ."
REGISTRY_GRAPH = f"<{BASE}graph/registry>"
PER_DOCUMENT_KINDS = frozenset({"claim", "statement", "stance", "evidence", "document", "graph"})
AGGREGATE = """PREFIX pkg: <https://w3id.org/policykg/ns#>
SELECT ?mode (COUNT(?claim) AS ?claims)
WHERE { ?claim a pkg:Claim ; pkg:assertionMode ?mode }
GROUP BY ?mode ORDER BY ?mode"""

T = TypeVar("T")


def main() -> None:
    options = _arguments()
    queries = {path.stem: path.read_text(encoding="utf-8") for path in _query_files()}
    queries["count claims per assertion mode"] = AGGREGATE
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )
    engines = f"pyoxigraph {version('pyoxigraph')}, rdflib {version('rdflib')}"
    print(f"{engines}; each figure the median of {options.runs} runs")
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as temporary:
        folder = Path(temporary) / "corpus"
        started = time.perf_counter()
        triples = write_corpus(folder, options.documents)
        print(
            f"corpus: {options.documents} documents, {triples:,} triples"
            f" (generated in {time.perf_counter() - started:.1f} s)\n"
        )
        memory = _timed(
            "pyoxigraph: load the folder into memory", options.runs, partial(_store, folder)
        )
        store_path = Path(temporary) / "store"
        disk = ox.Store(str(store_path))
        for path in sorted(folder.glob("*.nq")):
            disk.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        stored = _store(store_path)
        _compare(
            "pyoxigraph", {"in memory": memory, "on-disk store": stored}, queries, options.runs
        )

        sliced = Path(temporary) / "slice"
        triples = write_corpus(sliced, options.slice)
        print(f"\nslice: {options.slice} documents, {triples:,} triples")
        small = _timed("pyoxigraph: load the slice", options.runs, partial(_store, sliced))
        rdflib_runs = max(1, options.runs // 2)
        dataset = _timed("rdflib: load the slice", rdflib_runs, partial(_rdflib_dataset, sliced))
        _compare("pyoxigraph", {"slice": small}, queries, options.runs)
        _compare_rdflib(dataset, queries, rdflib_runs, options.rdflib_limit)


def write_corpus(folder: Path, documents: int) -> int:
    """Write the synthetic corpus of *documents* documents into *folder*; return its triples."""
    nquads = serialize(build([EXAMPLE], validate=False).graphs, "nquads").decode("utf-8")
    lines = nquads.splitlines()
    ontology = [line for line in lines if line.endswith(ONTOLOGY_GRAPH)]
    article = [line for line in lines if not line.endswith(ONTOLOGY_GRAPH)]
    facts = set(re.findall(rf"<{BASE}(?:claim|statement|stance)/{DOCUMENT}/([^/>]+)>", nquads))
    triples = [line.rpartition(" <")[0] for line in article]
    shared = [triple for triple in triples if _renamed(triple, "x", facts) == triple]
    registered = set(shared)
    own = [line for line, triple in zip(article, triples, strict=True) if triple not in registered]
    folder.mkdir(parents=True)
    (folder / "ontology.nq").write_text("\n".join(ontology) + "\n", encoding="utf-8")
    registry = "".join(f"{triple} {REGISTRY_GRAPH} .\n" for triple in shared)
    (folder / "registry.nq").write_text(registry, encoding="utf-8")
    for number in range(1, documents + 1):
        name = f"synthetic-{number:04d}"
        text = "\n".join(_renamed(line, name, facts) for line in own) + "\n"
        (folder / f"{name}.nq").write_text(text, encoding="utf-8")
    return len(ontology) + len(shared) + documents * len(own)


def _renamed(line: str, name: str, facts: set[str]) -> str:
    """*line* with the article's id replaced by *name* in the IRIs of per-document things."""

    def rename(match: re.Match[str]) -> str:
        kind, fact, rest = match.group(1), match.group(2) or "", match.group(3)
        own_time = kind == "time" and fact[1:] in facts
        if kind not in PER_DOCUMENT_KINDS and not own_time:
            return match.group(0)
        return f"<{BASE}{kind}/{name}{fact}{rest}>"

    return re.sub(rf"<{BASE}([a-z]+)/{DOCUMENT}(/[^/>]+)?([^>]*)>", rename, line)


def _query_files() -> list[Path]:
    return sorted((EXAMPLE / "queries").glob("*.rq"))


def _store(source: Path) -> ox.Store:
    store = open_source(source)
    assert isinstance(store, ox.Store)
    return store


def _rdflib_dataset(folder: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    for path in sorted(folder.glob("*.nq")):
        dataset.parse(path, format="nquads")
    return dataset


def _compare(engine: str, stores: dict[str, ox.Store], queries: dict[str, str], runs: int) -> None:
    for label, store in stores.items():
        print(f"\n{engine}, {label}:")
        for name, text in queries.items():
            result = run_query(store, text)
            rows = len(result.rows) if isinstance(result, Solutions) else "-"
            _timed(f"  {name} ({rows} rows)", runs, partial(run_query, store, text))


def _compare_rdflib(dataset: Dataset, queries: dict[str, str], runs: int, limit: float) -> None:
    print("\nrdflib, slice:")
    for name, text in queries.items():
        try:
            rows = len(_all_rows(dataset, text, limit))
        except _Stopped:
            print(f"  {name:<56} > {limit:.0f} s (stopped)")
            continue
        _timed(f"  {name} ({rows} rows)", runs, partial(_all_rows, dataset, text, limit))


class _Stopped(Exception):
    pass


def _all_rows(dataset: Dataset, text: str, limit: float) -> list[object]:
    """All rows rdflib finds, or :class:`_Stopped` after *limit* seconds (rdflib is pure Python,
    so the alarm's exception interrupts it)."""

    def stop(signum: int, frame: object) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return list(dataset.query(text))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed(label: str, runs: int, action: Callable[[], T]) -> T:
    """Run *action* *runs* times; print the median time; return the last result."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    figure = f"{median * 1000:8.1f} ms" if median < 1 else f"{median:8.2f} s "
    print(f"{label:<58} {figure}")
    return result


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=725, help="synthetic documents")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--slice", type=int, default=72, help="documents in the rdflib slice")
    parser.add_argument("--rdflib-limit", type=float, default=60, help="seconds per rdflib query")
    return parser.parse_args()


if __name__ == "__main__":
    main()
