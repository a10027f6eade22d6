"""The registry of a build: its graph and what the checks across articles need, from the cache
when the registry files have not changed.

A clean build loads the registry files, maps them to the registry's named graph and keeps that
graph (with the number of items and the Wikidata entities they name) in the cache. A rebuild
whose registry files are byte for byte the same takes all of it from the cache, and reads the
files again only when it needs their items: to build an article that changed (in the worker that
builds it, see :class:`~policykg.facts.registry_files.RegistryFiles`), or to say where a registry
node named in a failed validation was curated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from policykg.build.cache import BuildCache, KeptRegistry
from policykg.facts.loader import registry_wikidata_uses
from policykg.facts.reading import read_facts_bytes
from policykg.facts.references import WikidataUse
from policykg.facts.registry_files import RegistryFiles
from policykg.rdf.mapping import MappedDocument, Minter, Origin, map_registry


class CorpusRegistry:
    """The registry files *paths* of a build with the base IRI *base*."""

    def __init__(self, paths: Sequence[Path], base: str) -> None:
        self.files = RegistryFiles(paths)
        self.base = base
        self.digest = registry_digest(paths)
        """The digest of the files' paths and bytes, which the cache keys every entry by."""
        self._kept: KeptRegistry | None = None

    @property
    def present(self) -> bool:
        """Whether the build has registry files at all."""
        return bool(self.files.paths)

    def use_cache(self, cache: BuildCache) -> None:
        """Take the graph from *cache* if it keeps it for this registry, else keep it there."""
        self._kept = cache.registry_graph()
        if self._kept is None:
            cache.put_registry_graph(self.kept)

    @cached_property
    def kept(self) -> KeptRegistry:
        if self._kept is not None:
            return self._kept
        registry = self.files.registry
        return KeptRegistry(
            self.graph.ntriples, len(registry.items_by_id), tuple(registry_wikidata_uses(registry))
        )

    @cached_property
    def graph(self) -> MappedDocument:
        """The registry's named graph (an empty one without registry files)."""
        if self._kept is None:
            return map_registry(self.files.registry, self.base)
        graph_iri = Minter(self.base)("graph", "registry")
        return MappedDocument(graph_iri, None, self._kept.ntriples, _MappedOrigins(self))

    @property
    def item_count(self) -> int:
        return self.kept.item_count

    @property
    def wikidata_uses(self) -> tuple[WikidataUse, ...]:
        return self.kept.wikidata


class _MappedOrigins(Mapping[str, Origin]):
    """The origins of a registry graph taken from the cache: mapped again from the registry files
    when first asked for (a report that names a registry node needs them; a build that conforms
    does not)."""

    def __init__(self, registry: CorpusRegistry) -> None:
        self._registry = registry

    @cached_property
    def _origins(self) -> Mapping[str, Origin]:
        return map_registry(self._registry.files.registry, self._registry.base).origin_of

    def __getitem__(self, iri: str) -> Origin:
        return self._origins[iri]

    def __iter__(self) -> Iterator[str]:
        return iter(self._origins)

    def __len__(self) -> int:
        return len(self._origins)


def registry_digest(paths: Sequence[Path]) -> str:
    """The digest of the registry files' paths and bytes."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0" + read_facts_bytes(path) + b"\0")
    return digest.hexdigest()
