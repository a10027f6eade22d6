"""``policykg load`` through a fault-injecting proxy in front of a real Oxigraph server: stale
chunks delivered after their retry, an update applied but never acknowledged, answers cut short,
dropped, refused or dripping, a store asking to be left alone for an hour, staging graphs left by
a killed load, and a load whose content differs in the store while its counts agree."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner, Result

from conftest import EXAMPLE, REGISTRY, ROOT
from hostile.proxy import (
    Fault,
    FaultProxy,
    Seen,
    after,
    answer_lost,
    dripping,
    dropped,
    passed,
    refused,
    slow_down,
    stale,
    trickling_headers,
    truncated,
)
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.rdf.serialization import serialize
from policykg.store.loading import STAGING_PREFIX
from servers import OxigraphServer

DOCUMENT_GRAPH = "https://w3id.org/policykg/data/graph/khamenei-negotiations-2016"

pytestmark = pytest.mark.usefixtures("no_ambient_credentials")


def load(*args: str) -> Result:
    return CliRunner().invoke(main, ["load", *args])


@pytest.fixture(scope="module")
def example_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "khamenei.nq"
    path.write_bytes(serialize(build([EXAMPLE, REGISTRY], validate=False).graphs, "nquads"))
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    """A fresh, real Oxigraph server; its base URL."""
    server = OxigraphServer(tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


def stored(base: str) -> dict[str, frozenset[ox.Triple]]:
    """Every named graph of the store at *base*, with its triples."""
    dump = requests.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=30)
    dump.raise_for_status()
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in ox.parse(dump.content, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return {name: frozenset(triples) for name, triples in graphs.items()}


def as_oxigraph_keeps(path: Path) -> dict[str, frozenset[ox.Triple]]:
    """The graphs of the file *path* as an Oxigraph store holds them (integer subtypes folded)."""
    memory = ox.Store()
    memory.load(path=path)
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in memory:
        assert isinstance(quad.graph_name, ox.NamedNode)
        graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return {name: frozenset(triples) for name, triples in graphs.items()}


def chunked_load(proxy: FaultProxy, path: Path, *extra: str) -> Result:
    return load(str(path), "--endpoint", f"{proxy.base}/store", "--chunk-size", "300", *extra)


# ------------------------------------------------------------------------- stale deliveries


def test_a_stale_first_chunk_delivered_after_the_others_cannot_truncate_the_graph(
    store: str, example_file: Path
) -> None:
    release = threading.Event()
    held: list[Seen] = []

    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        if seen.method == "PUT" and "staging" in seen.path and not held:
            held.append(seen)
            return stale(release)  # times out at the client, is retried, lands later
        if seen.path.startswith("/update") and not release.is_set():
            release.set()  # the stale chunk lands now, just before the staging graph moves
            return after(proxy.stale_delivered, passed())
        return passed()

    with FaultProxy(store, rule) as proxy:
        result = chunked_load(proxy, example_file, "--timeout", "1")
        assert proxy.stale_delivered.is_set() and held[0].fate == "delivered stale"
    assert result.exit_code == 0, result.output
    assert stored(store) == as_oxigraph_keeps(example_file)


def test_an_update_applied_but_never_answered_is_checked_not_reported_failed(
    store: str, example_file: Path
) -> None:
    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        if seen.path.startswith("/update") and b" TO " in seen.body:
            return answer_lost()
        return passed()

    with FaultProxy(store, rule) as proxy:
        result = chunked_load(proxy, example_file)
        moves = [s for s in proxy.requests_to("/update") if b" TO " in s.body]
        assert moves and all(move.fate == "delivered, answer lost" for move in moves)
    assert result.exit_code == 0, result.output
    assert stored(store) == as_oxigraph_keeps(example_file)  # and no staging graph is left


def test_an_update_lost_before_the_store_leaves_the_graph_as_it_was(
    store: str, example_file: Path, tmp_path: Path
) -> None:
    assert load(str(example_file), "--endpoint", f"{store}/store").exit_code == 0
    before = stored(store)
    smaller = tmp_path / "smaller.nq"
    lines = example_file.read_text(encoding="utf-8").splitlines(keepends=True)
    smaller.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")

    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        return dropped() if seen.path.startswith("/update") else passed()

    with FaultProxy(store, rule) as proxy:
        result = chunked_load(proxy, smaller, "--retries", "0")
    assert result.exit_code == 3 and "the connection failed or was dropped" in result.stderr
    assert stored(store) == before


# ------------------------------------------------------------------- answers cut, refused, slow


def second_chunk(seen: Seen, earlier: list[Seen]) -> bool:
    return seen.method == "PUT" and sum(s.method == "PUT" for s in earlier) >= 2


def staging_count(seen: Seen, earlier: list[Seen]) -> bool:
    return seen.path.startswith("/query") and "VALUES" in seen.path


@pytest.mark.parametrize(
    ("hit", "fault", "message"),
    [
        (second_chunk, lambda: refused(500, b"staging refused"), "staging refused"),
        (second_chunk, dropped, "the connection failed or was dropped"),
        (staging_count, lambda: truncated(5), "the answer was cut short"),
    ],
    ids=["500", "dropped", "truncated"],
)
def test_a_failing_chunk_leaves_every_graph_as_it_was(
    store: str,
    example_file: Path,
    tmp_path: Path,
    hit: Callable[[Seen, list[Seen]], bool],
    fault: Callable[[], Fault],
    message: str,
) -> None:
    assert load(str(example_file), "--endpoint", f"{store}/store").exit_code == 0
    before = stored(store)

    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        return fault() if hit(seen, proxy.seen) else passed()

    smaller = tmp_path / "smaller.nq"
    smaller.write_text(
        "".join(
            line
            for line in example_file.read_text(encoding="utf-8").splitlines(keepends=True)
            if "/evidence/" not in line.split(" ")[0]
        ),
        encoding="utf-8",
    )
    with FaultProxy(store, rule) as proxy:
        result = chunked_load(proxy, smaller, "--retries", "1", "--timeout", "5")
    assert result.exit_code == 3 and message in result.stderr, result.output
    assert "Traceback" not in result.output
    assert stored(store) == before  # target unchanged, staging graphs dropped


def test_a_truncated_read_back_fails_verification_cleanly(store: str, example_file: Path) -> None:
    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        return truncated(200) if seen.method == "GET" and "graph=" in seen.path else passed()

    with FaultProxy(store, rule) as proxy:
        result = load(
            str(example_file), "--endpoint", f"{proxy.base}/store", "--verify", "--retries", "0"
        )
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "the answer was cut short" in result.stderr


def test_an_answer_that_drips_is_abandoned_at_the_timeout(store: str, example_file: Path) -> None:
    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        return dripping(0.1) if seen.path.startswith("/query") else passed()

    with FaultProxy(store, rule) as proxy:
        started = time.monotonic()
        result = load(
            str(example_file),
            "--endpoint",
            f"{proxy.base}/store",
            "--verify",
            "--timeout",
            "1",
            "--retries",
            "0",
        )
        elapsed = time.monotonic() - started
    assert result.exit_code == 3 and "within the timeout of 1 s" in result.stderr
    assert elapsed < 5


def test_headers_that_trickle_are_abandoned_at_the_total_deadline(
    store: str, example_file: Path
) -> None:
    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        return trickling_headers(0.2) if seen.method == "PUT" else passed()

    with FaultProxy(store, rule) as proxy:
        started = time.monotonic()
        result = load(str(example_file), "--endpoint", f"{proxy.base}/store", "--timeout", "0.5")
        elapsed = time.monotonic() - started
    # (3 retries + 1) x 4 x 0.5 s: each byte comes well within the timeout, the whole never.
    assert result.exit_code == 3 and "in full within 8 s" in result.stderr, result.output
    assert elapsed < 12


def test_retry_after_is_capped_at_the_timeout(store: str, example_file: Path) -> None:
    asked: list[float] = []

    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        if seen.method == "PUT" and not asked:
            asked.append(seen.at)
            return slow_down(3600)
        return passed()

    with FaultProxy(store, rule) as proxy:
        # A subprocess, so that an uncapped wait fails the test at its timeout, not after an hour.
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "policykg",
                "load",
                str(example_file),
                "--endpoint",
                f"{proxy.base}/store",
                "--timeout",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        )
        waited = time.monotonic() - started
        puts = proxy.requests_to("/store", "PUT")
    assert done.returncode == 0, done.stderr
    retry = next(s for s in puts if s.at > asked[0])
    assert 1.5 <= retry.at - asked[0] <= 4 and waited < 20


# ------------------------------------------------------------------- staging graphs and verify


def test_staging_graphs_left_by_a_killed_load_are_dropped_by_the_next(
    store: str, example_file: Path
) -> None:
    leftover = f"{STAGING_PREFIX}0123456789abcdef:0123456789abcdef:0"
    quad = f'<https://example.org/s> <https://example.org/p> "stale" <{leftover}> .\n'
    requests.post(
        f"{store}/store", data=quad, headers={"Content-Type": "application/n-quads"}, timeout=10
    ).raise_for_status()
    union = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = load(str(example_file), "--endpoint", f"{store}/store", "--chunk-size", "300")
    assert result.exit_code == 0, result.output
    assert leftover not in stored(store)
    answer = CliRunner().invoke(main, ["query", f"{store}/query", union, "--format", "tsv"])
    total = sum(len(triples) for triples in as_oxigraph_keeps(example_file).values())
    assert answer.stdout.splitlines()[1] == str(total)


def test_verify_compares_content_not_only_counts(store: str, example_file: Path) -> None:
    changed_literal = False

    def rule(seen: Seen, proxy: FaultProxy) -> Fault:
        nonlocal changed_literal
        if seen.method == "PUT" and not changed_literal and b'"' in seen.body:
            changed_literal = True
            lines = seen.body.split(b"\n")
            index = next(i for i, line in enumerate(lines) if b'"' in line)
            lines[index] = lines[index].replace(b'"', b'"changed ', 1)
            seen.body = b"\n".join(lines)  # same count, one literal changed in transit
        return passed()

    with FaultProxy(store, rule) as proxy:
        result = load(str(example_file), "--endpoint", f"{proxy.base}/store", "--verify")
    assert changed_literal
    assert result.exit_code == 3 and "did not verify" in result.stderr, result.output
    assert "not all the file's" in result.stderr
