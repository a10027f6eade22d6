"""``policykg query`` under attack: SERVICE calls from a local query, a heavy query that must
still yield to Ctrl-C and SIGTERM, terminal escape sequences in the data, and answers too long to
hold in memory, sorted on disk into the same bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from conftest import ROOT
from policykg.cli import main
from policykg.errors import QueryError
from policykg.store import streaming
from policykg.store.querying import run_query
from policykg.store.results import render
from servers import serving

ESCAPES = "\x1b[31mred\x1b]0;owned\x07\u202e"


def query(*args: str, color: bool = False) -> Result:
    return CliRunner().invoke(main, ["query", *args], color=color)


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL endpoint on 127.0.0.1 that records every request and answers none usefully."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_any(self) -> None:
            received.append(f"{self.command} {self.path}")
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_any

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(Handler) as base:
        yield f"{base}/sparql", received


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.nq"
    path.write_text(
        "".join(
            f'<https://example.org/s{n}> <https://example.org/p> "{n}" <https://example.org/g> .\n'
            for n in range(40)
        ),
        encoding="utf-8",
    )
    return path


# ----------------------------------------------------------------------------------- SERVICE


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ ?s ?p ?o . service silent <{url}> {{ ?s ?q ?r }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
    ids=["plain", "silent", "lowercase", "escaped", "subquery", "construct"],
)
def test_service_is_refused_locally_and_nothing_is_sent(
    recorder: tuple[str, list[str]], small_file: Path, tmp_path: Path, template: str
) -> None:
    url, received = recorder
    text = template.format(url=url)
    store = tmp_path / "store"
    assert (
        CliRunner().invoke(main, ["load", str(small_file), "--store-dir", str(store)]).exit_code
        == 0
    )
    for source in (small_file, store):
        result = query(str(source), text)
        assert result.exit_code == 2, result.output
        assert "SERVICE is refused" in result.stderr
    with pytest.raises(QueryError):
        run_query(ox.Store(), text)
    assert received == []


def test_service_in_a_string_or_a_comment_is_no_service(small_file: Path) -> None:
    text = 'SELECT ?o WHERE { ?s ?p ?o FILTER(?o != "SERVICE <http://127.0.0.1:9/>") } # SERVICE'
    assert query(str(small_file), text, "--format", "csv").exit_code == 0


# ------------------------------------------------------------------------------ interruption


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_heavy_local_query_stops_on_a_signal(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "heavy.nt"
    data.write_text(
        "".join(
            f'<https://example.org/s{n}> <https://example.org/p> "{n}" .\n' for n in range(300)
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "policykg", "query", str(data), HEAVY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    try:
        _wait_for_cpu_seconds(process.pid, 3)  # imported, file read, deep in the query
        assert process.poll() is None, process.communicate()
        sent = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=10)
        assert time.monotonic() - sent < 5
        assert process.returncode == 128 + signum  # 130 or 143, never 1 (does not conform)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_for_cpu_seconds(pid: int, seconds: float) -> None:
    """Wait (at most 60 s) until process *pid* has computed for *seconds* (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 60
    while True:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        if (int(fields[11]) + int(fields[12])) / tick >= seconds:  # utime + stime
            return
        assert time.monotonic() < deadline, "the query did not get going"
        time.sleep(0.05)


# ----------------------------------------------------------------------- terminal escapes


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.nq"
    literal = ox.Literal(ESCAPES)
    path.write_text(
        f"<https://example.org/s> <https://example.org/p> {literal} <https://example.org/g> .\n",
        encoding="utf-8",
    )
    return path


def test_a_table_neutralises_terminal_escapes(hostile_file: Path) -> None:
    result = query(str(hostile_file), "SELECT ?o WHERE { ?s ?p ?o }", "--format", "table")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\u001b[31mred\\u001b]0;owned\\u0007\\u202e" in result.stdout


def test_error_messages_neutralise_terminal_escapes(hostile_file: Path) -> None:
    result = query(str(hostile_file), "SELECT ?o WHERE { ?s ?p ?o \x1b]0;owned\x07 }", color=True)
    assert result.exit_code == 2
    assert "\x1b]0;owned" not in result.stderr and "\\u001b]0;owned\\u0007" in result.stderr


# ---------------------------------------------------------------------------- long answers


def test_rows_sorted_on_disk_give_the_bytes_sorting_in_memory_gives(
    small_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "SELECT ?a ?o WHERE { ?a ?p ?x . ?b ?p ?o }"  # 1,600 rows, in no order
    monkeypatch.setattr(streaming, "RUN_ROWS", 7)  # 229 runs,
    monkeypatch.setattr(streaming, "MERGED_AT_ONCE", 5)  # merged into 46, 10, 2, then read
    for fmt in ("csv", "tsv", "json", "xml", "table"):
        expected = render(run_query(small_file, text), fmt)
        result = CliRunner().invoke(main, ["query", str(small_file), text, "--format", fmt])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == expected, fmt


def test_ordered_rows_keep_the_engines_order(small_file: Path) -> None:
    text = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o)"
    result = query(str(small_file), text, "--format", "csv")
    values = result.stdout.splitlines()[1:]
    assert values == [str(n) for n in sorted(range(40), key=str, reverse=True)]
