"""``policykg load`` against a real Oxigraph server and an embedded store, and against a small
recording HTTP server of our own for the faults a real store rarely shows on demand.

The Oxigraph server is the ``oxigraph`` binary of the PyPI package of that name (a test extra),
started on a free port of 127.0.0.1 with a temporary data folder and stopped after each test.
"""

from __future__ import annotations

import base64
import doctest
import hashlib
import importlib
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner, Result
from rdflib import Graph

from conftest import EXAMPLE, REGISTRY
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.errors import StoreError
from policykg.rdf.serialization import serialize
from policykg.store import loading
from policykg.store.http import HttpSettings
from policykg.store.loading import (
    GraphStore,
    StoreDirectory,
    blank_node_safe_chunks,
    derived_service,
    load_file,
)
from servers import OxigraphServer, graph_counts

DOCUMENT_GRAPH = "https://w3id.org/policykg/data/graph/khamenei-negotiations-2016"
ONTOLOGY_GRAPH = "https://w3id.org/policykg/ns"
PASSWORD = "pa55-Word-never-shown"
TOKEN = "t0ken-never-shown"


# ------------------------------------------------------------------------------- the example


@dataclass(frozen=True)
class Example:
    """The example built once: as N-Quads and Turtle files, and each graph's triples as Oxigraph
    keeps them (it stores xsd:nonNegativeInteger and other integer subtypes as xsd:integer)."""

    nquads: Path
    turtle: Path
    triples: dict[str, frozenset[ox.Triple]]
    graphs: tuple[Graph, ...]

    def counts(self) -> dict[str, int]:
        return {iri: len(triples) for iri, triples in self.triples.items()}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    folder = tmp_path_factory.mktemp("example")
    result = build([EXAMPLE, REGISTRY], validate=False)
    nquads, turtle = folder / "khamenei.nq", folder / "khamenei.ttl"
    nquads.write_bytes(serialize(result.graphs, "nquads"))
    turtle.write_bytes(serialize(result.graphs, "turtle"))
    memory = ox.Store()
    memory.load(path=nquads)
    triples: dict[str, set[ox.Triple]] = {}
    for quad in memory:
        triples.setdefault(str(quad.graph_name.value), set()).add(quad.triple)
    stored = {iri: frozenset(t) for iri, t in triples.items()}
    return Example(nquads, turtle, stored, result.graphs)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """Three triples in one named graph: enough for the fault cases."""
    path = tmp_path / "tiny.nq"
    path.write_text(
        "".join(
            f'<https://example.org/s> <https://example.org/p> "{n}" <https://example.org/g> .\n'
            for n in range(3)
        ),
        encoding="utf-8",
    )
    return path


pytestmark = pytest.mark.usefixtures("no_ambient_credentials")


def load(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["load", *args], env=env)


# ------------------------------------------------------------------------- the Oxigraph server


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """The base URL of a fresh Oxigraph server with a temporary data folder."""
    server = OxigraphServer(tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


def graph_triples(base: str, iri: str) -> frozenset[ox.Triple]:
    answer = requests.get(
        f"{base}/store",
        params={"graph": iri},
        headers={"Accept": "application/n-triples"},
        timeout=10,
    )
    answer.raise_for_status()
    return frozenset(q.triple for q in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))


# ---------------------------------------------------------------- loading into a real Oxigraph


def test_load_verifies_and_a_reload_changes_nothing(oxigraph: str, example: Example) -> None:
    for _ in range(2):
        result = load(
            str(example.nquads), "--endpoint", f"{oxigraph}/store", "--verify", "--verbose"
        )
        assert result.exit_code == 0, result.output
        assert graph_counts(oxigraph) == example.counts()
        for iri, triples in example.triples.items():
            assert graph_triples(oxigraph, iri) == triples
    assert f"<{DOCUMENT_GRAPH}>: {example.counts()[DOCUMENT_GRAPH]} triples" in result.stdout
    assert "loaded 3 graph(s), 4051 triples" in result.stdout and "verified" in result.stdout


