"""Time each stage of a policykg build of a synthetic corpus, and the pyoxigraph floor (not a test).

    python benchmarks/run.py --facts 10000 [--jobs 2] [--keep DIR] [--seed 1] [--no-validate]

The corpus comes from ``generate.py`` (in a temporary folder, or in --keep DIR, reused if it is
already there). Every stage runs in a fresh child process that first redoes the stages before it,
untimed, then times its own; its memory is the child's peak resident set (``getrusage`` maxrss) at
the end of the stage, and the growth of that peak during the stage. So each figure includes the
interpreter and the earlier stages' data, as a real build would.

Stages: load facts (``pipeline.load_all``), ground quotes, map to RDF (with the ontology graph),
validate (``build(jobs=…)`` minus an unvalidated build when the pipeline takes ``jobs``, otherwise
``validate_graph`` over the whole graph, as ``build`` does), serialize Turtle and N-Quads, and the
build end to end (build, then N-Quads) with and without validation. The floor is pyoxigraph
parsing the same N-Quads and serializing them as Turtle and N-Quads.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import inspect
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STAGES = (
    "load",
    "ground",
    "map",
    "validate",
    "validate-whole",
    "serialize-turtle",
    "serialize-nquads",
    "total-no-validate",
    "total",
    "floor",
)
PACKAGES = ("policykg", "rdflib", "pyshacl", "pyoxigraph", "PyYAML", "jsonschema")


# -- the child: one stage in a fresh process ------------------------------------------------


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _prepare(corpus: Path, upto: str) -> dict[str, Any]:
    """Run the stages before *upto*, untimed."""
    from policykg.grounding import ground_facts
    from policykg.mapping import map_facts
    from policykg.namespaces import DEFAULT_BASE
    from policykg.pipeline import load_all, ontology_named_graph

    state: dict[str, Any] = {"paths": [corpus]}
    if upto == "load":
        return state
    state["facts"] = load_all([corpus])
    if upto == "ground":
        return state
    state["spans"] = [ground_facts(f) for f in state["facts"]]
    if upto == "map":
        return state
    documents = [
        map_facts(f, s, DEFAULT_BASE) for f, s in zip(state["facts"], state["spans"], strict=True)
    ]
    state["documents"] = documents
    state["graphs"] = [d.graph for d in documents] + [ontology_named_graph()]
    return state


def _build_takes_jobs() -> bool:
    from policykg.pipeline import build

    return "jobs" in inspect.signature(build).parameters


def _stage(name: str, corpus: Path, jobs: int, workdir: Path) -> dict[str, Any]:
    from policykg.grounding import ground_facts
    from policykg.mapping import map_facts
    from policykg.namespaces import DEFAULT_BASE
    from policykg.pipeline import build, load_all, ontology_named_graph
    from policykg.serialization import serialize
    from policykg.validation import validate_graph

    upto = {"load": "load", "ground": "ground", "map": "map"}.get(name, "all")
    if name.startswith("total") or name == "floor":
        upto = "load"
    state = _prepare(corpus, upto)
    before = _maxrss_kib()
    result: dict[str, Any] = {}
    build_options = {"jobs": jobs} if _build_takes_jobs() else {}
    if name == "load":
        seconds, facts = _timed(lambda: load_all([corpus]))
        result["facts"] = sum(len(list(f.items())) for f in facts)
    elif name == "ground":
        seconds, _ = _timed(lambda: [ground_facts(f) for f in state["facts"]])
    elif name == "map":

        def run_map() -> list[Any]:
            pairs = zip(state["facts"], state["spans"], strict=True)
            graphs = [map_facts(f, s, DEFAULT_BASE).graph for f, s in pairs]
            return [*graphs, ontology_named_graph()]

        seconds, graphs = _timed(run_map)
        result["triples"] = sum(len(g) for g in graphs)
    elif name == "validate" and build_options:
        unvalidated, _ = _timed(lambda: build([corpus], validate=False))
        validated, built = _timed(lambda: build([corpus], **build_options))
        seconds = validated - unvalidated
        result["how"] = f"build(jobs={jobs}) minus build(validate=False)"
        result["conforms"] = built.report.conforms
    elif name in ("validate", "validate-whole"):
        union = _union(state["graphs"])
        origins: dict[Any, Any] = {}
        for document in state["documents"]:
            origins.update(document.origins)
        seconds, report = _timed(lambda: validate_graph(union, origins=origins))
        result["how"] = "validate_graph over the whole graph in one process"
        result["conforms"] = report.conforms
    elif name.startswith("serialize-"):
        fmt = name.removeprefix("serialize-")
        seconds, data = _timed(lambda: serialize(state["graphs"], fmt))
        (workdir / f"out.{'ttl' if fmt == 'turtle' else 'nq'}").write_bytes(data)
        result["bytes"] = len(data)
    elif name in ("total", "total-no-validate"):
        validate = name == "total"
        options = build_options if validate else {}

        def run_build() -> bool | None:
            built = build([corpus], validate=validate, **options)
            serialize(built.graphs, "nquads")
            return built.report.conforms if built.report else None

        seconds, conforms = _timed(run_build)
        result["conforms"] = conforms
    elif name == "floor":
        seconds = _floor(workdir / "out.nq", result)
    else:
        raise SystemExit(f"unknown stage {name}")
    after = _maxrss_kib()
    return result | {
        "stage": name,
        "seconds": seconds,
        "peak_kib": after,
        "grew_kib": after - before,
    }


def _union(graphs: list[Any]) -> Any:
    from rdflib import Graph

    union = Graph()
    for graph in graphs:
        union += graph
    return union


def _floor(nquads: Path, result: dict[str, Any]) -> float:
    import pyoxigraph as ox

    data = nquads.read_bytes()
    parse, quads = _timed(lambda: list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
    triples = [quad.triple for quad in quads]
    turtle, _ = _timed(lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE))
    nq, _ = _timed(lambda: ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    result |= {"parse": parse, "turtle": turtle, "nquads": nq, "quads": len(quads)}
    return parse + turtle + nq


# -- the parent: generate, run each stage, print the table ----------------------------------


def _run_child(stage: str, corpus: Path, jobs: int, workdir: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", stage]
    command += ["--corpus", str(corpus), "--jobs", str(jobs), "--workdir", str(workdir)]
    print(f"  running {stage} …", file=sys.stderr, flush=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"    {json.dumps(row)}", file=sys.stderr, flush=True)
    return row


def _machine() -> list[str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    import yaml

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return [
        f"load average before the report: {load} (other work on the machine skews the times)",
        f"machine: {len(os.sched_getaffinity(0))} cores ({model}), {memory:.0f} GiB RAM,"
        f" {platform.system()} {platform.release()}",
        f"python: {platform.python_implementation()} {platform.python_version()},"
        f" libyaml: {'yes' if yaml.__with_libyaml__ else 'no'}",
        "packages: " + ", ".join(versions),
    ]


def _corpus_size(corpus: Path) -> tuple[int, int, int]:
    facts = sorted(corpus.rglob("facts.yaml"))
    texts = sum(p.with_name("article.txt").stat().st_size for p in facts)
    return len(facts), sum(p.stat().st_size for p in facts), texts


def _table(rows: dict[str, dict[str, Any]]) -> list[str]:
    labels = {
        "load": "load facts",
        "ground": "ground quotes",
        "map": "map to RDF",
        "validate": "validate (SHACL), as build does",
        "validate-whole": "validate, whole graph in one process (baseline)",
        "serialize-turtle": "serialize Turtle",
        "serialize-nquads": "serialize N-Quads",
        "total-no-validate": "total: build + N-Quads, no validation",
        "total": "total: build + N-Quads, validated",
        "floor": "floor: pyoxigraph parse + Turtle + N-Quads",
    }
    lines = ["| stage | time (s) | peak RSS (MiB) | grew in stage (MiB) | worker peak (MiB) |"]
    lines.append("|---|---:|---:|---:|---:|")
    for stage, row in rows.items():
        lines.append(
            f"| {labels[stage]} | {row['seconds']:.2f} | {row['peak_kib'] / 1024:.0f} |"
            f" {row['grew_kib'] / 1024:.0f} | {_mib(row.get('worker_peak_kib', 0))} |"
        )
    return lines


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}" if kib else "-"


def _ratios(rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    if "validate" in rows and "validate-whole" in rows:
        ours, whole = rows["validate"]["seconds"], rows["validate-whole"]["seconds"]
        lines.append(f"validation speed-up over the whole-graph baseline: {whole / ours:.1f}x")
    if "floor" not in rows:
        return lines
    floor = rows["floor"]
    ours = rows["serialize-turtle"]["seconds"] + rows["serialize-nquads"]["seconds"]
    theirs = floor["turtle"] + floor["nquads"]
    lines += [
        f"floor detail: parse {floor['parse']:.2f} s, Turtle {floor['turtle']:.2f} s,"
        f" N-Quads {floor['nquads']:.2f} s ({floor['quads']} quads)",
        f"serialize (Turtle + N-Quads): ours {ours:.2f} s, floor {theirs:.2f} s,"
        f" ratio {ours / theirs:.1f}x",
    ]
    if "total-no-validate" in rows:
        total = rows["total-no-validate"]["seconds"]
        lines.append(
            f"build + N-Quads without validation vs the whole floor: {total:.2f} s vs"
            f" {floor['seconds']:.2f} s, ratio {total / floor['seconds']:.1f}x"
        )
    return lines


def benchmark(
    facts: int, *, jobs: int, keep: Path | None, seed: int, validate: bool, whole: bool
) -> None:
    sys.path.insert(0, str(HERE))
    from generate import generate

    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as temporary:
        workdir = Path(temporary)
        corpus = keep if keep is not None else workdir / "corpus"
        if not (corpus.exists() and any(corpus.rglob("facts.yaml"))):
            seconds, _ = _timed(lambda: generate(facts, corpus, seed=seed))
            print(f"generated {corpus} in {seconds:.1f} s", file=sys.stderr)
        articles, yaml_bytes, text_bytes = _corpus_size(corpus)
        stages = [s for s in STAGES if validate or s not in ("validate", "validate-whole", "total")]
        stages = [s for s in stages if whole or s != "validate-whole"]
        rows = {stage: _run_child(stage, corpus, jobs, workdir) for stage in stages}
    print("\n".join(_machine()))
    print(
        f"corpus: {articles} articles, {rows['load']['facts']} facts,"
        f" {yaml_bytes / 2**20:.1f} MiB of YAML, {text_bytes / 2**20:.1f} MiB of text,"
        f" {rows['map']['triples']} triples (with the ontology graph)"
    )
    how = rows.get("validate", {}).get("how", "not run (--no-validate)")
    print(f"validation: {how}; jobs={jobs}; conforms: {rows.get('total', {}).get('conforms')}")
    print("memory: ru_maxrss of a fresh child process per stage, which first redoes the stages")
    print("before it untimed; worker peak: the largest ru_maxrss of the processes it started")
    print(
        "(forked, so it counts pages shared with the parent); time: wall clock of the stage alone"
    )
    print()
    print("\n".join(_table(rows)))
    print()
    print("\n".join(_ratios(rows)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--keep", type=Path, help="generate the corpus here, or reuse it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-validate", action="store_true", help="skip the SHACL stages")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip validating the whole graph in one process"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_stage(args.child, args.corpus, args.jobs, args.workdir)))
        return
    benchmark(
        args.facts,
        jobs=args.jobs,
        keep=args.keep,
        seed=args.seed,
        validate=not args.no_validate,
        whole=not args.no_baseline,
    )


if __name__ == "__main__":
    main()
