"""``policykg load`` and ``policykg query`` against a real Virtuoso (issue 17, item 3).

Debian's ``virtuoso-opensource`` (``virtuoso-t``) is started once per session on free ports of
127.0.0.1 with a throwaway database (``tests/servers.py``); ``.ci/run`` installs it, and without
it these tests are skipped locally and fail in CI. The example corpus is loaded through
``/sparql-graph-crud-auth`` with digest authentication, verified, loaded again and loaded in
chunks, and the competency questions asked of ``/sparql`` must give rdflib's answers. Virtuoso's
known ways are provoked on the real server, through a proxy of ours where the fault needs one:
a failed ``PUT`` that leaves its graph half replaced, an update that keeps the operations done
before the one that failed, answers cut at ``ResultSetMaxRows`` with status 200, HTML error pages,
refused JSON-LD, and ``xsd:duration`` values kept as numbers.
"""

from __future__ import annotations

import doctest
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner, Result
from rdflib import Dataset, Literal, URIRef
from rdflib.query import ResultRow
from requests.auth import HTTPDigestAuth

import servers
from conftest import ROOT
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.errors import StoreError
from policykg.rdf.serialization import serialize
from policykg.store import fingerprint, http
from policykg.store.http import HttpSettings
from policykg.store.loading import GraphStore, IncompleteLoadError, load_file
from policykg.store.sparql_text import shape_of
from servers import VIRTUOSO_PASSWORD, VIRTUOSO_USER

EXAMPLES = ROOT / "examples"
QUERIES = sorted(EXAMPLES.glob("*/queries/*.rq")) + sorted((EXAMPLES / "queries").glob("*.rq"))
QUERY_IDS = [f"{path.parent.parent.name}/{path.stem}" for path in QUERIES]
XSD = "http://www.w3.org/2001/XMLSchema#"
CREDENTIALS = {"POLICYKG_USER": VIRTUOSO_USER, "POLICYKG_PASSWORD": VIRTUOSO_PASSWORD}
DIGEST = HTTPDigestAuth(VIRTUOSO_USER, VIRTUOSO_PASSWORD)

pytestmark = pytest.mark.usefixtures("no_ambient_credentials")


@dataclass(frozen=True)
class Corpus:
    """The example corpus built once: as N-Quads, TriG and JSON-LD, and each graph's triples."""

    nquads: Path
    trig: Path
    jsonld: Path
    triples: dict[str, frozenset[ox.Triple]]

    def counts(self) -> dict[str, int]:
        return {iri: len(triples) for iri, triples in self.triples.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("virtuoso-corpus")
    graphs = build([EXAMPLES], validate=False).graphs
    paths = {}
    for suffix, fmt in (("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")):
        paths[suffix] = folder / f"examples.{suffix}"
        paths[suffix].write_bytes(serialize(graphs, fmt))
    triples: dict[str, set[ox.Triple]] = {}
    for quad in ox.parse(path=str(paths["nq"]), format=ox.RdfFormat.N_QUADS):
        triples.setdefault(str(quad.graph_name.value), set()).add(quad.triple)
    frozen = {iri: frozenset(found) for iri, found in triples.items()}
    return Corpus(paths["nq"], paths["trig"], paths["jsonld"], frozen)


def load(*args: str) -> Result:
    return CliRunner().invoke(main, ["load", *args], env=CREDENTIALS)


def crud(base: str) -> str:
    return f"{base}/sparql-graph-crud-auth"


def select(base: str, query: str) -> list[dict[str, dict[str, str]]]:
    answer = requests.post(
        f"{base}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    return list(answer.json()["results"]["bindings"])


def count(base: str, iri: str) -> int:
    rows = select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def staging_graphs(base: str) -> list[str]:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'urn:policykg:staging:') }"
    return [row["g"]["value"] for row in select(base, query)]


def put(base: str, iri: str, body: bytes, content_type: str) -> requests.Response:
    return requests.put(
        crud(base),
        params={"graph": iri},
        data=body,
        headers={"Content-Type": content_type},
        auth=DIGEST,
        timeout=30,
    )


def lines(count: int, graph_marker: str = "v") -> bytes:
    return "".join(
        f'<https://example.org/s{n}> <https://example.org/p> "{graph_marker}{n}" .\n'
        for n in range(count)
    ).encode()


# ----------------------------------------------------------------------- loading the corpus


