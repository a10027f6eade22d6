"""Every output format: read back by a second, strict parser (pyoxigraph), the same graph in
each, JSON-LD expanded by PyLD with remote contexts off, and byte-identical across runs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld

from conftest import EXAMPLE, MINIMAL, REGISTRY
from policykg.build.pipeline import BuildResult, build, read_graph
from policykg.errors import GraphInputError, UsageError
from policykg.outputs import write_atomically
from policykg.rdf.serialization import CONTEXT_URL, FORMATS, format_for, serialize

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def example() -> BuildResult:
    return build([EXAMPLE, REGISTRY], validate=False)


def quads(data: bytes, fmt: str) -> set[str]:
    return {str(quad) for quad in ox.parse(data, format=OX_FORMATS[fmt])}


def triples(data: bytes, fmt: str) -> set[str]:
    return {str(quad.triple) for quad in ox.parse(data, format=OX_FORMATS[fmt])}


@pytest.fixture(scope="module")
def reference_quads(example: BuildResult) -> set[str]:
    return quads(serialize(example.graphs, "nquads"), "nquads")


def test_n_quads_hold_one_graph_per_document_plus_the_ontology(reference_quads: set[str]) -> None:
    graphs = {quad.rsplit(" ", 1)[-1] for quad in reference_quads}
    assert graphs == {
        "<https://w3id.org/policykg/data/graph/khamenei-negotiations-2016>",
        "<https://w3id.org/policykg/data/graph/registry>",
        "<https://w3id.org/policykg/ns>",
    }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_parses_strictly_to_the_same_graph(
    fmt: str, example: BuildResult, reference_quads: set[str]
) -> None:
    data = serialize(example.graphs, fmt)
    if fmt in ("nquads", "trig", "json-ld"):
        assert quads(data, fmt) == reference_quads
    else:  # the union graph
        assert triples(data, fmt) == triples(serialize(example.graphs, "nquads"), "nquads")
        assert len(triples(data, fmt)) == example.triple_count


def _refuse_remote(url: str, options: object = None) -> object:
    raise AssertionError(f"a remote document was requested: {url}")


def test_json_ld_expands_with_pyld_to_the_same_dataset(
    example: BuildResult, reference_quads: set[str]
) -> None:
    document = json.loads(serialize(example.graphs, "json-ld"))
    assert isinstance(document["@context"], dict)
    jsonld.set_document_loader(_refuse_remote)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert quads(nquads.encode(), "nquads") == reference_quads


def test_json_ld_is_compact_with_policykg_prefixes(example: BuildResult) -> None:
    text = serialize(example.graphs, "json-ld").decode()
    assert '"rdfs:label"' in text and '"pkg:assertionMode"' in text
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in text


def test_a_referenced_context_is_read_back_without_fetching(tmp_path: Path) -> None:
    result = build([MINIMAL], validate=False)
    path = tmp_path / "minimal.jsonld"
    path.write_bytes(serialize(result.graphs, "json-ld", embed_context=False))
    assert json.loads(path.read_text())["@context"] == CONTEXT_URL
    assert len(read_graph(path)) == result.triple_count


def test_another_remote_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://example.org/ctx.jsonld", "@id": "x"}))
    with pytest.raises(GraphInputError, match="never fetches contexts"):
        read_graph(path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.ttl", "turtle"),
        ("out.jsonld", "json-ld"),
        ("out.nt", "nt"),
        ("out.nq", "nquads"),
        ("out.trig", "trig"),
        ("OUT.TTL", "turtle"),
    ],
)
def test_the_extension_picks_the_format(name: str, expected: str) -> None:
    assert format_for(Path(name), None) == expected


def test_an_explicit_format_wins_and_aliases_work() -> None:
    assert format_for(Path("out.txt"), "ttl") == "turtle"
    assert format_for(Path("out.ttl"), "nq") == "nquads"
    with pytest.raises(UsageError, match="unknown format"):
        format_for(Path("out.ttl"), "rdfxml")
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_for(Path("out.txt"), None)


def test_writing_replaces_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    new = tmp_path / "new.ttl"
    previous = os.umask(0o022)
    try:
        write_atomically(new, b"x")
    finally:
        os.umask(previous)
    assert new.stat().st_mode & 0o777 == 0o644
    kept = tmp_path / "kept.ttl"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    write_atomically(kept, b"new")
    assert kept.stat().st_mode & 0o777 == 0o640


def test_output_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Different hash seeds change set and dict iteration order; the bytes must not change."""
    digests: dict[str, set[str]] = {fmt: set() for fmt in FORMATS}
    for seed in ("1", "2", "3"):
        folder = tmp_path / seed
        folder.mkdir()
        for fmt, suffix in FORMATS.items():
            output = folder / f"out{suffix}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "policykg",
                    "build",
                    str(EXAMPLE),
                    str(REGISTRY),
                    "-o",
                    str(output),
                    "--no-validate",
                ],
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
            )
            digests[fmt].add(hashlib.sha256(output.read_bytes()).hexdigest())
    assert all(len(values) == 1 for values in digests.values()), digests
