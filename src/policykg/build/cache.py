"""The build cache: each article's :class:`~.documents.DocumentBuild`, kept by content.

An entry is used only if everything the article's build depends on is unchanged: the facts file
(its bytes and path), its source text, the registry, the base IRI, the ontology, the shapes, and
policykg itself (its version, its code and data files, and the versions of rdflib and pyshacl).
Each article has one entry (named after its path), replaced when the article changes, so the
cache holds at most one entry per article. Entries are written atomically; an unreadable or
damaged entry is a miss, never an error, and never trusted: each entry carries a checksum of
everything in it, checked before any of it is used. A cache that cannot be written (a read-only
or full disk) is not an error either: the build goes on without filling it and says so in
:attr:`BuildCache.warning`.

An entry is a line with the checksum and a JSON object of its key and what else decides whether
it is still true, a JSON line with the build's small fields, and the build's large fields as raw
bytes. A build reads the first lines of all entries to learn which articles it must build again,
and starts on those before it reads the rest (:meth:`BuildCache.find`, then
:meth:`BuildCache.load`). The graph is kept as the N-Quads an output writes, and taken as a view
of the entry mapped into memory: a rebuild neither rewrites nor copies the graphs of the
articles that did not change.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import threading
import weakref
from dataclasses import asdict, dataclass, fields
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, BinaryIO

import xxhash

from policykg import __version__
from policykg.build.documents import DocumentBuild
from policykg.errors import SerializationError
from policykg.facts.references import WikidataUse
from policykg.outputs import write_atomically
from policykg.resources import resource_path

FORMAT = 6
"""The version of the entry layout; a change invalidates every entry."""

CHECKSUM_SIZE = 32
"""The hexadecimal XXH3-128 checksum that opens an entry, of everything after it and the space
that follows it. It detects damage, not forgery (whoever can write the cache can write the facts):
a rebuild checks every entry, and XXH3 does so at a fraction of a cryptographic hash's cost."""

_PACKAGE = Path(__file__).resolve().parent.parent


MAPPED_SHARE = 0.5
"""The share of this process's file descriptors that entries mapped into memory may hold (a
mapping keeps its own descriptor while anything views it): beyond it, entries are read as
bytes. Counted across builds, as results kept from earlier builds keep their mappings."""


@dataclass(frozen=True)
class CacheHit:
    """An entry that holds an article's build, found from its first line."""

    entry: Path
    line: bytes
    """The entry's first line: its key and what else decides whether it is still true."""