def test_load_verifies_and_a_reload_changes_nothing(virtuoso: str, corpus: Corpus) -> None:
    for _ in range(2):
        result = load(
            str(corpus.nquads), "--endpoint", crud(virtuoso), "--auth", "digest", "--verify"
        )
        assert result.exit_code == 0, result.output
        assert "verified in the store" in result.stdout
        assert {iri: count(virtuoso, iri) for iri in corpus.triples} == corpus.counts()
    assert staging_graphs(virtuoso) == []


def test_chunked_load_through_staging_graphs(virtuoso: str, corpus: Corpus) -> None:
    for _ in range(2):
        result = load(
            str(corpus.nquads),
            *("--endpoint", crud(virtuoso), "--auth", "digest", "--chunk-size", "300", "--verify"),
        )
        assert result.exit_code == 0, result.output
        assert {iri: count(virtuoso, iri) for iri in corpus.triples} == corpus.counts()
    assert staging_graphs(virtuoso) == []  # DROP SILENT: Virtuoso's DROP refuses them otherwise


def test_json_ld_is_sent_as_n_triples(virtuoso: str, corpus: Corpus) -> None:
    """Virtuoso refuses JSON-LD uploads; policykg reads the file and sends N-Triples."""
    graph = "https://example.org/test/json-ld"
    refused = put(
        virtuoso,
        graph,
        b'{"@id": "https://example.org/a", "https://example.org/p": "x"}',
        "application/ld+json",
    )
    assert refused.status_code >= 400
    result = load(str(corpus.jsonld), "--endpoint", crud(virtuoso), "--auth", "digest", "--verify")
    assert result.exit_code == 0, result.output
    assert {iri: count(virtuoso, iri) for iri in corpus.triples} == corpus.counts()


def test_a_graph_longer_than_an_answer_verifies_in_pages(virtuoso: str, tmp_path: Path) -> None:
    """Virtuoso cuts a Graph Store GET at ResultSetMaxRows (10,000) with status 200."""
    graph = "https://example.org/test/long"
    path = tmp_path / "long.nt"
    path.write_bytes(lines(12_000))
    result = load(
        str(path), "--graph", graph, "--endpoint", crud(virtuoso), "--auth", "digest", "--verify"
    )
    assert result.exit_code == 0, result.output
    cut = requests.get(
        crud(virtuoso),
        params={"graph": graph},
        headers={"Accept": "application/n-triples"},
        auth=DIGEST,
        timeout=30,
    )
    assert cut.status_code == 200
    assert len(list(ox.parse(cut.content, format=ox.RdfFormat.N_TRIPLES))) < 12_000
    assert count(virtuoso, graph) == 12_000


def test_durations_are_compared_as_values(virtuoso: str, tmp_path: Path) -> None:
    """Virtuoso keeps "P1D"^^xsd:duration as "86400.0", which verifies; "PT1S" as "1.1"."""
    graph = "https://example.org/test/durations"
    duration = f"<{XSD}duration>"
    kept = tmp_path / "kept.nt"
    kept.write_text(
        "".join(
            f'<https://example.org/s> <https://example.org/p{n}> "{value}"^^{duration} .\n'
            for n, value in enumerate(["P0D", "-P7D", "P21D", "PT10M", "P1Y2M"])
        ),
        encoding="utf-8",
    )
    result = load(
        str(kept), "--graph", graph, "--endpoint", crud(virtuoso), "--auth", "digest", "--verify"
    )
    assert result.exit_code == 0, result.output

    changed = tmp_path / "changed.nt"
    changed.write_text(
        f'<https://example.org/s> <https://example.org/p> "PT1S"^^{duration} .\n', encoding="utf-8"
    )
    result = load(
        str(changed), "--graph", graph, "--endpoint", crud(virtuoso), "--auth", "digest", "--verify"
    )
    assert result.exit_code == 3
    assert f"<{graph}> holds 1 triples, not all the file's" in result.stderr


# ------------------------------------------------------------------ the competency questions


@pytest.fixture(scope="module")
def loaded(virtuoso: str, corpus: Corpus) -> str:
    result = load(str(corpus.nquads), "--endpoint", crud(virtuoso), "--auth", "digest")
    assert result.exit_code == 0, result.output
    return f"{virtuoso}/sparql"


@pytest.fixture(scope="module")
def dataset(corpus: Corpus) -> Dataset:
    found = Dataset(default_union=True)
    found.parse(corpus.trig, format="trig")
    return found


