"""Servers for the tests, all on 127.0.0.1: a real Oxigraph SPARQL server (the ``oxigraph``
binary of the PyPI package, with a data folder of the test's, started and stopped on demand), and
small HTTP servers that record requests or inject faults."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]'")
    return found


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1; the same data folder and port across restarts. With
    *union_default_graph*, its queries see the union of all graphs as the default graph."""

    def __init__(
        self, folder: Path, port: int | None = None, *, union_default_graph: bool = False
    ) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.union_default_graph = union_default_graph
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "oxigraph.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        """Start the server and wait (at most 15 s) until it answers; return its base URL."""
        command = [oxigraph_binary(), "serve", "--location", str(self.folder / "data")]
        if self.union_default_graph:
            command.append("--union-default-graph")
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [*command, "--bind", f"127.0.0.1:{self.port}"], stdout=log, stderr=log
            )
        deadline = time.monotonic() + 15
        while True:
            if self._process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {self.log_path.read_text(errors='replace')}")
            try:
                requests.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=1)
                return self.base
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 15 s")
                time.sleep(0.05)

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server: politely, or with SIGKILL as a crash would."""
        if self._process is None:
            return
        if kill:
            self._process.kill()
        else:
            self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process = None


@contextmanager
def serving(
    handler: type[BaseHTTPRequestHandler], *, tls: ssl.SSLContext | None = None
) -> Iterator[str]:
    """Serve *handler* on a free port of 127.0.0.1 from a thread (over TLS with *tls*); yield
    the server's base URL, and stop it afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