def test_chunked_load_gives_the_same_graphs(oxigraph: str, example: Example) -> None:
    endpoint = f"{oxigraph}/store"
    for _ in range(2):
        result = load(
            str(example.nquads), "--endpoint", endpoint, "--chunk-size", "300", "--verify"
        )
        assert result.exit_code == 0, result.output
        assert graph_counts(oxigraph) == example.counts()  # and no staging graph is left
    assert graph_triples(oxigraph, DOCUMENT_GRAPH) == example.triples[DOCUMENT_GRAPH]


def test_chunks_never_split_blank_nodes(oxigraph: str, tmp_path: Path) -> None:
    lines = []
    for n in range(20):  # 20 groups of 3 triples around one blank node each
        lines += [f'_:b{n} <https://example.org/p> "{k}" .\n' for k in range(2)]
        lines.append(f"<https://example.org/s{n}> <https://example.org/q> _:b{n} .\n")
    # and one chain of 10 blank nodes, longer than a chunk
    lines += [f"_:c{k} <https://example.org/next> _:c{k + 1} .\n" for k in range(10)]
    path = tmp_path / "blank.nt"
    path.write_text("".join(lines), encoding="utf-8")
    graph = "https://example.org/graph/blank"
    args = [str(path), "--graph", graph, "--endpoint", f"{oxigraph}/store", "--chunk-size", "4"]
    result = load(*args, "--verify")
    assert result.exit_code == 0, result.output
    query = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?b ?p ?o FILTER isBlank(?b) } }"
    answer = requests.get(
        f"{oxigraph}/query",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ).json()
    assert answer["results"]["bindings"][0]["n"]["value"] == str(20 + 10)
    assert graph_counts(oxigraph) == {graph: 70}


def test_chunks_keep_connected_triples_together() -> None:
    p = ox.NamedNode("https://example.org/p")
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    named = [ox.Triple(ox.NamedNode(f"https://example.org/{n}"), p, p) for n in range(3)]
    triples = [named[0], ox.Triple(a, p, b), named[1], ox.Triple(c, p, b), named[2]]
    chunks = blank_node_safe_chunks(triples, 2)
    assert all(len(chunk) <= 2 for chunk in chunks)
    together = [chunk for chunk in chunks if ox.Triple(a, p, b) in chunk]
    assert len(together) == 1 and ox.Triple(c, p, b) in together[0]
    assert sorted(map(str, (t for chunk in chunks for t in chunk))) == sorted(map(str, triples))


@pytest.mark.parametrize(
    ("endpoint", "update", "query"),
    [
        ("http://h:7878/store", "http://h:7878/update", "http://h:7878/query"),
        ("http://h:3030/ds/data", "http://h:3030/ds/update", "http://h:3030/ds/query"),
        (
            "https://h/repositories/kg/rdf-graphs/service",
            "https://h/repositories/kg/statements",
            "https://h/repositories/kg",
        ),
        (
            "http://h:8890/sparql-graph-crud-auth",
            "http://h:8890/sparql-auth",
            "http://h:8890/sparql",
        ),
        ("http://h:8890/sparql-graph-crud", "http://h:8890/sparql", "http://h:8890/sparql"),
        ("http://h/graphs", None, None),
    ],
)
def test_services_derived_from_the_endpoint(endpoint: str, update: str, query: str) -> None:
    assert derived_service(endpoint, "update") == update
    assert derived_service(endpoint, "query") == query


def test_underivable_query_service_is_a_usage_error(tiny: Path) -> None:
    result = load(str(tiny), "--endpoint", "http://127.0.0.1:9/graphs", "--verify")
    assert result.exit_code == 2 and "give --query-endpoint URL" in result.stderr


def test_docstring_examples_run() -> None:
    outcome = doctest.testmod(loading)
    for name in ("staging", "fingerprint"):
        assert doctest.testmod(importlib.import_module(f"policykg.store.{name}")).failed == 0
    assert outcome.attempted > 0 and outcome.failed == 0


