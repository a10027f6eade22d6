"""Store faults against the real Oxigraph server: a server that dies mid-load and comes back,
and TLS certificates checked unless --insecure is given explicitly."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result

from conftest import EXAMPLE, REGISTRY
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.rdf.serialization import serialize
from policykg.store.loading import STAGING_PREFIX
from servers import OxigraphServer, serving

DOCUMENT_GRAPH = "https://w3id.org/policykg/data/graph/khamenei-negotiations-2016"


pytestmark = pytest.mark.usefixtures("no_ambient_credentials")


def load(*args: str) -> Result:
    return CliRunner().invoke(main, ["load", *args])


def graph_contents(base: str) -> dict[str, set[str]]:
    """Every graph of the store with its triples (as N-Triples lines)."""
    graphs: dict[str, set[str]] = {}
    for name in _graph_names(base):
        dump = requests.get(
            f"{base}/store",
            params={"graph": name},
            timeout=30,
            headers={"Accept": "application/n-triples"},
        )
        dump.raise_for_status()
        graphs[name] = {line for line in dump.text.splitlines() if line.strip()}
    return graphs


def _graph_names(base: str) -> list[str]:
    answer = requests.get(
        f"{base}/query",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    return sorted(row["g"]["value"] for row in answer.json()["results"]["bindings"])


class KillingProxy:
    """Forwards requests to a real Oxigraph server and kills it on the n-th upload, as a crash
    would: the upload in flight gets its connection dropped."""

    def __init__(self, server: OxigraphServer, kill_at: int) -> None:
        self.server = server
        self.kill_at = kill_at
        self.uploads = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                if self.command in ("PUT", "POST"):
                    proxy.uploads += 1
                    if proxy.uploads == proxy.kill_at:
                        proxy.server.stop(kill=True)
                try:
                    answer = requests.request(
                        self.command,
                        proxy.server.base + self.path,
                        data=body,
                        headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                        timeout=30,
                    )
                except requests.ConnectionError:
                    self.connection.shutdown(socket.SHUT_RDWR)  # the store is gone
                    self.close_connection = True
                    return
                self.send_response(answer.status_code)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_PUT = do_POST = do_DELETE = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two versions of the example's output: all of it, and the same less the annotations."""
    result = build([EXAMPLE, REGISTRY], validate=False)
    full = tmp_path / "full.nq"
    full.write_bytes(serialize(result.graphs, "nquads"))
    smaller = tmp_path / "smaller.nq"
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    smaller.write_text(
        "".join(line for line in lines if "/evidence/" not in line.split(" ")[0]), encoding="utf-8"
    )
    return full, smaller


def test_a_store_killed_mid_load_keeps_its_graph_and_a_rerun_converges(
    tmp_path: Path, versions: tuple[Path, Path]
) -> None:
    full, smaller = versions
    server = OxigraphServer(tmp_path / "store")
    (tmp_path / "store").mkdir()
    server.start()
    proxy = None
    try:
        assert load(str(full), "--endpoint", f"{server.base}/store", "--verify").exit_code == 0
        before = graph_contents(server.base)
        proxy = KillingProxy(server, kill_at=3)
        failed = load(
            str(smaller),
            "--endpoint",
            f"{proxy.base}/store",
            "--chunk-size",
            "400",
            "--update-endpoint",
            f"{proxy.base}/update",
            "--retries",
            "1",
            "--timeout",
            "5",
        )
        assert failed.exit_code == 3, failed.output
        assert proxy.uploads >= 3
        server.start()  # the same data folder and port, as after a crash and restart
        after_crash = graph_contents(server.base)
        # The target graph was not half replaced; only the staging graph may hold a part.
        for name, triples in before.items():
            assert after_crash[name] == triples, name
        assert all(name.startswith(STAGING_PREFIX) for name in set(after_crash) - set(before))
        rerun = load(
            str(smaller), "--endpoint", f"{server.base}/store", "--chunk-size", "400", "--verify"
        )
        assert rerun.exit_code == 0, rerun.output
        converged = graph_contents(server.base)
        assert set(converged) == set(before)  # no staging graph left behind
        quads = smaller.read_text(encoding="utf-8").splitlines()
        in_document = [quad for quad in quads if quad.endswith(f"<{DOCUMENT_GRAPH}> .")]
        assert len(converged[DOCUMENT_GRAPH]) == len(in_document) < len(before[DOCUMENT_GRAPH])
    finally:
        if proxy is not None:
            proxy.close()
        server.stop()


# --- TLS ------------------------------------------------------------------------------------


@pytest.fixture
def https_store(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A small HTTPS Graph Store with a self-signed certificate; records what it receives."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is needed to make the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            received.append(self.path)
            self.send_response(204)
            self.end_headers()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serving(Handler, tls=context) as base:
        yield f"{base}/store", received


def test_tls_certificates_are_verified_unless_insecure(
    https_store: tuple[str, list[str]], tmp_path: Path
) -> None:
    endpoint, received = https_store
    tiny = tmp_path / "tiny.nq"
    tiny.write_text(
        '<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n'
    )
    refused = load(str(tiny), "--endpoint", endpoint, "--retries", "0")
    assert refused.exit_code == 3
    assert "certificate" in refused.output.lower()
    assert received == []
    accepted = load(str(tiny), "--endpoint", endpoint, "--insecure")
    assert accepted.exit_code == 0, accepted.output
    assert len(received) == 1
