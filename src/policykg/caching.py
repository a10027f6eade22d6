"""The build cache: each article's :class:`~policykg.documents.DocumentBuild`, kept by content.

An entry is used only if everything the article's build depends on is unchanged: the facts file
(its bytes and path), its source text, the registry, the base IRI, the ontology, the shapes, and
policykg itself (its version, its code and data files, and the versions of rdflib and pyshacl).
Each article has one entry (named after its path), replaced when the article changes, so the
cache holds at most one entry per article. Entries are written atomically; an unreadable entry
is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policykg import __version__
from policykg.documents import DocumentBuild
from policykg.resources import resource_path
from policykg.serialization import write_atomically

FORMAT = 1
"""The version of the entry layout; a change invalidates every entry."""

_PACKAGE = Path(__file__).resolve().parent


class BuildCache:
    """The cache in *folder* for builds with the given base IRI and registry."""

    def __init__(self, folder: Path, *, base: str, registry_digest: str) -> None:
        self.folder = folder
        self.salt = _digest(
            f"{FORMAT}\0{base}\0{registry_digest}\0".encode(), _environment_digest().encode()
        )
        self.hits = 0

    def key(self, facts_path: Path, facts_bytes: bytes) -> str:
        """The content key of the article at *facts_path* whose file holds *facts_bytes*."""
        return _digest(self.salt.encode(), str(facts_path).encode(), b"\0", facts_bytes)

    def get(self, facts_path: Path, key: str, *, validated: bool) -> DocumentBuild | None:
        """The cached build of *facts_path* under *key*, if it is still true; else ``None``."""
        try:
            data = self._entry(facts_path).read_bytes()
            header_end = data.index(b"\n")
            header = json.loads(data[:header_end])
            if header.get("key") != key:
                return None
            build = _from_entry(header, data[header_end + 1 :])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if validated and build.conforms is None:
            return None
        if not _text_unchanged(build):
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
        line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomically(entry, [line, b"\n", *blobs])

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


_BLOBS = ("ntriples", "origins", "reach", "report")
"""The fields kept as raw bytes after the entry's JSON header line, in this order."""


def _from_entry(header: dict[str, Any], data: bytes) -> DocumentBuild:
    lengths = header["lengths"]
    if len(lengths) != len(_BLOBS) or len(data) != sum(lengths):
        raise ValueError("truncated entry")
    values = {f.name: header[f.name] for f in fields(DocumentBuild) if f.name not in _BLOBS}
    for name in ("definitions", "shared_nodes"):
        values[name] = tuple(tuple(row) for row in values[name])
    start = 0
    for name, length in zip(_BLOBS, lengths, strict=True):
        values[name] = data[start : start + length]
        start += length
    if not header["report_present"]:
        values["report"] = None
    return DocumentBuild(**values)


def _text_unchanged(build: DocumentBuild) -> bool:
    try:
        text = Path(build.text_path).read_bytes()
    except OSError:
        return False
    return hashlib.sha256(text).hexdigest() == build.text_sha256


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
