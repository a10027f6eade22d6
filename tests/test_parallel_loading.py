"""``policykg load --jobs N`` against a real Oxigraph server: the same graphs as one job, a graph
the store refuses reported while the others land, and the output a corpus load prints.

The refusals come from a small proxy on 127.0.0.1 in front of the real server: it forwards every
request, except that it answers 500 to the upload of one chosen graph (or 403 to everything), and
it records how many uploads were in flight at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from click.testing import CliRunner, Result

from policykg.cli import main
from policykg.store.http import HttpSettings
from policykg.store.loading import GraphStore, IncompleteLoadError, load_file
from servers import OxigraphServer, graph_counts

pytestmark = pytest.mark.usefixtures("no_ambient_credentials")

GRAPHS = 12


def graph_iri(n: int) -> str:
    return f"https://example.org/graph/{n:02d}"


def corpus(folder: Path, *, edition: int) -> Path:
    """*GRAPHS* named graphs of n + 3 triples each, one blank node in each; *edition* in every
    object, so that two editions differ in every graph."""
    lines = []
    for n in range(GRAPHS):
        g = f"<{graph_iri(n)}>"
        lines += [
            f'<https://example.org/s{n}> <https://example.org/p> "{edition}-{k}" {g} .\n'
            for k in range(n + 2)
        ]
        lines.append(f"<https://example.org/s{n}> <https://example.org/b> _:b{n} {g} .\n")
    path = folder / f"edition{edition}.nq"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def expected_counts() -> dict[str, int]:
    return {graph_iri(n): n + 3 for n in range(GRAPHS)}


def load(*args: str) -> Result:
    return CliRunner().invoke(main, ["load", *args])


def objects(base: str, iri: str) -> set[str]:
    query = f"SELECT ?o WHERE {{ GRAPH <{iri}> {{ ?s <https://example.org/p> ?o }} }}"
    answer = requests.get(
        f"{base}/query",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    answer.raise_for_status()
    return {row["o"]["value"] for row in answer.json()["results"]["bindings"]}


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    server = OxigraphServer(tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


class Proxy:
    """Forwards to *upstream*; answers *refuse_status* to uploads of *refused* (every request,
    when *refused* is ``"*"``); holds each upload *delay* s and counts the most in flight."""

    def __init__(self, upstream: str, *, refused: str = "", refuse_status: int = 500) -> None:
        self.upstream = upstream
        self.refused = refused
        self.refuse_status = refuse_status
        self.delay = 0.0
        self.uploads = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                graph = parse_qs(urlsplit(self.path).query).get("graph", [""])[0]
                if proxy.refused == "*" or (self.command == "PUT" and graph == proxy.refused):
                    self._answer(proxy.refuse_status, b"refused by the test proxy")
                    return
                if self.command == "PUT":
                    proxy.enter()
                try:
                    answer = requests.request(
                        self.command,
                        proxy.upstream + self.path,
                        data=body,
                        headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                        timeout=30,
                    )
                finally:
                    if self.command == "PUT":
                        proxy.leave()
                self._answer(answer.status_code, answer.content)

            def _answer(self, status: int, content: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_PUT = do_POST = do_DELETE = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def enter(self) -> None:
        with self.lock:
            self.uploads += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(self.delay)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def proxy_to(oxigraph: str) -> Iterator[list[Proxy]]:
    proxies: list[Proxy] = []
    try:
        yield proxies
    finally:
        for proxy in proxies:
            proxy.close()


@pytest.mark.parametrize("jobs", ["1", "2", "4"])
def test_any_number_of_jobs_loads_and_verifies_the_same_graphs(
    oxigraph: str, tmp_path: Path, jobs: str
) -> None:
    first, second = corpus(tmp_path, edition=1), corpus(tmp_path, edition=2)
    for path in (first, second, second):  # a new edition replaces every graph; a reload, nothing
        result = load(str(path), "--endpoint", f"{oxigraph}/store", "--verify", "--jobs", jobs)
        assert result.exit_code == 0, result.output
        assert graph_counts(oxigraph) == expected_counts()
    assert objects(oxigraph, graph_iri(3)) == {f"2-{k}" for k in range(5)}
    total = sum(expected_counts().values())
    assert result.stdout == (
        f"loaded {GRAPHS} graph(s), {total} triples into {oxigraph}/store, verified in the store\n"
    )


def test_jobs_send_graphs_at_the_same_time(
    oxigraph: str, tmp_path: Path, proxy_to: list[Proxy]
) -> None:
    proxy = Proxy(oxigraph)
    proxy_to.append(proxy)
    proxy.delay = 0.2
    result = load(
        str(corpus(tmp_path, edition=1)), "--endpoint", f"{proxy.base}/store", "--jobs", "4"
    )
    assert result.exit_code == 0, result.output
    assert proxy.uploads == GRAPHS and proxy.most_in_flight == 4
    assert graph_counts(oxigraph) == expected_counts()


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_refused_graph_is_reported_and_the_others_land(
    oxigraph: str, tmp_path: Path, proxy_to: list[Proxy], jobs: str
) -> None:
    endpoint = f"{oxigraph}/store"
    assert load(str(corpus(tmp_path, edition=1)), "--endpoint", endpoint).exit_code == 0
    refused = graph_iri(5)
    proxy = Proxy(oxigraph, refused=refused)
    proxy_to.append(proxy)
    result = load(
        str(corpus(tmp_path, edition=2)),
        "--endpoint",
        f"{proxy.base}/store",
        "--verify",
        "--jobs",
        jobs,
        "--retries",
        "0",
    )
    assert result.exit_code == 3, result.output
    # Every other graph holds the new edition; the refused one still holds the old.
    assert graph_counts(oxigraph) == expected_counts()
    for n in range(GRAPHS):
        edition = 1 if graph_iri(n) == refused else 2
        assert objects(oxigraph, graph_iri(n)) == {f"{edition}-{k}" for k in range(n + 2)}
    total = sum(expected_counts().values()) - expected_counts()[refused]
    assert result.stdout == (
        f"loaded {GRAPHS - 1} graph(s), {total} triples into {proxy.base}/store,"
        " verified in the store\n"
    )
    assert f"1 of {GRAPHS} graph(s) failed to load; the other {GRAPHS - 1} were loaded" in (
        result.stderr
    )
    assert f"<{refused}>: cannot write graph <{refused}> (8 triples)" in result.stderr
    assert "HTTP status: 500" in result.stderr and "refused by the test proxy" in result.stderr


def test_a_store_refusing_everything_stops_the_load(
    oxigraph: str, tmp_path: Path, proxy_to: list[Proxy]
) -> None:
    proxy = Proxy(oxigraph, refused="*", refuse_status=403)
    proxy_to.append(proxy)
    result = load(
        str(corpus(tmp_path, edition=1)), "--endpoint", f"{proxy.base}/store", "--jobs", "2"
    )
    assert result.exit_code == 3, result.output
    failed = result.stderr.count("HTTP status: 403")
    assert 1 <= failed <= 2  # only the graphs already on their way when the first was refused
    assert f"{failed} of {GRAPHS} graph(s) failed to load and {GRAPHS - failed} were not sent" in (
        result.stderr
    )
    assert "none was loaded" in result.stderr and result.stdout == ""
    assert graph_counts(oxigraph) == {}


def test_a_corpus_load_prints_a_summary_a_line_per_graph_or_nothing(
    oxigraph: str, tmp_path: Path
) -> None:
    path, endpoint = str(corpus(tmp_path, edition=1)), f"{oxigraph}/store"
    summary = f"loaded {GRAPHS} graph(s), {sum(expected_counts().values())} triples into {endpoint}"
    plain = load(path, "--endpoint", endpoint, "--jobs", "2")
    assert plain.exit_code == 0 and plain.stdout == f"{summary}\n"
    verbose = load(path, "--endpoint", endpoint, "--jobs", "2", "--verbose")
    per_graph = [f"<{iri}>: {count} triples" for iri, count in expected_counts().items()]
    assert verbose.exit_code == 0 and verbose.stdout.splitlines() == [*per_graph, summary]
    quiet = load(path, "--endpoint", endpoint, "--jobs", "2", "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    both = load(path, "--endpoint", endpoint, "--quiet", "--verbose")
    assert both.exit_code == 2 and "at most one of --quiet and --verbose" in both.stderr


def test_jobs_need_an_endpoint(tmp_path: Path) -> None:
    path = corpus(tmp_path, edition=1)
    result = load(str(path), "--store-dir", str(tmp_path / "store"), "--jobs", "2")
    assert result.exit_code == 2 and "--jobs: only with --endpoint" in result.stderr
    one = load(str(path), "--store-dir", str(tmp_path / "store"), "--jobs", "1")
    assert one.exit_code == 0, one.output


def test_the_library_raises_the_failures_with_the_report_of_the_rest(
    oxigraph: str, tmp_path: Path, proxy_to: list[Proxy]
) -> None:
    refused = graph_iri(7)
    proxy = Proxy(oxigraph, refused=refused)
    proxy_to.append(proxy)
    store = GraphStore(f"{proxy.base}/store", http=HttpSettings(retries=0))
    with pytest.raises(IncompleteLoadError) as raised:
        load_file(corpus(tmp_path, edition=1), store, verify=True, jobs=4)
    error = raised.value
    assert [failure.iri for failure in error.failures] == [refused] and error.unsent == ()
    assert error.failures[0].error.status == 500
    landed = {graph.iri: graph.stored for graph in error.report.graphs}
    assert landed == {iri: n for iri, n in expected_counts().items() if iri != refused}
    assert error.report.verified
