"""Time each stage of a policykg build of a synthetic corpus, and the pyoxigraph floor (not a test).

    python benchmarks/run.py --facts 10000 [--jobs 2] [--keep DIR] [--seed 1] [--no-validate]
                             [--no-baseline]

The corpus comes from ``generate.py`` (in a temporary folder, or in --keep DIR, reused if it is
already there). Every stage runs in a fresh child process that first redoes what it needs, untimed,
then, once the disk is synced, times its own work; its memory is the child's peak resident set
(``getrusage`` maxrss) and, for stages that start a process pool, the largest peak of its workers.

Stages, in one process each: load facts (``pipeline.load_all``), ground quotes, map to RDF,
serialize Turtle and N-Quads. End to end, with ``build(jobs=…)`` on all cores: the build plus
writing N-Quads (and Turtle) without validation; the clean validated build plus N-Quads; the
incremental rebuild (a validated build with a warm cache after one article was edited, plus
N-Quads, after ``policykg build`` filled the cache), and the same after one more edit (the files
are then in the page cache, as in a curator's run of edits); ``policykg validate`` of the N-Quads
the validated build wrote (``validate_file(jobs=…)``: graph by graph, on all cores); and the
baseline: pyshacl over the whole graph in one process. The floor is pyoxigraph parsing the same
N-Quads and serializing them as Turtle and N-Quads.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import shutil
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
    "serialize-turtle",
    "serialize-nquads",
    "total-no-validate",
    "total-no-validate-turtle",
    "total",
    "incremental",
    "incremental-again",
    "validate-file",
    "validate-whole",
    "floor",
)
VALIDATING = ("total", "incremental", "incremental-again", "validate-file", "validate-whole")
INCREMENTAL = ("incremental", "incremental-again")
PACKAGES = ("policykg", "rdflib", "pyshacl", "pyoxigraph", "PyYAML", "jsonschema")


# -- the child: one stage in a fresh process ------------------------------------------------


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _stage(name: str, corpus: Path, jobs: int, workdir: Path) -> dict[str, Any]:
    from policykg.build.pipeline import (
        build,
        load_all,
        ontology_named_graph,
        validate_file,
        write_output,
    )
    from policykg.facts.grounding import ground_facts
    from policykg.namespaces import DEFAULT_BASE
    from policykg.rdf.mapping import map_facts
    from policykg.rdf.serialization import serialize
    from policykg.validate.shacl import validate_graph

    facts = load_all([corpus]) if name in ("ground", "map") else []
    spans = [ground_facts(f) for f in facts] if name == "map" else []
    graphs = build([corpus], validate=False).graphs if name.startswith("serialize-") else ()
    whole = build([corpus], validate=False) if name == "validate-whole" else None
    cache = workdir / "cache"
    result: dict[str, Any] = {}
    if name == "incremental":
        corpus = Path(shutil.copytree(corpus, workdir / "incremental-corpus"))
        # The cold build that fills the cache runs as a command of its own, as a curator's
        # earlier build did: the rebuild is timed in a process that has not built the corpus.
        result["cold_seconds"], _ = _timed(lambda: _build_command(corpus, cache, jobs, workdir))
        _edit_one_article(corpus)
    elif name == "incremental-again":
        corpus = workdir / "incremental-corpus"  # as the incremental stage left it
        _edit_one_article(corpus)
    # What earlier steps wrote goes to the disk first, as it would while a curator edits, so that
    # its writeback does not overlap the timed stage.
    os.sync()
    before = _maxrss_kib()
    if name == "load":
        seconds, loaded = _timed(lambda: load_all([corpus]))
        result["facts"] = sum(len(f.items()) for f in loaded)
    elif name == "ground":
        seconds, _ = _timed(lambda: [ground_facts(f) for f in facts])
    elif name == "map":

        def run_map() -> list[Any]:
            pairs = zip(facts, spans, strict=True)
            return [*(map_facts(f, s, DEFAULT_BASE) for f, s in pairs), ontology_named_graph()]

        seconds, mapped = _timed(run_map)
        result["triples"] = sum(g.ntriples.count(b"\n") for g in mapped)
    elif name.startswith("serialize-"):
        fmt = name.removeprefix("serialize-")
        seconds, data = _timed(lambda: serialize(graphs, fmt))
        result["bytes"] = len(data)
    elif name == "validate-file":
        nquads = workdir / "out-total.nq"
        seconds, report = _timed(lambda: validate_file(nquads, jobs=jobs))
        result["conforms"] = report.conforms
    elif name == "validate-whole":
        assert whole is not None
        union = whole.union_graph()
        origins = whole.origins
        seconds, report = _timed(lambda: validate_graph(union, origins=origins))
        result["conforms"] = report.conforms
    elif name in INCREMENTAL or name in ("total-no-validate", "total-no-validate-turtle", "total"):
        validate = name not in ("total-no-validate", "total-no-validate-turtle")
        suffix = "ttl" if name.endswith("turtle") else "nq"
        output = workdir / f"out-{name}.{suffix}"

        def run_build() -> Any:
            built = build(
                [corpus],
                validate=validate,
                jobs=jobs,
                cache=cache if name in INCREMENTAL else None,
            )
            write_output(built, output)
            return built

        seconds, built = _timed(run_build)
        result["conforms"] = built.report.conforms if built.report else None
        result["cache_hits"] = built.cache_hits
        result["triples"] = built.triple_count
    elif name == "floor":
        seconds = _floor(workdir / "out-total-no-validate.nq", result)
    else:
        raise SystemExit(f"unknown stage {name}")
    after = _maxrss_kib()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result | {
        "stage": name,
        "seconds": seconds,
        "peak_kib": after,
        "grew_kib": after - before,
        "worker_peak_kib": children,
    }


def _build_command(corpus: Path, cache: Path, jobs: int, workdir: Path) -> None:
    output = workdir / "cold.nq"
    command = [sys.executable, "-m", "policykg", "build", str(corpus), "-o", str(output)]
    command += ["--cache", str(cache), "--jobs", str(jobs), "--quiet"]
    subprocess.run(command, check=True)


def _edit_one_article(corpus: Path) -> None:
    """Change one claim's summary in the middle article, as a curator's edit would."""
    files = sorted(corpus.rglob("facts.yaml"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    index = text.index("summary: ") + len("summary: ")
    target.write_text(text[:index] + "Edited, " + text[index:], encoding="utf-8")


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
        "load": "load facts (one process)",
        "ground": "ground quotes (one process)",
        "map": "map to RDF (one process)",
        "serialize-turtle": "serialize Turtle",
        "serialize-nquads": "serialize N-Quads",
        "total-no-validate": "build + write N-Quads, no validation",
        "total-no-validate-turtle": "build + write Turtle, no validation",
        "total": "clean build, validated, + N-Quads",
        "incremental": "rebuild after one edited article, validated, + N-Quads",
        "incremental-again": "rebuild after one more edit, validated, + N-Quads",
        "validate-file": "policykg validate of the validated build's N-Quads",
        "validate-whole": "baseline: pyshacl over the whole graph, one process",
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
    if "total" in rows and "validate-whole" in rows:
        ours, whole = rows["total"]["seconds"], rows["validate-whole"]["seconds"]
        lines.append(
            f"clean validated build vs validating the whole graph alone: {ours:.1f} s vs"
            f" {whole:.1f} s, {whole / ours:.1f}x faster"
        )
    if {"validate-file", "total", "total-no-validate"} <= rows.keys():
        ours = rows["validate-file"]["seconds"]
        build = rows["total"]["seconds"] - rows["total-no-validate"]["seconds"]
        lines.append(
            f"policykg validate of the N-Quads: {ours:.1f} s vs the build's validation (validated"
            f" build - build without validation) {build:.1f} s, ratio {ours / build:.2f}x"
            " (target: at most 1.5x)"
        )
    if "incremental" in rows:
        row = rows["incremental"]
        lines.append(
            f"incremental rebuild: {row['seconds']:.2f} s, cache hits {row['cache_hits']};"
            f" the same validated build with an empty cache: {row['cold_seconds']:.1f} s"
        )
    if "incremental-again" in rows:
        row = rows["incremental-again"]
        lines.append(
            f"rebuild after one more edit: {row['seconds']:.2f} s, cache hits {row['cache_hits']}"
        )
    if "floor" not in rows:
        return lines
    floor = rows["floor"]
    lines.append(
        f"floor detail: parse {floor['parse']:.2f} s, Turtle {floor['turtle']:.2f} s,"
        f" N-Quads {floor['nquads']:.2f} s ({floor['quads']} quads)"
    )
    if "serialize-turtle" in rows and "serialize-nquads" in rows:
        ours = rows["serialize-turtle"]["seconds"] + rows["serialize-nquads"]["seconds"]
        theirs = floor["turtle"] + floor["nquads"]
        lines.append(
            f"serialize (Turtle + N-Quads): ours {ours:.2f} s, floor {theirs:.2f} s,"
            f" ratio {ours / theirs:.1f}x"
        )
    for stage in ("total-no-validate", "total-no-validate-turtle"):
        if stage in rows:
            total = rows[stage]["seconds"]
            lines.append(
                f"{stage}: {total:.2f} s vs the whole floor {floor['seconds']:.2f} s,"
                f" ratio {total / floor['seconds']:.1f}x"
            )
    return lines


def benchmark(
    facts: int,
    *,
    jobs: int,
    keep: Path | None,
    seed: int,
    validate: bool,
    whole: bool,
    only: list[str] | None = None,
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
        stages = [s for s in STAGES if validate or s not in VALIDATING]
        stages = [s for s in stages if whole or s != "validate-whole"]
        needed = {"load", "map"} | (
            {"incremental"} if only and "incremental-again" in only else set()
        )
        if only and "validate-file" in only:
            needed |= {"total"}  # it validates the N-Quads that the validated build wrote
        stages = [s for s in stages if only is None or s in only or s in needed]
        rows = {stage: _run_child(stage, corpus, jobs, workdir) for stage in stages}
    print("\n".join(_machine()))
    print(
        f"corpus: {articles} articles, {rows['load']['facts']} facts,"
        f" {yaml_bytes / 2**20:.1f} MiB of YAML, {text_bytes / 2**20:.1f} MiB of text,"
        f" {rows['map']['triples']} triples (with the ontology graph)"
    )
    print(f"jobs={jobs}; conforms: {rows.get('total', {}).get('conforms')}")
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
    parser.add_argument("--stages", help="comma-separated stages to run (default: all)")
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
        only=args.stages.split(",") if args.stages else None,
    )


if __name__ == "__main__":
    main()
