"""Servers for the tests, all on 127.0.0.1: a real Oxigraph SPARQL server (the ``oxigraph``
binary of the PyPI package, with a data folder of the test's, started and stopped on demand), a
real Virtuoso (Debian's ``virtuoso-opensource``, in a throwaway database folder), and small HTTP
servers that record requests or inject faults."""

from __future__ import annotations

import os
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


def graph_counts(base: str) -> dict[str, int]:
    """The triples in each named graph of the Oxigraph server at *base*, by graph IRI."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    answer = requests.get(
        f"{base}/query",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


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


VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"
"""A new Virtuoso database's administrator and its password (Virtuoso's default)."""

_VIRTUOSO_INI = """\
; A throwaway Virtuoso for the tests: 127.0.0.1 only, a small memory (the machine is shared).
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 2000
MaxDirtyBuffers = 1500
MaxQueryMem = 64M
MaxMemPoolSize = 20000000
ThreadsPerQuery = 1
AsyncQueueMaxThreads = 2
SchedulerInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
MaxClientConnections = 4
ServerThreads = 4
MaxKeepAlives = 4
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


def virtuoso_binary() -> str:
    """Debian's ``virtuoso-t``; missing, the test is skipped, except in CI (``CI`` set, as
    ``CI=true``), whose ``.ci/run`` installs it, where it fails."""
    found = shutil.which("virtuoso-t")
    if found is None:
        message = "Virtuoso is missing: apt-get install virtuoso-opensource (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


class VirtuosoServer:
    """``virtuoso-t +foreground`` on 127.0.0.1, with a database folder and ``virtuoso.ini`` of
    its own in *folder*; SPARQL answers cut at *max_rows* rows (``ResultSetMaxRows``)."""

    def __init__(self, folder: Path, *, max_rows: int = 10_000) -> None:
        self.folder = folder
        self.http_port, self.sql_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.max_rows = max_rows
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> str:
        """What the server wrote to its log and its standard output."""
        return "".join(
            path.read_text(errors="replace")
            for path in (self.folder / "virtuoso.log", self.folder / "virtuoso.out")
            if path.exists()
        )

    def start(self) -> str:
        """Start the server and wait (at most 60 s) until SPARQL answers; return its base URL."""
        binary = virtuoso_binary()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            _VIRTUOSO_INI.format(
                http_port=self.http_port, sql_port=self.sql_port, max_rows=self.max_rows
            ),
            encoding="utf-8",
        )
        with (self.folder / "virtuoso.out").open("ab") as out:
            self._process = subprocess.Popen(
                [binary, "+foreground", "+configfile", ini.name],
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 60
        while True:
            if self._process.poll() is not None:
                pytest.fail(f"virtuoso-t exited: {self.log}")
            try:
                answer = requests.get(f"{self.base}/sparql", params={"query": "ASK {}"}, timeout=2)
                if answer.status_code == 200:
                    return self.base
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Virtuoso did not answer within 60 s: {self.log}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (SIGTERM, which Virtuoso answers by shutting down; else SIGKILL)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
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