Cell = tuple[str, str, str]


def canonical(term: object) -> Cell:
    """A term by its value: typed literals as Oxigraph keeps them (rdflib keeps xsd:integer's
    subtypes), and booleans as ``true`` or ``false`` (Virtuoso answers ``"1"^^xsd:boolean``)."""
    if term is None:
        return ("unbound", "", "")
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value, "")
    assert isinstance(term, ox.Literal), f"unexpected {term!r}: policykg writes no blank nodes"
    if term.language:
        return ("literal", term.value, "@" + term.language.lower())
    store = ox.Store()
    node = ox.NamedNode("https://example.org/s")
    store.add(ox.Quad(node, node, term))
    (kept,) = [quad.object for quad in store]
    assert isinstance(kept, ox.Literal)
    value = kept.value
    if kept.datatype.value == XSD + "boolean":  # Oxigraph keeps "1"^^xsd:boolean as written
        value = {"1": "true", "0": "false"}.get(value, value)
    return ("literal", value, kept.datatype.value)


def rdflib_rows(dataset: Dataset, query: str) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    result = dataset.query(query)
    rows = []
    for row in result:
        assert isinstance(row, ResultRow)
        cells = []
        for term in row:
            if term is None:
                cells.append(canonical(None))
            elif isinstance(term, URIRef):
                cells.append(canonical(ox.NamedNode(str(term))))
            else:
                assert isinstance(term, Literal)
                if term.language:
                    cells.append(canonical(ox.Literal(str(term), language=term.language)))
                else:
                    datatype = ox.NamedNode(str(term.datatype or XSD + "string"))
                    cells.append(canonical(ox.Literal(str(term), datatype=datatype)))
        rows.append(tuple(cells))
    return tuple(str(v) for v in result.vars or []), rows


