"""The build cache: each article's :class:`~policykg.documents.DocumentBuild`, kept by content.

An entry is used only if everything the article's build depends on is unchanged: the facts file
(its bytes and path), its source text, the registry, the base IRI, the ontology, the shapes, and
policykg itself (its version, its code and data files, and the versions of rdflib and pyshacl).
Each article has one entry (named after its path), replaced when the article changes, so the
cache holds at most one entry per article. Entries are written atomically; an entry that cannot
be read, or whose checksum or lengths are wrong, is a miss, never an error.

A rebuild reads the cache in two passes, so that it can build the articles that changed while it
reads the others: :meth:`BuildCache.find` reads each entry's header line and tells which entries
still hold, :meth:`BuildCache.load` reads an entry's graph and the rest of it. The folder also
keeps the SHACL-SPARQL that validation parsed (``parsed-sparql.json``, for one version of
policykg, rdflib and pyshacl), so that the process of a rebuild parses none.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policykg import __version__, prepared_sparql
from policykg.documents import DocumentBuild
from policykg.errors import SerializationError
from policykg.prepared_sparql import QueryKey
from policykg.reading import read_facts_bytes
from policykg.resources import resource_path
from policykg.serialization import write_atomically
from policykg.validation import parsed_queries

FORMAT = 2
"""The version of the entry layout; a change invalidates every entry."""

_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Entry:
    """An entry whose header line holds an article's key: its file and that line."""

    file: Path
    header_line: bytes
    header: dict[str, Any]


class BuildCache:
    """The cache in *folder* for builds with the given base IRI and registry."""

    def __init__(self, folder: Path, *, base: str, registry_digest: str) -> None:
        self.folder = folder
        self.salt = _digest(
            f"{FORMAT}\0{base}\0{registry_digest}\0".encode(), _environment_digest().encode()
        )
        self.hits = 0
        self._queries_kept: set[QueryKey] = set()

    def key(self, facts_path: Path, facts_bytes: bytes) -> str:
        """The content key of the article at *facts_path* whose file holds *facts_bytes*."""
        return _digest(self.salt.encode(), str(facts_path).encode(), b"\0", facts_bytes)

    def keys(self, facts_paths: Sequence[Path]) -> dict[Path, str]:
        """The content key of each article of *facts_paths*, by path."""
        _read_ahead(facts_paths)
        return {path: self.key(path, read_facts_bytes(path)) for path in facts_paths}

    def find(self, keys: Mapping[Path, str], *, validated: bool) -> dict[Path, Entry]:
        """The entries that still hold the builds of the articles of *keys* (path: key), by path.

        An entry holds if its header line has the article's key, the article's text is
        unchanged and, for a *validated* build, the entry was validated. Only the header lines
        are read; :meth:`load` reads the rest.
        """
        files = {path: self._entry(path) for path in keys}
        _read_ahead(files.values())
        found = {}
        for path, file in files.items():
            entry = _read_header(file, keys[path])
            if entry is not None and (entry.header.get("conforms") is not None or not validated):
                found[path] = entry
        texts = {path: entry.header.get("text_path") for path, entry in found.items()}
        _read_ahead(Path(text) for text in texts.values() if isinstance(text, str))
        return {path: entry for path, entry in found.items() if _text_unchanged(entry.header)}

    def load(self, entry: Entry) -> DocumentBuild | None:
        """The build *entry* holds, or ``None`` if its file is damaged or was replaced since
        :meth:`find` read it."""
        try:
            with entry.file.open("rb") as handle:
                if handle.readline() != entry.header_line:
                    return None
                lengths = entry.header["lengths"]
                blobs = [handle.read(length) for length in lengths]
                if handle.read(1) or [len(blob) for blob in blobs] != lengths:
                    return None
            if _checksum(blobs) != entry.header["checksum"]:
                return None
            build = _from_entry(entry.header, blobs)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.hits += 1
        return build

    def put(self, key: str, build: DocumentBuild) -> None:
        """Keep *build* under *key*, replacing the article's earlier entry."""
        entry = self._entry(Path(build.path))
        if not self.folder.exists():
            self._create()
        entry.parent.mkdir(parents=True, exist_ok=True)
        values = asdict(build)
        header = {name: value for name, value in values.items() if name not in _BLOBS}
        header["key"] = key
        header["report_present"] = build.report is not None
        blobs = [values[name] or b"" for name in _BLOBS]
        header["lengths"] = [len(blob) for blob in blobs]
        header["checksum"] = _checksum(blobs)
        line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomically(entry, [line, b"\n", *blobs])

    def restore_queries(self) -> None:
        """Give this process the SHACL-SPARQL an earlier build parsed, if the cache holds it for
        this policykg, rdflib and pyshacl: a rebuild that validates one article then parses none
        (0.6 s of the 0.9 s it took)."""
        try:
            header, _, body = self._queries_file().read_bytes().partition(b"\n")
            if header.decode() != _queries_version():
                return
            queries = prepared_sparql.decode(body)
        except (OSError, ValueError):
            return
        parsed_queries().update(queries)
        self._queries_kept.update(queries)

    def keep_queries(self) -> None:
        """Keep the SHACL-SPARQL this process has parsed for later builds, if it has parsed any
        the cache does not hold yet; a cache it cannot write to keeps none."""
        queries = parsed_queries()
        if queries.keys() <= self._queries_kept:
            return
        try:
            body = prepared_sparql.encode(queries)
            if not self.folder.exists():
                self._create()
            write_atomically(self._queries_file(), [_queries_version().encode(), b"\n", body])
        except (ValueError, OSError, SerializationError):
            return
        self._queries_kept.update(queries)

    def _queries_file(self) -> Path:
        return self.folder / "parsed-sparql.json"

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
        name = _digest(str(facts_path.resolve()).encode())
        return self.folder / name[:2] / f"{name}.entry"