class BuildCache:
    """The cache in *folder* for builds with the given base IRI and registry."""

    def __init__(self, folder: Path, *, base: str, registry_digest: str) -> None:
        self.folder = folder
        self.salt = _digest(
            f"{FORMAT}\0{base}\0{registry_digest}\0".encode(), _environment_digest().encode()
        )
        self._environment_salt = _digest(f"{FORMAT}\0".encode(), _environment_digest().encode())
        self.hits = 0
        self.warning: str | None = None
        """Why this build did not fill the cache, if it could not write it."""

    def key(self, facts_path: Path, facts_bytes: bytes) -> str:
        """The content key of the article at *facts_path* whose file holds *facts_bytes*."""
        return _digest(self.salt.encode(), os.fsencode(facts_path), b"\0", facts_bytes)

    def find(self, facts_path: Path, key: str, *, validated: bool) -> CacheHit | None:
        """The entry of *facts_path* if it holds its build under *key* and is still true, from
        the entry's first line only (see :meth:`load`); else ``None``."""
        try:
            entry = self._entry(facts_path)
            with entry.open("rb") as file:
                line = file.readline()
            check = json.loads(line[CHECKSUM_SIZE + 1 :])
            if check["key"] != key or not _text_unchanged(check["text_path"], check["sha256"]):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if validated and not check["validated"]:
            return None
        return CacheHit(entry, line)

    def load(self, hit: CacheHit) -> DocumentBuild | None:
        """The build that *hit* found, or ``None`` if its entry has changed since or its checksum
        does not match its content.

        The build's N-Quads are a view of the entry, mapped into memory while mappings hold less
        than their share of the process's file descriptors (see :data:`MAPPED_SHARE`), else
        read as bytes: an N-Quads output then copies
        them from the page cache without making bytes of them first. Entries are replaced,
        never changed in place, so a view keeps the entry as it was read (an entry cut short in
        place, by hand, would end the process with SIGBUS when its view is read).
        """
        try:
            with hit.entry.open("rb") as file:
                data = _mapped(file) or file.read()
            if data[: len(hit.line)] != hit.line or not _checksum_matches(data):
                return None
            start = data.find(b"\n", len(hit.line)) + 1
            header = json.loads(data[len(hit.line) : start])
            lengths = header["lengths"]
            if start == 0 or start + sum(lengths) != len(data):
                return None
            blobs: list[bytes | memoryview] = []
            for name, length in zip(_BLOBS, lengths, strict=True):
                end = start + length
                blobs.append(
                    memoryview(data)[start:end] if name == "graph_lines" else data[start:end]
                )
                start = end
            build = _from_entry(header, blobs)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.hits += 1
        return build

    def put(self, key: str, build: DocumentBuild) -> None:
        """Keep *build* under *key*, replacing the article's earlier entry.

        If the cache cannot be written, :attr:`warning` says why and later calls do nothing: the
        build goes on without the cache.
        """
        if self.warning is not None:
            return
        try:
            self._write(key, build)
        except (OSError, SerializationError) as error:
            reason = error.strerror if isinstance(error, OSError) else _reason(error)
            self.warning = f"cannot write the cache in {self.folder} ({reason}): built without it"

    def registry_report(self) -> bytes | None:
        """The registry graph's SHACL report (N-Triples) that this cache keeps for builds with
        this base, registry and policykg, or ``None``. Validating a large registry costs
        seconds that a rebuild after editing one article should not spend again."""
        return self._kept(REGISTRY_REPORT)

    def put_registry_report(self, report: bytes) -> None:
        """Keep the registry graph's SHACL *report*, replacing any other (see :meth:`put` for a
        cache that cannot be written)."""
        self._keep(REGISTRY_REPORT, report)

    def registry_graph(self) -> KeptRegistry | None:
        """What builds with this base, registry and policykg need of the registry besides its
        items, as an earlier one kept it (:meth:`put_registry_graph`), or ``None``. Loading and
        mapping a large registry costs more than the rest of a rebuild after one edit."""
        data = self._kept(REGISTRY_GRAPH)
        if data is None:
            return None
        header, _, ntriples = data.partition(b"\n")
        try:
            fields = json.loads(header)
            uses = tuple((q, k, i, p, int(n)) for q, k, i, p, n in fields["wikidata"])
            return KeptRegistry(ntriples, int(fields["items"]), uses)
        except (ValueError, KeyError, TypeError):
            return None

    def put_registry_graph(self, kept: KeptRegistry) -> None:
        """Keep what builds need of the registry besides its items, replacing any other."""
        header = {"items": kept.item_count, "wikidata": [list(use) for use in kept.wikidata]}
        self._keep(REGISTRY_GRAPH, _json_line(header) + kept.ntriples)

    def parsed_queries(self) -> bytes | None:
        """The shapes' SPARQL queries parsed (see
        :func:`~policykg.validate.parsed_queries.parsed_shape_queries`) for this policykg and
        rdflib, as an earlier build kept them, or ``None``: a worker that builds one edited
        article would otherwise spend most of its time parsing them."""
        return self._kept(PARSED_QUERIES, self._environment_salt)

    def put_parsed_queries(self, data: bytes) -> None:
        """Keep the shapes' SPARQL queries parsed, replacing any others."""
        self._keep(PARSED_QUERIES, data, self._environment_salt)

    def _kept(self, name: str, salt: str | None = None) -> bytes | None:
        """The content of the cache's file *name*, if it holds it for this cache's builds (or for
        what *salt* says)."""
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        head, _, content = data.partition(b"\n")
        if head != _kept_head(salt or self.salt, content):
            return None  # another registry, base or policykg, or damaged
        return content

    def _keep(self, name: str, content: bytes, salt: str | None = None) -> None:
        """Keep *content* in the cache's file *name*, for this cache's builds (or for what *salt*
        says)."""
        if self.warning is not None:
            return
        head = _kept_head(salt or self.salt, content)
        try:
            if not self.folder.exists():
                self._create()
            write_atomically(self.folder / name, [head, b"\n", content])
        except (OSError, SerializationError) as error:
            reason = error.strerror if isinstance(error, OSError) else _reason(error)
            self.warning = f"cannot write the cache in {self.folder} ({reason}): built without it"

    def _write(self, key: str, build: DocumentBuild) -> None:
        entry = self._entry(Path(build.path))
        if not self.folder.exists():
            self._create()
        entry.parent.mkdir(parents=True, exist_ok=True)
        check = {
            "key": key,
            "text_path": build.text_path,
            "sha256": build.text_sha256,
            "validated": build.conforms is not None,
        }
        values = asdict(build)
        header = {name: value for name, value in values.items() if name not in _BLOBS}
        header["report_present"] = build.report is not None
        blobs = [values[name] or b"" for name in _BLOBS]
        header["lengths"] = [len(blob) for blob in blobs]
        content = [_json_line(check), _json_line(header), *blobs]
        digest = xxhash.xxh3_128()
        for piece in content:
            digest.update(piece)
        write_atomically(entry, [digest.hexdigest().encode() + b" ", *content])

    def _create(self) -> None:
        """Make the folder, marked as a cache for backup tools and ignored by git (as pytest and
        ruff mark theirs), so that it never ends up in a user's repository."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("# created by policykg\n*\n", encoding="utf-8")
        (self.folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by policykg.\n",
            encoding="utf-8",
        )

    def _entry(self, facts_path: Path) -> Path:
        # An absolute path without resolving links: resolving costs a system call per folder,
        # and the name only has to be the same from one build to the next.
        name = _digest(os.fsencode(os.path.abspath(facts_path)))
        return self.folder / name[:2] / f"{name}.entry"


REGISTRY_REPORT = "registry.report"
"""The file of the cache folder that keeps the registry graph's SHACL report."""