def policykg_rows(source: str, query_file: Path) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    result = CliRunner().invoke(main, ["query", source, str(query_file), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    solutions = ox.parse_query_results(result.stdout_bytes, format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = tuple(variable.value for variable in solutions.variables)
    rows = [tuple(canonical(solution[name]) for name in variables) for solution in solutions]
    return variables, rows


# Where Virtuoso 7.2's answer is not SPARQL 1.1's (rdflib's, Oxigraph's): strict, so that a
# Virtuoso that answers as the standard does, or a question rewritten around it, turns them red.
VIRTUOSO_ANSWERS_OTHERWISE = {
    "khamenei-2016/f-iaea-confirmations": "Virtuoso answers BIND (!BOUND(?end) AS ?ongoing) with"
    ' "1"^^xsd:integer, not "true"^^xsd:boolean',
    "examples/d-post-holders-over-time": "Virtuoso leaves ?previousLabel unbound for Ali"
    " Khamenei (SPARQL: Ruhollah Khomeini): an OPTIONAL whose FILTER NOT EXISTS compares with"
    " ?beginEarliest, bound outside the OPTIONAL",
}


@pytest.mark.parametrize(
    "query_file",
    [
        pytest.param(
            path,
            id=name,
            marks=[pytest.mark.xfail(reason=VIRTUOSO_ANSWERS_OTHERWISE[name], strict=True)]
            if name in VIRTUOSO_ANSWERS_OTHERWISE
            else [],
        )
        for path, name in zip(QUERIES, QUERY_IDS, strict=True)
    ],
)
def test_competency_answers_are_rdflibs(loaded: str, dataset: Dataset, query_file: Path) -> None:
    variables, rows = policykg_rows(loaded, query_file)
    expected_variables, expected = rdflib_rows(dataset, query_file.read_text(encoding="utf-8"))
    assert variables == expected_variables
    differing = [
        (index, variables[column], got, want)
        for index, (row, wanted) in enumerate(zip(rows, expected, strict=False))
        for column, (got, want) in enumerate(zip(row, wanted, strict=True))
        if got != want
    ]
    assert len(rows) == len(expected) and not differing[:3]
    if shape_of(query_file.read_text(encoding="utf-8")).ordered:
        assert rows == expected
    else:
        assert sorted(rows) == sorted(expected)
    assert rows, "every competency question has an answer in the example corpus"


def test_an_answer_cut_at_result_set_max_rows_is_refused(virtuoso: str, tmp_path: Path) -> None:
    """Virtuoso sends 10,000 rows of a longer answer with status 200 and X-SPARQL-MaxRows."""
    graph = "https://example.org/test/rows"
    assert put(virtuoso, graph, lines(10_500, "row"), "application/n-triples").status_code in (
        200,
        201,
    )
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(main, ["query", f"{virtuoso}/sparql", query, "--format", "csv"])
    assert result.exit_code == 3
    assert "cut its answer at 10000 rows" in result.stderr and "ResultSetMaxRows" in result.stderr
    assert result.stdout == ""
    paged = CliRunner().invoke(
        main, ["query", f"{virtuoso}/sparql", query + " LIMIT 5000", "--format", "csv"]
    )
    assert paged.exit_code == 0, paged.stderr
    assert len(paged.stdout.splitlines()) == 5001


# ------------------------------------------------------------- faults, through a proxy of ours


class _Proxy(BaseHTTPRequestHandler):
    """Forwards each request to Virtuoso, its body first passed through the server's *change*."""

    protocol_version = "HTTP/1.1"
    server: ProxyServer

    def do_any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = self.server.change(self.command, body)
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in ("content-type", "accept", "authorization")
        }
        answer = requests.request(
            self.command, self.server.target + self.path, data=body, headers=headers, timeout=30
        )
        self.send_response(answer.status_code)
        for name in ("Content-Type", "WWW-Authenticate"):
            if name in answer.headers:
                self.send_header(name, answer.headers[name])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_PUT = do_POST = do_DELETE = do_any

    def log_message(self, format: str, *args: object) -> None:
        pass


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str, change: Callable[[str, bytes], bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Proxy)
        self.target, self.change = target, change

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def proxy(virtuoso: str) -> Iterator[Callable[[Callable[[str, bytes], bytes]], str]]:
    started: list[ProxyServer] = []

    def start(change: Callable[[str, bytes], bytes]) -> str:
        server = ProxyServer(virtuoso, change)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server.url

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def cut_last_line(method: str, body: bytes) -> bytes:
    """A PUT body whose last line lost its end: Virtuoso reads the lines before, then fails."""
    return body[: body.rstrip(b"\n").rfind(b'"') + 1] if method == "PUT" else body


def test_a_failed_put_half_replaces_the_graph(virtuoso: str, proxy: Callable[..., str]) -> None:
    """The negative control: straight to the graph, Virtuoso's failed PUT keeps what it read."""
    graph = "https://example.org/test/failed-put"
    assert put(virtuoso, graph, lines(100, "old"), "application/n-triples").status_code in (
        200,
        201,
    )
    answer = put(proxy(cut_last_line), graph, lines(50, "new"), "application/n-triples")
    assert answer.status_code == 500 and answer.headers["Content-Type"].startswith("text/html")
    assert count(virtuoso, graph) == 49  # the old graph is gone, and half the new one is there


def test_a_failed_put_leaves_the_graph_as_it_was(
    virtuoso: str, proxy: Callable[..., str], tmp_path: Path
) -> None:
    """Through a staging graph (every graph, on Virtuoso) the failed PUT harms only that one;
    the HTML error page comes out as its text."""
    graph = "https://example.org/test/staged-put"
    assert put(virtuoso, graph, lines(100, "old"), "application/n-triples").status_code in (
        200,
        201,
    )
    path = tmp_path / "new.nt"
    path.write_bytes(lines(50, "new"))
    endpoint = f"{proxy(cut_last_line)}/sparql-graph-crud-auth"
    result = load(
        str(path),
        "--graph",
        graph,
        "--endpoint",
        endpoint,
        "--auth",
        "digest",
        "--query-endpoint",
        f"{virtuoso}/sparql",
        "--update-endpoint",
        f"{virtuoso}/sparql-auth",
    )
    assert result.exit_code == 3
    assert "HTTP status: 500" in result.stderr and "TURTLE RDF loader" in result.stderr
    assert "<html" not in result.stderr and "<h3>" not in result.stderr
    assert count(virtuoso, graph) == 100
    assert staging_graphs(virtuoso) == []
    assert GraphStore(endpoint).stages_every_graph
    assert not GraphStore(endpoint, stage_every_graph=False).stages_every_graph
    assert not GraphStore("http://127.0.0.1:7878/store").stages_every_graph


def test_a_failed_move_that_emptied_the_graph_says_so(
    virtuoso: str, proxy: Callable[..., str], tmp_path: Path
) -> None:
    """Virtuoso applies an update's operations one by one: one failing after the target was
    dropped leaves it empty, and the error says so."""
    graph = "https://example.org/test/failed-move"
    assert put(virtuoso, graph, lines(100, "old"), "application/n-triples").status_code in (
        200,
        201,
    )

    def fail_after_the_drop(method: str, body: bytes) -> bytes:
        if method != "POST" or not body.startswith(b"DROP SILENT GRAPH"):
            return body
        first, _, rest = body.partition(b" ;\n")
        return first + b" ;\nDROP GRAPH <urn:policykg:test:never-created> ;\n" + rest

    path = tmp_path / "new.nt"
    path.write_bytes(lines(50, "new"))
    result = load(
        str(path),
        "--graph",
        graph,
        "--endpoint",
        crud(virtuoso),
        "--auth",
        "digest",
        "--update-endpoint",
        f"{proxy(fail_after_the_drop)}/sparql-auth",
    )
    assert result.exit_code == 3
    assert f"<{graph}> held 100 triples and now holds 0" in result.stderr
    assert "has not been explicitly created" in result.stderr
    assert count(virtuoso, graph) == 0


def test_a_digest_challenge_costs_no_body(
    virtuoso: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large graph loads through digest authentication whole: the body is bytes, sent again
    after the challenge, never an exhausted stream."""
    graph = "https://example.org/test/digest"
    path = tmp_path / "digest.nt"
    path.write_bytes(lines(3_000, "digest"))
    monkeypatch.setenv("POLICYKG_USER", VIRTUOSO_USER)
    monkeypatch.setenv("POLICYKG_PASSWORD", VIRTUOSO_PASSWORD)
    report = load_file(
        path, GraphStore(crud(virtuoso), http=HttpSettings(auth="digest")), graph=graph, verify=True
    )
    assert report.graphs[0].stored == 3_000 == count(virtuoso, graph)
    monkeypatch.setenv("POLICYKG_PASSWORD", "not-the-password")
    with pytest.raises(StoreError, match="refused the credentials"):
        load_file(
            path,
            GraphStore(crud(virtuoso), http=HttpSettings(auth="digest", retries=0)),
            graph=graph,
        )


# ------------------------------------------------------------------------ without Virtuoso


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), (None, pytest.skip.Exception)]
)
def test_a_missing_virtuoso_skips_locally_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome):
        servers.virtuoso_binary()


@pytest.fixture
def tiny_graph(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.nq"
    path.write_text(
        '<https://example.org/s> <https://example.org/p> "0" <https://example.org/g> .\n',
        encoding="utf-8",
    )
    return path


def test_the_modules_examples_run() -> None:
    for module in (http, fingerprint):
        outcome = doctest.testmod(module)
        assert outcome.attempted > 0 and outcome.failed == 0


def test_a_count_cut_at_max_rows_is_refused(tiny_graph: Path) -> None:
    """The header is checked on policykg's own queries too (here --verify's count)."""

    class CutAnswers(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/sparql?"):
                body = b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("X-SPARQL-MaxRows", "10000")
            else:
                body = b'<https://example.org/s> <https://example.org/p> "0" .\n'
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with servers.serving(CutAnswers) as base:
        store = GraphStore(f"{base}/store", query_endpoint=f"{base}/sparql")
        with pytest.raises(StoreError, match="cut its answer at 10000 rows") as caught:
            load_file(tiny_graph, store, verify=True)
    assert caught.value.status == 200


def test_an_html_error_page_is_shown_as_its_text(tiny_graph: Path) -> None:
    page = (
        b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>SPARQL Graph'
        b" Protocol request failed</title><style>h1 {color: red}</style></head><body><h1>HTTP/1.1"
        b" 500 Request Failed</h1><h3>Error 22023</h3>\n<xmp>The PUT request for graph"
        b" <http://e/g> is rejected &amp; logged</xmp></body></html>"
    )

    class Failing(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(500, "Request Failed")
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with servers.serving(Failing) as base, pytest.raises(IncompleteLoadError) as caught:
        load_file(tiny_graph, GraphStore(f"{base}/store"))
    (failure,) = caught.value.failures
    assert failure.error.body_excerpt == (
        "SPARQL Graph Protocol request failed HTTP/1.1 500 Request Failed Error 22023"
        " The PUT request for graph <http://e/g> is rejected &amp; logged"
    )
