"""A corpus's registry files, read when something first needs their items.

A rebuild after editing one article needs the registry's items only to load that article, and
loading a large registry costs more than the rest of such a rebuild; :class:`RegistryFiles` lets a
build hand the files to whoever may need them without reading them first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policykg.facts.loader import load_registry
from policykg.facts.model import Registry


class RegistryFiles:
    """The registry files *paths*; :attr:`registry` loads them on first use (or is *registry*,
    already loaded from them)."""

    def __init__(self, paths: Iterable[Path], registry: Registry | None = None) -> None:
        self.paths = tuple(paths)
        self._registry = registry

    @property
    def registry(self) -> Registry:
        """The registry the files define, loaded once; raises
        :class:`~policykg.errors.FactsError` as :func:`~policykg.facts.loader.load_registry`."""
        if self._registry is None:
            self._registry = load_registry(self.paths)
        return self._registry

    @property
    def loaded(self) -> bool:
        return self._registry is not None

    def __getstate__(self) -> dict[str, Any]:
        # Whoever unpickles this (a worker on another machine, say) may not read the files.
        return {"paths": self.paths, "_registry": self.registry}

    def __repr__(self) -> str:
        return f"RegistryFiles({list(map(str, self.paths))!r}, loaded={self.loaded})"
