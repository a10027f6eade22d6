"""Time ``policykg load --jobs N`` of a built corpus into a real Oxigraph server (not a test).

    python benchmarks/load_jobs.py --facts 100000 [--keep DIR] [--jobs 1 2 4] [--verify]
    python benchmarks/load_jobs.py --output corpus.nq [--jobs 1 2 4] [--verify]

With --facts, ``generate.py`` writes a corpus of about that many facts and ``policykg build
--no-validate`` turns it into N-Quads (in a temporary folder, or in --keep DIR, reused if the
N-Quads are already there); with --output, a file ``build`` wrote is loaded as it is. For each
number of jobs a fresh ``oxigraph serve`` (the binary of the ``oxigraph`` package, a test extra)
starts on a free port of 127.0.0.1 with an empty data folder; ``policykg load OUT --endpoint …
--jobs N --quiet`` runs in a process of its own and is timed by the wall clock, reading the file
included (and ``--verify``, if given). Then the store's count of triples in each graph is compared
with the file's, and the server is stopped. A count that differs stops the benchmark.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

HERE = Path(__file__).resolve().parent
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def built_corpus(facts: int, folder: Path) -> Path:
    """The N-Quads of a generated corpus of about *facts* facts, built once into *folder*."""
    output = folder / f"corpus-{facts}.nq"
    if output.exists():
        return output
    corpus = folder / f"corpus-{facts}"
    if not corpus.exists():
        generator = [sys.executable, str(HERE / "generate.py"), "--facts", str(facts)]
        subprocess.run([*generator, "-o", str(corpus)], check=True)
    build = [sys.executable, "-m", "policykg", "build", str(corpus), "-o", str(output)]
    subprocess.run([*build, "--no-validate", "--no-cache", "--quiet"], check=True)
    return output


def file_counts(path: Path) -> dict[str, int]:
    """Each named graph's distinct triples in *path*, as a store holds them."""
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
    counts: dict[str, int] = {}
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        sys.exit("the oxigraph server is missing: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``oxigraph serve`` on 127.0.0.1 with an empty data folder of its own."""

    def __init__(self, folder: Path) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        command = [oxigraph_binary(), "serve", "--location", str(folder)]
        command += ["--bind", self.base.removeprefix("http://")]
        self.log = (folder.parent / f"{folder.name}.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=1)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"oxigraph serve did not start (log: {self.log.name})")
                time.sleep(0.1)

    def counts(self) -> dict[str, int]:
        answer = requests.get(
            f"{self.base}/query",
            params={"query": COUNTS},
            headers={"Accept": "application/sparql-results+json"},
            timeout=600,
        )
        answer.raise_for_status()
        rows = answer.json()["results"]["bindings"]
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def timed_load(output: Path, jobs: int, workdir: Path, *, verify: bool) -> tuple[float, int]:
    """Seconds ``policykg load`` took into a fresh server with *jobs*, and the graphs loaded."""
    folder = workdir / f"store-jobs{jobs}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server = Server(folder / "data")
    try:
        command = [sys.executable, "-m", "policykg", "load", str(output)]
        command += ["--endpoint", f"{server.base}/store", "--jobs", str(jobs), "--quiet"]
        command += ["--verify"] if verify else []
        start = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - start
        in_store, in_file = server.counts(), file_counts(output)
        if in_store != in_file:
            wrong = sorted(
                g for g in in_file.keys() | in_store.keys() if in_store.get(g) != in_file.get(g)
            )
            sys.exit(f"--jobs {jobs}: the store's counts differ from the file's in {wrong[:5]}")
        return seconds, len(in_store)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--facts", type=int, help="generate and build a corpus of this size")
    source.add_argument("--output", type=Path, help="a file policykg build wrote")
    parser.add_argument("--keep", type=Path, help="keep the generated corpus and build here")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--verify", action="store_true", help="time policykg load --verify")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policykg-load-jobs-") as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        output = args.output or built_corpus(args.facts, workdir)
        triples = sum(file_counts(output).values())
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"{output}: {triples} triples; load average before: {load}")
        print("| jobs | graphs | seconds | speed-up |")
        print("|---:|---:|---:|---:|")
        first = None
        for jobs in args.jobs:
            seconds, graphs = timed_load(output, jobs, workdir, verify=args.verify)
            first = first or seconds
            print(f"| {jobs} | {graphs} | {seconds:.2f} | {first / seconds:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
