"""The process pool's side of a build: each worker builds articles with what it was started with.

A worker gets the registry, the base IRI and the per-document shapes once, when it starts, and
then a few article paths per task (:func:`batch_size`); it ends by itself when the build that
started it is gone. ``validate`` of a dataset file uses the same task sizes and watch
(:mod:`.datasets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from policykg.build.corpus import (
    cross_document_predicates,
    cross_document_shapes,
    per_document_shapes,
)
from policykg.build.documents import DocumentBuild, build_document
from policykg.facts.registry_files import RegistryFiles
from policykg.processes import exit_with_parent, settle_worker
from policykg.validate.parsed_queries import use_parsed_queries


@dataclass
class WorkerSetup:
    """What every article's build needs besides its path."""

    registry_files: RegistryFiles
    """Loaded when an article is built: a rebuild whose articles all come from the cache never
    reads them."""
    base: str
    validate: bool
    registry_lines: dict[str, list[bytes]] = field(repr=False)
    quads: bool = False
    """Keep each graph as N-Quads, as the cache does (else as N-Triples, which the union graph's
    writers split without the graph suffix)."""
    parsed_queries: bytes | None = field(default=None, repr=False)
    """The shapes' SPARQL queries as the build cache keeps them parsed, if it does."""

    @cached_property
    def shapes(self) -> Graph | None:
        if not self.validate:
            return None
        if self.parsed_queries is not None:
            use_parsed_queries(self.parsed_queries)
        return per_document_shapes()

    @cached_property
    def reach(self) -> frozenset[str]:
        return cross_document_predicates(cross_document_shapes()) if self.validate else frozenset()

    def build(self, path: Path, files: Mapping[Path, bytes] | None = None) -> DocumentBuild:
        """Build the article at *path*, from *files* if they hold its content (see
        :func:`~policykg.build.documents.build_document`)."""
        return build_document(
            path,
            self.registry_files.registry,
            self.base,
            shapes=self.shapes,
            registry_lines=self.registry_lines,
            reach=self.reach,
            quads=self.quads,
            files=files,
        )


MAX_BATCH = 16
"""The most articles a worker gets in one task: a task per article costs the parent and the
workers a fixed overhead per task that dominates builds without validation."""


def batch_size(articles: int, cores: int) -> int:
    """How many of *articles* go to a worker in one task: up to :data:`MAX_BATCH`, while each of
    *cores* workers still gets about eight tasks, so that they end about together."""
    return max(1, min(MAX_BATCH, articles // (cores * 8)))


_setup: WorkerSetup | None = None


def start_worker(setup: WorkerSetup, parent: int) -> None:
    """Keep what every task of this worker needs; end with the parent process.

    A worker waiting for its next task would otherwise wait forever once the build that started
    it is gone (killed with SIGKILL, say): its siblings hold the task queue open.
    """
    global _setup
    exit_with_parent(parent)
    _setup = setup


def build_in_worker(paths: list[Path]) -> list[DocumentBuild]:
    """Build the articles at *paths* with the worker's setup."""
    assert _setup is not None, "the worker was not started with start_worker"
    builds = [_setup.build(path) for path in paths]
    settle_worker()
    return builds
