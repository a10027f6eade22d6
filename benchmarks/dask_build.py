"""Time a corpus build on a two-worker Dask cluster against the local pool, --jobs 2 (not a test).

    python benchmarks/dask_build.py --facts 100000 [--keep DIR] [--workers 2] [--no-validate]

``generate.py`` writes a corpus of about that many facts (in a temporary folder, or in --keep DIR,
reused if it is already there). A Dask cluster is started as docs/cluster.md describes it, on
127.0.0.1: ``dask scheduler`` and ``dask worker`` processes (--workers of them, one thread each,
no dashboard). Then ``policykg build CORPUS -o OUT.nq --no-cache`` runs twice, each in a process
of its own timed by the wall clock: with ``--jobs WORKERS`` on the local process pool, and twice
with ``--scheduler`` on the cluster (started and joined before the clock starts): first on fresh
workers, which import policykg and parse the shapes at their first article, then again on the same
workers, as a long-lived cluster serves a second build. The outputs must be the same bytes; the
cluster is stopped at the end.
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

HERE = Path(__file__).resolve().parent


def corpus(facts: int, folder: Path) -> Path:
    path = folder / f"corpus-{facts}"
    if not path.exists():
        generator = [sys.executable, str(HERE / "generate.py"), "--facts", str(facts)]
        subprocess.run([*generator, "-o", str(path)], check=True)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dask_command() -> list[str]:
    beside = Path(sys.executable).with_name("dask")
    found = str(beside) if beside.exists() else shutil.which("dask")
    if found is None:
        sys.exit("the dask command is missing: pip install 'policykg[dask]'")
    return [found]


class Cluster:
    """``dask scheduler`` and *workers* ``dask worker`` processes of one thread on 127.0.0.1."""

    def __init__(self, workers: int, logs: Path) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.log = logs.open("wb")
        scheduler = [*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", port]
        self.processes = [
            subprocess.Popen(
                [*scheduler, "--no-dashboard"],
                stdout=self.log,
                stderr=self.log,
            )
        ]
        worker = [*dask_command(), "worker", self.address, "--nthreads", "1"]
        worker += ["--host", "127.0.0.1", "--no-dashboard", "--nworkers", str(workers)]
        self.processes.append(subprocess.Popen(worker, stdout=self.log, stderr=self.log))
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


def timed_build(source: Path, output: Path, options: list[str], *, validate: bool) -> float:
    command = [sys.executable, "-m", "policykg", "build", str(source), "-o", str(output)]
    command += ["--no-cache", "--quiet", *options, *([] if validate else ["--no-validate"])]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, required=True, help="about how many facts")
    parser.add_argument("--keep", type=Path, help="keep the generated corpus here")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-validate", action="store_true", help="time builds without SHACL")
    args = parser.parse_args()
    validate = not args.no_validate
    with tempfile.TemporaryDirectory(prefix="policykg-dask-") as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        source = corpus(args.facts, workdir)
        local, clustered = workdir / "local.nq", workdir / "dask.nq"
        for stale in (local, clustered):
            stale.unlink(missing_ok=True)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"{source}: {args.facts} facts, validated: {validate}; load average before: {load}")
        pool = timed_build(source, local, ["--jobs", str(args.workers)], validate=validate)
        cluster = Cluster(args.workers, workdir / "dask.log")
        on_cluster = ["--scheduler", cluster.address]
        try:
            cold = timed_build(source, clustered, on_cluster, validate=validate)
            same = local.read_bytes() == clustered.read_bytes()
            clustered.unlink()
            warm = timed_build(source, clustered, on_cluster, validate=validate)
            same = same and local.read_bytes() == clustered.read_bytes()
        finally:
            cluster.stop()
        workers = f"{args.workers} workers of 1 thread on this machine"
        print("| builder | seconds |")
        print("|---|---:|")
        print(f"| local pool, --jobs {args.workers} | {pool:.2f} |")
        print(f"| Dask, {workers}, first build (workers start up) | {cold:.2f} |")
        print(f"| Dask, {workers}, next build (workers warm) | {warm:.2f} |")
        print(f"outputs byte-identical: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