def test_turtle_needs_a_graph(oxigraph: str, example: Example) -> None:
    result = load(str(example.turtle), "--endpoint", f"{oxigraph}/store")
    assert result.exit_code == 2
    assert "outside any named graph" in result.stderr and "--graph" in result.stderr
    assert graph_counts(oxigraph) == {}

    graph = "https://example.org/graph/everything"
    result = load(str(example.turtle), "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert result.exit_code == 0, result.output
    assert graph_counts(oxigraph) == {graph: 4051}


def test_embedded_store_reloads_to_the_same_counts(tmp_path: Path, example: Example) -> None:
    store_dir = tmp_path / "store"
    for _ in range(2):
        result = load(str(example.nquads), "--store-dir", str(store_dir), "--verify")
        assert result.exit_code == 0, result.output
        store = ox.Store.read_only(str(store_dir))
        counts = {
            graph.value: len(list(store.quads_for_pattern(None, None, None, graph)))
            for graph in store.named_graphs()
        }
        del store
        assert counts == example.counts()


@pytest.mark.parametrize("target", ["store-dir", "endpoint"])
def test_a_load_reports_its_progress_graph_by_graph(
    target: str, oxigraph: str, example: Example, tmp_path: Path
) -> None:
    seen: list[tuple[str, int, int]] = []
    store: StoreDirectory | GraphStore = (
        StoreDirectory(tmp_path / "store")
        if target == "store-dir"
        else GraphStore(f"{oxigraph}/store", chunk_size=300)
    )
    load_file(example.nquads, store, progress=lambda *step: seen.append(step))
    graphs = len(example.counts())
    assert seen == [("loading", done, graphs) for done in range(1, graphs + 1)]


@pytest.mark.parametrize(("fmt", "embed"), [("trig", True), ("json-ld", True), ("json-ld", False)])
def test_every_dataset_format_loads_the_same_graphs(
    tmp_path: Path, example: Example, fmt: str, embed: bool
) -> None:
    path = tmp_path / ("khamenei.trig" if fmt == "trig" else "khamenei.jsonld")
    path.write_bytes(serialize(example.graphs, fmt, embed_context=embed))
    result = load(str(path), "--store-dir", str(tmp_path / "store"), "--verify", "-v")
    assert result.exit_code == 0, result.output
    for iri, count in example.counts().items():
        assert f"<{iri}>: {count} triples" in result.stdout


def test_remote_json_ld_context_is_never_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        '{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a",'
        ' "p": "x"}',
        encoding="utf-8",
    )
    result = load(str(path), "--store-dir", str(tmp_path / "store"))
    assert result.exit_code == 2 and "never fetches contexts" in result.stderr


def test_http_options_need_an_endpoint(tmp_path: Path, example: Example) -> None:
    result = load(str(example.nquads), "--store-dir", str(tmp_path / "s"), "--auth", "basic")
    assert result.exit_code == 2 and "--auth: only with --endpoint" in result.output
    assert load(str(example.nquads)).exit_code == 2


# ------------------------------------------------------------------- a recording fault server


