"""One reader for every command: ``validate``, ``report``, ``load`` and ``query`` agree on what is
valid RDF, say where it is not, and never fetch a JSON-LD context."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset

from conftest import MINIMAL
from policykg.build.pipeline import build, read_graph, write_output
from policykg.cli import main
from policykg.errors import GraphInputError
from policykg.rdf.files import read_graphs
from policykg.rdf.serialization import CONTEXT_URL
from policykg.resources import jsonld_context
from servers import serving

BAD_IRI = "https://example.org/a%zz"


def _command(name: str, path: Path, tmp_path: Path) -> list[str]:
    """The command line that reads *path* with the command *name*."""
    if name == "validate":
        return ["validate", str(path)]
    if name == "report":
        return ["report", str(path), "-o", str(tmp_path / "report.html")]
    if name == "load":
        return ["load", str(path), "--store-dir", str(tmp_path / "store")]
    return ["query", str(path), "ASK {}"]


COMMANDS = ("validate", "report", "load", "query")


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        ("bad.nt", f"<https://example.org/s> <https://example.org/p> <{BAD_IRI}> .\n", 49),
        ("bad.ttl", f"@prefix e: <https://example.org/> .\n\ne:s e:p <{BAD_IRI}> .\n", 9),
        ("bad.nq", f"<{BAD_IRI}> <https://example.org/p> <https://example.org/o> <urn:g> .\n", 1),
    ],
)
def test_an_invalid_iri_is_a_located_input_error_in_every_command(
    tmp_path: Path, command: str, name: str, text: str, column: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, text.index(BAD_IRI)) + 1
    result = _run(_command(command, path, tmp_path))
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}:{column}: cannot be parsed as " in result.stderr, result.stderr
    assert "Invalid IRI percent encoding '%zz'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "report.html").exists()


def test_the_error_carries_the_location_as_attributes(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(f"@prefix e: <https://example.org/> .\ne:s e:p <{BAD_IRI}> .\n")
    with pytest.raises(GraphInputError) as raised:
        read_graph(path)
    assert (raised.value.path, raised.value.location.line, raised.value.location.column) == (
        path,
        2,
        9,
    )


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nquads", "json-ld"])
def test_graphs_are_made_from_pyoxigraphs_quads_as_rdflib_parses_them(
    tmp_path: Path, fmt: str
) -> None:
    """Literals with languages, datatypes and plain strings become the rdflib terms that
    rdflib's own parser makes of the same data (written as N-Quads, which it reads well)."""
    built = build([MINIMAL], validate=False)
    path = (
        tmp_path / f"out.{ {'json-ld': 'jsonld', 'nquads': 'nq', 'turtle': 'ttl'}.get(fmt, fmt) }"
    )
    write_output(built, path, fmt=fmt)
    nquads = tmp_path / "same.nq"
    write_output(built, nquads, fmt="nquads")
    theirs = {quad[:3] for quad in Dataset().parse(nquads, format="nquads").quads()}
    ours = set(read_graph(path))
    assert ours == theirs and len(ours) > 200


# -- nothing fetched ------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Answers every GET with a JSON-LD context, and records it: a fetch would succeed."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = json.dumps({"@context": {"p": "https://example.org/p"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """The base URL of an HTTP server on 127.0.0.1 that serves a context, and its requests."""
    requests: ClassVar[list[str]] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    with serving(handler) as base:
        yield base, requests


def _remote_documents(url: str) -> dict[str, object]:
    node = {"@id": "https://example.org/a", "p": "x"}
    return {
        "remote-context": {"@context": f"{url}/context.jsonld", **node},
        "import": {"@context": {"@import": f"{url}/context.jsonld"}, **node},
        "remote-in-a-list": {"@context": [CONTEXT_URL, f"{url}/context.jsonld"], **node},
        "scoped": {
            "@context": {
                "p": "https://example.org/p",
                "q": {"@id": "https://example.org/q", "@context": f"{url}/scoped.jsonld"},
            },
            **node,
            "q": {"r": "y"},
        },
        "nested-node": {
            "@context": {"p": "https://example.org/p"},
            "@graph": [{"@context": f"{url}/inner.jsonld", **node}],
        },
        "property-scoped-type": {
            "@context": {
                "p": "https://example.org/p",
                "Thing": {"@id": "https://example.org/Thing", "@context": f"{url}/type.jsonld"},
            },
            "@type": "Thing",
            **node,
        },
    }


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "case",
    [
        "remote-context",
        "import",
        "remote-in-a-list",
        "scoped",
        "nested-node",
        "property-scoped-type",
    ],
)
def test_a_remote_json_ld_context_is_refused_and_never_fetched(
    tmp_path: Path, recorder: tuple[str, list[str]], command: str, case: str
) -> None:
    url, requests = recorder
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_remote_documents(url)[case], indent=2), encoding="utf-8")
    result = _run(_command(command, path, tmp_path))
    assert result.exit_code == 2, result.output
    assert f"{path}:" in result.stderr
    assert "remote JSON-LD contexts are not fetched: " in result.stderr, result.stderr
    assert requests == []


def test_the_refusal_names_the_line_of_the_remote_context(
    tmp_path: Path, recorder: tuple[str, list[str]]
) -> None:
    url, requests = recorder
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_remote_documents(url)["import"], indent=2), encoding="utf-8")
    with pytest.raises(GraphInputError) as raised:
        read_graphs(path)
    assert str(raised.value).startswith(f"{path}:3:5: remote JSON-LD contexts are not fetched: ")
    assert "@import" in str(raised.value) and requests == []


def test_policykgs_own_context_url_is_the_shipped_copy_even_when_scoped(tmp_path: Path) -> None:
    path = tmp_path / "own.jsonld"
    document = {
        "@context": [CONTEXT_URL, {"q": {"@id": "https://example.org/q", "@context": CONTEXT_URL}}],
        "@id": "https://example.org/a",
        "q": {"rdfs:label": "scoped"},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    (triples,) = read_graphs(path).values()
    assert "rdfs" in jsonld_context()
    assert any(
        triple.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label" for triple in triples
    )