_BLOBS = ("nquads", "origins", "reach", "report", "definitions", "shared_nodes")
"""The fields kept as raw bytes after the entry's JSON header line, in this order."""


def _read_header(file: Path, key: str) -> Entry | None:
    """The entry in *file* if its header line is whole and holds *key*."""
    try:
        with file.open("rb") as handle:
            line = handle.readline()
        header = json.loads(line)
    except (OSError, ValueError):
        return None
    if not line.endswith(b"\n") or not isinstance(header, dict) or header.get("key") != key:
        return None
    return Entry(file, line, header)


def _from_entry(header: dict[str, Any], blobs: list[bytes]) -> DocumentBuild:
    values = {f.name: header[f.name] for f in fields(DocumentBuild) if f.name not in _BLOBS}
    values["definition_lines"] = tuple(values["definition_lines"])
    values.update(zip(_BLOBS, blobs, strict=True))
    if not header["report_present"]:
        values["report"] = None
    return DocumentBuild(**values)


def _checksum(blobs: Iterable[bytes]) -> int:
    """CRC-32 of *blobs*: cheap enough to check on every read of a corpus (0.2 s for 600 MB),
    and it catches an entry damaged in place, which its lengths would not."""
    checksum = 0
    for blob in blobs:
        checksum = zlib.crc32(blob, checksum)
    return checksum


def _text_unchanged(header: Mapping[str, Any]) -> bool:
    try:
        text = Path(header["text_path"]).read_bytes()
    except (OSError, KeyError, TypeError):
        return False
    return hashlib.sha256(text).hexdigest() == header.get("text_sha256")


def _read_ahead(paths: Iterable[Path]) -> None:
    """Ask the kernel to start reading *paths* into memory, many at once.

    A rebuild reads thousands of small files (facts, texts, entries). Once the page cache has
    dropped them, reading them one by one waits for one random read of the disk after another,
    to find each file and then to read it: seconds for a 4,000-article corpus here. Opened by
    several threads and read ahead by the kernel, they arrive in parallel. Only where the system
    has ``posix_fadvise`` (not macOS).
    """
    paths = list(paths)
    if not paths or not hasattr(os, "posix_fadvise"):
        return
    share = -(-len(paths) // _READERS)
    with ThreadPoolExecutor(_READERS) as pool:
        for _ in pool.map(_advise, (paths[i : i + share] for i in range(0, len(paths), share))):
            pass


_READERS = 16
"""Threads that open files to read ahead: enough to keep a disk's queue busy."""


def _advise(paths: list[Path]) -> None:
    for path in paths:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(descriptor)


def _queries_version() -> str:
    return _digest(f"parsed SHACL-SPARQL {FORMAT}\0".encode(), _environment_digest().encode())


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
