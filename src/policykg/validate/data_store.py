"""The rdflib store of a graph under validation.

pyshacl runs thousands of triple lookups per article, and a build validates thousands of
articles. rdflib's default ``Memory`` store keeps the named graphs of every triple and works them
out again at every lookup, though the graph under validation is the only one; ``SimpleMemory``
keeps none, but counts its triples one by one, which pyshacl does at every truth test of the data
graph (``if data_graph:``). :class:`ValidationStore` is ``SimpleMemory`` with its size kept.
"""

from __future__ import annotations

from typing import Any

from rdflib.plugins.stores.memory import SimpleMemory


class ValidationStore(SimpleMemory):
    """``SimpleMemory`` holding one graph, with its number of triples kept as they are added.

    It says it is context- and graph-aware only because pyshacl wraps the data graph's store in
    an rdflib ``Dataset``, which asks; pyshacl then queries the graph itself, never its contexts.
    """

    context_aware = True
    graph_aware = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: set[tuple[Any, Any, Any]] = set()

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        super().add(triple, context, quoted)
        self._held.add(triple)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        for triple, _ in list(self.triples(triple_pattern)):
            self._held.discard(triple)
        super().remove(triple_pattern, context)

    def __len__(self, context: Any = None) -> int:
        return len(self._held)
