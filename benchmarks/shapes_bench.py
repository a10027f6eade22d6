"""Time SHACL validation of a corpus, whole and node shape by node shape (not a test).

    python benchmarks/shapes_bench.py CORPUS [--runs 2] [--no-per-shape] [--shapes FILE]

CORPUS is a folder of facts files (``python benchmarks/generate.py --facts 1000 -o CORPUS``). Its
graphs are built without validation (``pipeline.build(validate=False)``), merged, and validated with
``validation.validate_graph``, as ``policykg build --jobs 1`` does; each run prints wall-clock and
CPU seconds and triples per second (of the data, without the ontology validation adds), then the
best of --runs. CPU time is the steadier figure on a machine that other work shares.

Then each node shape is run alone (with its property shapes and SPARQL constraints, as
``corpus_validation`` splits them) through the same ``validation.shacl_report``, best of --runs;
its cost is its CPU time minus that of an empty shapes graph (the fixed cost of a call: merging
the ontology, pyshacl's own setup), printed first. The number of results is printed too, so a
change that makes a shape cheaper by making it check less shows up.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from rdflib import RDF, Graph, URIRef

from policykg.build.pipeline import build
from policykg.namespaces import PKGSH, SH
from policykg.resources import shapes_graph
from policykg.validate.scopes import select_shapes
from policykg.validate.shacl import ValidationReport, report_from, shacl_report, validate_graph

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of facts files")
    parser.add_argument("--runs", type=int, default=2, help="whole-graph runs (the best is shown)")
    parser.add_argument("--no-per-shape", action="store_true", help="skip the per-shape table")
    parser.add_argument("--shapes", type=Path, help="a shapes file other than the shipped one")
    options = parser.parse_args()
    shapes = Graph().parse(options.shapes) if options.shapes else shapes_graph()

    built, seconds, _ = _timed(
        lambda: build([options.corpus], validate=False, include_ontology=False)
    )
    data = built.union_graph()
    print(f"corpus: {len(built.graphs)} documents, {built.fact_count} facts, {len(data)} triples")
    print(f"built without validation in {seconds:.1f} s")

    walls, cpus = [], []
    for run in range(1, options.runs + 1):
        report, wall, cpu = _timed(lambda: validate_graph(data, shapes=shapes))
        walls.append(wall)
        cpus.append(cpu)
        print(
            f"whole graph, run {run}: {wall:.2f} s ({cpu:.2f} s CPU),"
            f" {len(data) / wall:,.0f} triples/s, conforms: {report.conforms},"
            f" {len(report.violations)} result(s)"
        )
    wall, cpu = min(walls), min(cpus)
    print(
        f"whole graph, best of {len(walls)}: {wall:.2f} s ({cpu:.2f} s CPU),"
        f" {len(data) / wall:,.0f} triples/s"
    )
    if not options.no_per_shape:
        print()
        print("\n".join(_per_shape(data, shapes, options.runs)))


def _per_shape(data: Graph, shapes: Graph, runs: int) -> list[str]:
    """A row per node shape, costliest first: its CPU time alone minus the fixed cost of a call.

    Each figure is the best of *runs* (of at least 3 for the fixed cost).
    """
    empty = select_shapes(shapes, [])
    fixed = min(_timed(partial(shacl_report, data, empty))[2] for _ in range(max(3, runs)))
    rows = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        assert isinstance(shape, URIRef)
        alone = select_shapes(shapes, [shape])
        timings = [_timed(partial(_report, data, alone)) for _ in range(runs)]
        cpu = min(cpu for _, _, cpu in timings)
        scope = str(shapes.value(shape, PKGSH.scope)).removeprefix(str(PKGSH))
        rows.append((cpu - fixed, shape, scope, len(timings[0][0].violations)))
    total = sum(row[0] for row in rows)
    lines = [
        f"fixed cost of a call (an empty shapes graph): {fixed:.2f} s CPU",
        f"node shapes alone, minus the fixed cost: {total:.2f} s CPU in all (best of {runs} each)",
        "",
        "| node shape | scope | CPU seconds | share | results |",
        "|---|---|---:|---:|---:|",
    ]
    for seconds, shape, scope, results in sorted(rows, key=lambda row: (-row[0], str(row[1]))):
        name = str(shape).removeprefix(str(PKGSH))
        share = seconds / total if total > 0 else 0.0
        lines.append(f"| {name} | {scope} | {seconds:.2f} | {share:.0%} | {results} |")
    return lines


def _report(data: Graph, shapes: Graph) -> ValidationReport:
    return report_from(shacl_report(data, shapes))


def _timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """*action*'s value, wall-clock seconds and CPU seconds (of this process)."""
    gc.collect()  # not the garbage of the previous run
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return value, time.perf_counter() - wall, time.process_time() - cpu


if __name__ == "__main__":
    main()
