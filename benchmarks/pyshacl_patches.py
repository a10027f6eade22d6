"""CPU per article of per-document SHACL validation, with or without policykg's pyshacl patches
(not a test; the figures are in docs/pyshacl-speedups.md).

    python benchmarks/pyshacl_patches.py MODE CORPUS [ARTICLES]

MODE is ``none`` (plain pyshacl and rdflib), ``all``, ``query`` (only parsing each query once),
``check`` or ``params`` (only that patch), or ``no-check`` / ``no-params`` (all but that one).
The first article is validated once before timing (imports, first parses), then the first
ARTICLES (default: all) are timed. Run modes alternately, each in a fresh process.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from rdflib import Graph

from policykg.build.corpus import batched_scoped_shapes
from policykg.build.pipeline import build
from policykg.validate import patches, shacl

_NAMES = {"check": "check_invalid_sparql", "params": "CONSTRAINT_PARAMS"}


def configure(mode: str) -> None:
    """Leave out the patches *mode* does not measure."""
    if mode not in ("all", "query", "no-check", "no-params"):
        shacl.QueryCachingGraph = Graph  # type: ignore[misc]
    if mode in ("none", "query"):
        patches.applied = contextlib.nullcontext  # type: ignore[assignment]
    elif mode != "all":
        everything = patches._replacements
        if mode.startswith("no-"):
            dropped = _NAMES[mode.removeprefix("no-")]
            patches._replacements = lambda: [r for r in everything() if r[1] != dropped]
        else:
            patches._replacements = lambda: [r for r in everything() if r[1] == _NAMES[mode]]


def main() -> None:
    mode, corpus = sys.argv[1], Path(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    configure(mode)
    documents = build([corpus], validate=False, jobs=1).documents[:limit]
    per_document, _ = batched_scoped_shapes()
    shacl.shacl_report(documents[0].ntriples, per_document)
    timed = documents[1:] or documents
    start = time.process_time()
    for document in timed:
        shacl.shacl_report(document.ntriples, per_document)
    per_article = (time.process_time() - start) / len(timed)
    print(f"{mode} {corpus.name}: {len(timed)} article(s), {per_article * 1000:.1f} ms CPU each")


if __name__ == "__main__":
    main()
