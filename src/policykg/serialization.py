"""Stage 5: write graphs as Turtle, JSON-LD, N-Triples, N-Quads or TriG, byte for byte the same
for the same graphs, and atomically (a temporary file in the target folder, renamed into place)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph

from policykg.errors import SerializationError, UsageError
from policykg.namespaces import PREFIXES, bind_prefixes
from policykg.resources import jsonld_context

FORMATS: dict[str, str] = {
    "turtle": ".ttl",
    "json-ld": ".jsonld",
    "nt": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
}
DATASET_FORMATS = frozenset({"json-ld", "nquads", "trig"})
"""Formats that keep one named graph per source document; the others write the union graph."""

_ALIASES = {
    "ttl": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nquads",
}
_ALIASES.update({"n-quads": "nquads"})
CONTEXT_URL = "https://w3id.org/policykg/context.jsonld"


def format_for(path: Path | None, requested: str | None) -> str:
    """The format to write: *requested* (a name or alias), else the one *path*'s extension names."""
    if requested:
        name = _ALIASES.get(requested.lower(), requested.lower())
        if name not in FORMATS:
            raise UsageError(
                f"unknown format {requested!r}; choose one of {', '.join(sorted(FORMATS))}"
            )
        return name
    if path is not None:
        for name, suffix in FORMATS.items():
            if path.suffix.lower() == suffix:
                return name
    suffixes = ", ".join(FORMATS.values())
    raise UsageError(f"cannot tell the format of {path}: give --format or use one of {suffixes}")


class NamedGraph(Protocol):
    """A named graph as policykg passes it around: its IRI and its sorted lines, as N-Triples
    and as N-Quads."""

    @property
    def graph_iri(self) -> str: ...

    @property
    def ntriples(self) -> bytes: ...

    @property
    def nquads(self) -> bytes: ...


def serialize(graphs: Sequence[NamedGraph], fmt: str, *, embed_context: bool = True) -> bytes:
    """Serialize named *graphs* in format *fmt*; the bytes depend only on the triples.

    N-Quads are the graphs' lines, graph by graph in IRI order; N-Triples the sorted union;
    Turtle and TriG are written by pyoxigraph from that order, so equal input gives equal bytes.
    """
    return b"".join(serialize_chunks(graphs, fmt, embed_context=embed_context))


def serialize_chunks(
    graphs: Sequence[NamedGraph], fmt: str, *, embed_context: bool = True
) -> Iterator[bytes]:
    """The bytes of :func:`serialize` in pieces (N-Quads: one per graph), to write as they come."""
    ordered = sorted(graphs, key=lambda graph: graph.graph_iri)
    if fmt == "nquads":
        yield from (graph.nquads for graph in ordered)
    elif fmt == "nt":
        yield from _in_pieces(_union_lines(ordered))
    elif fmt == "turtle":
        pieces = _in_pieces(_union_lines(ordered))
        triples = chain.from_iterable(ox.parse(p, format=ox.RdfFormat.N_TRIPLES) for p in pieces)
        yield from _with_prefixes(triples, ox.RdfFormat.TURTLE)
    elif fmt == "trig":
        quads = ox.parse(b"".join(g.nquads for g in ordered), format=ox.RdfFormat.N_QUADS)
        yield from _with_prefixes(quads, ox.RdfFormat.TRIG)
    elif fmt == "json-ld":
        yield _jsonld(ordered, embed_context)
    else:
        raise UsageError(f"unknown format {fmt!r}")


def union_ntriples(graphs: Sequence[NamedGraph]) -> bytes:
    """The union of *graphs* as sorted N-Triples, each triple once."""
    return b"".join(_in_pieces(_union_lines(graphs)))


def _union_lines(graphs: Sequence[NamedGraph]) -> list[bytes]:
    lines: set[bytes] = set()
    for graph in graphs:
        lines.update(graph.ntriples.splitlines())
    return sorted(lines)


def _in_pieces(lines: list[bytes], size: int = 100_000) -> Iterator[bytes]:
    """*lines* as N-Triples text, *size* lines at a time: a corpus's union is never one string."""
    for start in range(0, len(lines), size):
        yield b"\n".join(lines[start : start + size]) + b"\n"


def _with_prefixes(statements: Iterable[Any], fmt: ox.RdfFormat) -> Iterator[bytes]:
    prefixes = {prefix: str(PREFIXES[prefix]) for prefix in sorted(PREFIXES)}
    data = ox.serialize(statements, format=fmt, prefixes=prefixes)
    assert data is not None, "pyoxigraph returns the bytes when given no output"
    # pyoxigraph writes the prefixes in an order of its own: write them sorted instead.
    body = 0
    while data.startswith(b"@prefix ", body):
        body = data.index(b"\n", body) + 1
    yield "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in prefixes.items()).encode()
    yield b"\n"
    yield data[body:]


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write *data* (bytes, or pieces of them) to *path* so that readers see the old file or
    the new one, never a part."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SerializationError(f"cannot write in {folder}: {error.strerror}") from error
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SerializationError(f"cannot write {path}: {error.strerror}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; give a new one what the umask allows (mkstemp: 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _jsonld(graphs: Sequence[NamedGraph], embed_context: bool) -> bytes:
    context = jsonld_context()
    named = []
    for graph in graphs:
        parsed = bind_prefixes(Graph()).parse(data=graph.ntriples, format="nt")
        compacted = json.loads(
            parsed.serialize(format="json-ld", context=context, auto_compact=False)
        )
        nodes = compacted.get("@graph", [compacted] if "@id" in compacted else [])
        for node in nodes:
            node.pop("@context", None)
        named.append({"@id": graph.graph_iri, "@graph": _canonical(nodes)})
    document = {"@context": context if embed_context else CONTEXT_URL, "@graph": named}
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _canonical(value: Any) -> Any:
    """Sort every JSON-LD array (nodes by @id, values by their JSON), recursively."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
