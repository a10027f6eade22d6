"""The process pool's side of a build: each worker builds articles with what it was started with.

A worker gets the registry, the base IRI and the per-document shapes once, when it starts, and
then one article path per task; it ends by itself when the build that started it is gone.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from policykg.corpus_validation import scoped_shapes
from policykg.documents import DocumentBuild, build_document
from policykg.model import Registry


@dataclass(frozen=True)
class _Setup:
    registry: Registry
    base: str
    shapes: Graph | None
    registry_lines: dict[str, list[bytes]]


_setup: _Setup | None = None


def start_worker(
    registry: Registry,
    base: str,
    validate: bool,
    registry_lines: dict[str, list[bytes]],
    parent: int,
) -> None:
    """Keep what every task of this worker needs; watch the parent process."""
    global _setup
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    shapes = scoped_shapes()[0] if validate else None
    _setup = _Setup(registry, base, shapes, registry_lines)


def build_in_worker(path: Path) -> DocumentBuild:
    """Build the article at *path* (see :func:`~policykg.documents.build_document`)."""
    assert _setup is not None, "the worker was not started with start_worker"
    return build_document(
        path,
        _setup.registry,
        _setup.base,
        shapes=_setup.shapes,
        registry_lines=_setup.registry_lines,
    )


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once the build that started it is gone (killed with SIGKILL, say).

    A worker waiting for its next task would otherwise wait forever: its siblings hold the task
    queue open.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