@dataclass
class Exchange:
    """One request as the fault server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)


Step = Callable[["_Handler", Exchange], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer

    def do_any(self) -> None:
        exchange = Exchange(self.command, self.path, dict(self.headers.items()))
        self.server.exchanges.append(exchange)
        self.server.next_step()(self, exchange)

    do_GET = do_PUT = do_POST = do_DELETE = do_any

    def read_body(self, exchange: Exchange) -> None:
        exchange.body = self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def respond(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


class FaultServer(ThreadingHTTPServer):
    """Answers each request with the next step of its script, then with *default*."""

    daemon_threads = True

    def __init__(self, script: list[Step], default: Step) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script, self.default = list(script), default
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def next_step(self) -> Step:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (a timeout) makes the late answer fail; that is the point


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    started: list[FaultServer] = []

    def start(*script: Step, default: Step | None = None) -> FaultServer:
        server = FaultServer(list(script), default or reply(201))
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def reply(status: int, body: bytes = b"", *, delay: float = 0, **headers: str) -> Step:
    def step(handler: _Handler, exchange: Exchange) -> None:
        handler.read_body(exchange)
        time.sleep(delay)
        handler.respond(status, body, {k.replace("_", "-"): v for k, v in headers.items()})

    return step


def drop_after(size: int | None) -> Step:
    """Read *size* bytes of the body (None: all of it), then reset the connection unanswered."""

    def step(handler: _Handler, exchange: Exchange) -> None:
        if size is None:
            handler.read_body(exchange)
        else:
            exchange.body = handler.rfile.read(size)
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True

    return step


def echo_authorization(status: int) -> Step:
    """Refuse, quoting the credentials back, as careless servers do."""

    def step(handler: _Handler, exchange: Exchange) -> None:
        handler.read_body(exchange)
        header = exchange.headers.get("Authorization", "")
        decoded = ""
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
        handler.respond(status, f"refused {header} ({decoded})".encode())

    return step


def proxy_to(base: str) -> Step:
    def step(handler: _Handler, exchange: Exchange) -> None:
        handler.read_body(exchange)
        headers = {k: v for k, v in exchange.headers.items() if k in ("Content-Type", "Accept")}
        answer = requests.request(
            exchange.method, base + exchange.path, data=exchange.body, headers=headers, timeout=10
        )
        handler.respond(answer.status_code, answer.content)

    return step


def triples_in(body: bytes) -> int:
    return len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))


# ------------------------------------------------------------------------------ fault cases


def test_500_is_reported_with_status_and_body(
    fault_server: Callable[..., FaultServer], tiny: Path
) -> None:
    server = fault_server(reply(500, b"<html>disk full on node 3</html>"))
    result = load(str(tiny), "--endpoint", f"{server.url}/store", "--retries", "2")
    assert result.exit_code == 3
    assert "HTTP status: 500" in result.stderr and "disk full on node 3" in result.stderr
    assert f"endpoint: {server.url}/store" in result.stderr
    assert len(server.exchanges) == 1  # a 500 is not retried


def test_503_then_success_is_retried(fault_server: Callable[..., FaultServer], tiny: Path) -> None:
    server = fault_server(reply(503, b"busy"), reply(201))
    result = load(str(tiny), "--endpoint", f"{server.url}/store")
    assert result.exit_code == 0, result.output
    assert [e.method for e in server.exchanges] == ["PUT", "PUT"]
    assert all(triples_in(e.body) == 3 for e in server.exchanges)
    assert server.exchanges[0].path == "/store?graph=https%3A%2F%2Fexample.org%2Fg"
    assert server.exchanges[0].headers["Content-Type"] == "application/n-triples"


def test_retry_after_is_respected(fault_server: Callable[..., FaultServer], tiny: Path) -> None:
    server = fault_server(reply(429, b"slow down", Retry_After="1"))
    result = load(str(tiny), "--endpoint", f"{server.url}/store")
    assert result.exit_code == 0, result.output
    first, second = server.exchanges
    assert second.at - first.at >= 0.9


def test_timeout_is_named(fault_server: Callable[..., FaultServer], tiny: Path) -> None:
    server = fault_server(reply(201, delay=1.5))
    started = time.monotonic()
    result = load(
        str(tiny), "--endpoint", f"{server.url}/store", "--timeout", "0.3", "--retries", "0"
    )
    assert result.exit_code == 3
    assert "did not answer within the timeout of 0.3 s" in result.stderr
    assert time.monotonic() - started < 1.4


def test_401_is_refused(fault_server: Callable[..., FaultServer], tiny: Path) -> None:
    server = fault_server(reply(401, b"who are you?", WWW_Authenticate='Basic realm="kg"'))
    result = load(str(tiny), "--endpoint", f"{server.url}/store")
    assert result.exit_code == 3
    assert "HTTP status: 401" in result.stderr and "refused the credentials" in result.stderr


def test_digest_challenge_is_answered_and_the_body_sent_again(
    fault_server: Callable[..., FaultServer], tiny: Path
) -> None:
    realm, nonce = "policykg-test", "n0nce-1"
    challenge = f'Digest realm="{realm}", qop="auth", nonce="{nonce}", algorithm=MD5'

    def check_digest(handler: _Handler, exchange: Exchange) -> None:
        handler.read_body(exchange)
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', exchange.headers.get("Authorization", "")))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"analyst:{realm}:{PASSWORD}")
        ha2 = md5(f"{exchange.method}:{fields.get('uri')}")
        expected = md5(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        good = fields.get("response") == expected and triples_in(exchange.body) == 3
        handler.respond(201 if good else 400, b"" if good else b"bad digest or body")

    server = fault_server(reply(401, WWW_Authenticate=challenge), check_digest)
    env = {"POLICYKG_USER": "analyst", "POLICYKG_PASSWORD": PASSWORD}
    result = load(str(tiny), "--endpoint", f"{server.url}/store", "--auth", "digest", env=env)
    assert result.exit_code == 0, result.output
    first, second = server.exchanges
    assert "Authorization" not in first.headers and second.headers["Authorization"].startswith(
        "Digest "
    )
    assert first.body == second.body and PASSWORD not in result.output


def test_connection_dropped_mid_upload_is_retried(
    fault_server: Callable[..., FaultServer], example: Example
) -> None:
    server = fault_server(drop_after(1024))
    result = load(str(example.nquads), "--endpoint", f"{server.url}/store")
    assert result.exit_code == 0, result.output
    dropped, retried = server.exchanges[0], server.exchanges[1]
    assert len(dropped.body) == 1024 and dropped.path == retried.path
    assert triples_in(retried.body) == example.counts()[DOCUMENT_GRAPH]


def test_connection_always_dropped_is_a_clean_error(
    fault_server: Callable[..., FaultServer], example: Example
) -> None:
    server = fault_server(default=drop_after(1024))
    result = load(str(example.nquads), "--endpoint", f"{server.url}/store", "--retries", "1")
    assert result.exit_code == 3
    assert "the connection failed or was dropped" in result.stderr
    assert "Traceback" not in result.output and len(server.exchanges) == 2


def test_bearer_token_is_sent_and_never_shown(
    fault_server: Callable[..., FaultServer], tiny: Path
) -> None:
    server = fault_server(reply(201), echo_authorization(401))
    env = {"POLICYKG_TOKEN": TOKEN}
    args = [str(tiny), "--endpoint", f"{server.url}/store", "--auth", "bearer"]
    assert load(*args, env=env).exit_code == 0
    assert server.exchanges[0].headers["Authorization"] == f"Bearer {TOKEN}"
    refused = load(*args, env=env)
    assert refused.exit_code == 3 and "refused Bearer ***" in refused.stderr
    assert TOKEN not in refused.output


def test_basic_credentials_never_appear_in_output_or_errors(
    fault_server: Callable[..., FaultServer], tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fault_server(default=echo_authorization(403))
    secret_header = base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()
    env = {"POLICYKG_USER": "analyst", "POLICYKG_PASSWORD": PASSWORD}
    result = load(str(tiny), "--endpoint", f"{server.url}/store", "--auth", "basic", env=env)
    assert result.exit_code == 3 and "HTTP status: 403" in result.stderr
    assert server.exchanges[0].headers["Authorization"] == f"Basic {secret_header}"
    assert PASSWORD not in result.output and secret_header not in result.output

    monkeypatch.setenv("POLICYKG_USER", "analyst")
    monkeypatch.setenv("POLICYKG_PASSWORD", PASSWORD)
    store = GraphStore(f"{server.url}/store", http=HttpSettings(auth="basic", retries=0))
    with pytest.raises(StoreError) as caught:
        load_file(tiny, store)
    texts = []
    error: BaseException | None = caught.value
    while error is not None:
        texts += [str(error), repr(error)]
        error = error.__cause__
    assert not [t for t in texts if PASSWORD in t or secret_header in t]


def test_credentials_from_netrc(
    fault_server: Callable[..., FaultServer], tiny: Path, tmp_path: Path
) -> None:
    server = fault_server(reply(201))
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login analyst password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    args = [str(tiny), "--endpoint", f"{server.url}/store", "--auth", "basic"]
    assert load(*args, env={"NETRC": str(netrc)}).exit_code == 0
    expected = base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()
    assert server.exchanges[0].headers["Authorization"] == f"Basic {expected}"

    missing = load(*args)
    assert missing.exit_code == 2 and "POLICYKG_USER" in missing.stderr


def test_credentials_in_the_url_are_refused(tiny: Path) -> None:
    result = load(str(tiny), "--endpoint", f"http://analyst:{PASSWORD}@127.0.0.1:9/store")
    assert result.exit_code == 2 and PASSWORD not in result.output


# ----------------------------------------------- faults in front of the real Oxigraph server


def test_failed_chunk_leaves_the_target_graph_as_it_was(
    oxigraph: str, example: Example, fault_server: Callable[..., FaultServer]
) -> None:
    assert load(str(example.nquads), "--endpoint", f"{oxigraph}/store").exit_code == 0
    forward = proxy_to(oxigraph)
    proxy = fault_server(forward, forward, reply(500, b"chunk refused"), default=forward)

    result = load(
        str(example.turtle),
        "--graph",
        DOCUMENT_GRAPH,
        "--endpoint",
        f"{proxy.url}/store",
        "--update-endpoint",
        f"{oxigraph}/update",
        "--chunk-size",
        "500",
    )
    assert result.exit_code == 3 and "chunk refused" in result.stderr
    # listing stale staging graphs, a chunk into its staging graph, the refused chunk, then the
    # staging graphs dropped
    methods = [e.method for e in proxy.exchanges]
    assert methods[:3] == ["GET", "PUT", "PUT"] and set(methods[3:]) == {"DELETE"}
    assert graph_triples(oxigraph, DOCUMENT_GRAPH) == example.triples[DOCUMENT_GRAPH]
    assert graph_counts(oxigraph) == example.counts()  # the staging graph was dropped


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (reply(500, b"update refused"), "update refused"),
        # the update may have been done: it is not sent again (a second MOVE would fail)
        (drop_after(None), "the connection failed or was dropped"),
    ],
)
def test_failed_move_leaves_the_target_graph_as_it_was(
    oxigraph: str,
    example: Example,
    fault_server: Callable[..., FaultServer],
    failure: Step,
    message: str,
) -> None:
    assert load(str(example.nquads), "--endpoint", f"{oxigraph}/store").exit_code == 0
    update = fault_server(default=failure)
    result = load(
        str(example.turtle),
        "--graph",
        DOCUMENT_GRAPH,
        "--endpoint",
        f"{oxigraph}/store",
        "--update-endpoint",
        f"{update.url}/update",
        "--chunk-size",
        "1000",
    )
    assert result.exit_code == 3 and message in result.stderr
    (move,) = update.exchanges
    assert move.headers["Content-Type"] == "application/sparql-update"
    target = f"<{DOCUMENT_GRAPH}>"
    staging_iri = r"<urn:policykg:staging:[0-9a-f]+:[0-9a-f]+:\d+>"
    operations = move.body.decode().split(" ;\n")
    assert operations[0] == f"DROP SILENT GRAPH {target}"
    assert all(
        re.fullmatch(f"ADD {staging_iri} TO {target}|DROP SILENT GRAPH {staging_iri}", o)
        for o in operations[1:]
    )
    assert graph_triples(oxigraph, DOCUMENT_GRAPH) == example.triples[DOCUMENT_GRAPH]
    assert graph_counts(oxigraph) == example.counts()


def test_count_mismatch_fails_verification(
    oxigraph: str, example: Example, fault_server: Callable[..., FaultServer]
) -> None:
    answer = (
        b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"7"}}]}}'
    )
    query = fault_server(default=reply(200, answer, Content_Type="application/sparql-results+json"))
    result = load(
        str(example.nquads),
        "--endpoint",
        f"{oxigraph}/store",
        "--verify",
        "--query-endpoint",
        f"{query.url}/sparql",
    )
    assert result.exit_code == 3
    n = example.counts()[DOCUMENT_GRAPH]
    assert f"<{DOCUMENT_GRAPH}> holds 7 in the store, {n} in the file" in result.stderr
    assert query.exchanges[0].headers["Accept"] == "application/sparql-results+json"
