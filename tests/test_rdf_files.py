"""One reader for every command: ``validate``, ``report``, ``load`` and ``query`` agree on what is
valid RDF and say where it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset

from conftest import MINIMAL
from policykg.build.pipeline import build, read_graph, write_output
from policykg.cli import main
from policykg.errors import GraphInputError

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
