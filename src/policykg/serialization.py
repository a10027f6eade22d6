"""Stage 5: write graphs as Turtle, JSON-LD, N-Triples, N-Quads or TriG, byte for byte the same
for the same graphs, and atomically (a temporary file in the target folder, renamed into place)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from policykg.errors import SerializationError, UsageError
from policykg.namespaces import bind_prefixes
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


def serialize(graphs: Sequence[Graph], fmt: str, *, embed_context: bool = True) -> bytes:
    """Serialize named *graphs* in format *fmt*; the bytes depend only on the triples."""
    if fmt == "turtle":
        return _union(graphs).serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        return _sorted_lines(_union(graphs).serialize(format="nt", encoding="utf-8"))
    if fmt == "nquads":
        return _sorted_lines(_dataset(graphs).serialize(format="nquads", encoding="utf-8"))
    if fmt == "trig":
        return _trig(graphs)
    if fmt == "json-ld":
        return _jsonld(graphs, embed_context)
    raise UsageError(f"unknown format {fmt!r}")


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the new one, never a part."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SerializationError(f"cannot write in {folder}: {error.strerror}") from error
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
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


def _union(graphs: Sequence[Graph]) -> Graph:
    union = bind_prefixes(Graph())
    for graph in graphs:
        union += graph
    return union


def _dataset(graphs: Sequence[Graph]) -> Dataset:
    dataset = Dataset()
    bind_prefixes(dataset)
    for graph in graphs:
        named = dataset.graph(URIRef(str(graph.identifier)))
        named += graph
    return dataset


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"".join(line + b"\n" for line in lines)


def _trig(graphs: Sequence[Graph]) -> bytes:
    """TriG written graph by graph in IRI order, each body as policykg's sorted Turtle."""
    union = _union(graphs)
    union.serialize(format="turtle")  # binds a prefix for any namespace policykg does not name
    namespaces = union.namespace_manager
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(namespaces.namespaces()))
    chunks = [header.encode("utf-8")]
    for graph in sorted(graphs, key=lambda g: str(g.identifier)):
        single = Graph()
        single.namespace_manager = namespaces
        single += graph
        body = single.serialize(format="turtle", encoding="utf-8")
        statements = b"\n".join(
            line for line in body.splitlines() if not line.startswith(b"@prefix")
        ).strip(b"\n")
        # Not indented: Turtle's long strings may hold line breaks that must stay as they are.
        chunks.append(b"<" + str(graph.identifier).encode() + b"> {\n" + statements + b"\n}\n")
    return b"\n".join(chunks)


def _jsonld(graphs: Sequence[Graph], embed_context: bool) -> bytes:
    context = jsonld_context()
    named = []
    for graph in sorted(graphs, key=lambda g: str(g.identifier)):
        compacted = json.loads(
            _union([graph]).serialize(format="json-ld", context=context, auto_compact=False)
        )
        nodes = compacted.get("@graph", [compacted] if "@id" in compacted else [])
        for node in nodes:
            node.pop("@context", None)
        named.append({"@id": str(graph.identifier), "@graph": _canonical(nodes)})
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