REGISTRY_GRAPH = "registry.graph"
"""The file of the cache folder that keeps the registry's graph (:class:`KeptRegistry`)."""

PARSED_QUERIES = "shape-queries.parsed"
"""The file of the cache folder that keeps the shapes' SPARQL queries parsed."""


@dataclass(frozen=True)
class KeptRegistry:
    """What a build needs of the registry besides its items: its graph, and what the checks
    across articles need."""

    ntriples: bytes
    """The registry's named graph, as :func:`~policykg.rdf.mapping.map_registry` makes it."""
    item_count: int
    wikidata: tuple[WikidataUse, ...]
    """The Wikidata entities the registry's items name, with where."""


def _kept_head(salt: str, content: bytes) -> bytes:
    """What opens a file the cache keeps besides the entries: its content's checksum and what it
    holds for."""
    return f"{xxhash.xxh3_128_hexdigest(content)} {salt}".encode()


_BLOBS = ("graph_lines", "origins", "reach", "report")
"""The fields kept as raw bytes after the entry's JSON header line, in this order."""


def _from_entry(header: dict[str, Any], blobs: list[bytes | memoryview]) -> DocumentBuild:
    if len(blobs) != len(_BLOBS):
        raise ValueError("an entry of another layout")
    values = {name: header[name] for name in _header_fields()}
    for name in ("definitions", "shared_nodes", "wikidata"):
        values[name] = tuple(tuple(row) for row in values[name])
    values |= dict(zip(_BLOBS, blobs, strict=True))
    if not header["report_present"]:
        values["report"] = None
    return DocumentBuild(**values)


@cache
def _header_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(DocumentBuild) if f.name not in _BLOBS)


_live_mappings = 0
_mappings_lock = threading.Lock()


def _mapped(file: BinaryIO) -> mmap.mmap | None:
    """*file* mapped into memory, or ``None`` when mappings would hold more than their share of
    file descriptors, or the file cannot be mapped."""
    global _live_mappings
    with _mappings_lock:
        if _live_mappings >= _descriptor_limit() * MAPPED_SHARE:
            return None
        try:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # an empty file, or no mapping to be had
            return None
        _live_mappings += 1
    weakref.finalize(mapped, _unmapped)
    return mapped


def _unmapped() -> None:
    global _live_mappings
    with _mappings_lock:
        _live_mappings -= 1


@cache
def _descriptor_limit() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 16


def _text_unchanged(text_path: str, sha256: str) -> bool:
    try:
        text = Path(text_path).read_bytes()
    except OSError:
        return False
    return hashlib.sha256(text).hexdigest() == sha256


def _checksum_matches(data: bytes | mmap.mmap) -> bool:
    """Whether *data*, an entry, holds the checksum of what follows it."""
    with memoryview(data) as view:
        digest = xxhash.xxh3_128_hexdigest(view[CHECKSUM_SIZE + 1 :])
    return data[: CHECKSUM_SIZE + 1] == digest.encode() + b" "


def _reason(error: SerializationError) -> str:
    cause = error.__cause__
    return cause.strerror if isinstance(cause, OSError) and cause.strerror else str(error)


def _json_line(value: dict[str, Any]) -> bytes:
    # ASCII: a path that is not UTF-8 (its bytes kept as lone surrogates) has no UTF-8 form.
    return json.dumps(value, separators=(",", ":")).encode("ascii") + b"\n"


def environment_digest() -> str:
    """The digest of policykg's code, data and resources (and rdflib's and pyshacl's versions)
    that every entry depends on: two processes that give the same build the same digest."""
    return _environment_digest()


@cache
def _environment_digest() -> str:
    """What every entry depends on besides its article: policykg's code, data and resources."""
    parts = [__version__, version("rdflib"), version("pyshacl")]
    files = sorted(_PACKAGE.rglob("*.py")) + sorted((_PACKAGE / "data").glob("*.json*"))
    files += sorted(resource_path("ontology").glob("*.ttl"))
    files += sorted(resource_path("shapes").glob("*.ttl"))
    digest = hashlib.sha256("\0".join(parts).encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()
