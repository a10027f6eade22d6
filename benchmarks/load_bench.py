"""Time loading a corpus of facts files (``pipeline.load_all``): best of N fresh processes.

    python benchmarks/load_bench.py CORPUS [--runs 3] [--profile]

Not a test. CORPUS is a folder of facts files, as ``generate.py --facts 10000 -o CORPUS`` writes.
Each run is a new interpreter that imports policykg untimed, then times ``load_all`` alone by the
wall clock, so the figure includes first-call costs (compiling the schema, parsing the ontology
for its codes) as a real build pays them. With --profile, one more run prints the 25 functions
with the most time of their own, under cProfile (which slows Python code about threefold).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

_CHILD = """
import sys, time
from pathlib import Path
from policykg.build.pipeline import load_all
start = time.perf_counter()
corpus = load_all([Path(sys.argv[1])])
print(time.perf_counter() - start, len(corpus), sum(len(f.items_by_id) for f in corpus))
"""

_PROFILE = """
import cProfile, pstats, sys
from pathlib import Path
from policykg.build.pipeline import load_all
profile = cProfile.Profile()
profile.runcall(load_all, [Path(sys.argv[1])])
pstats.Stats(profile).sort_stats("tottime").print_stats(25)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    seconds: list[float] = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(args.corpus)],
            capture_output=True,
            text=True,
            check=True,
        )
        took, files, facts = done.stdout.split()
        seconds.append(float(took))
    summary = {"files": int(files), "facts": int(facts), "runs_s": [round(s, 3) for s in seconds]}
    print(json.dumps({**summary, "best_s": round(min(seconds), 3)}))
    if args.profile:
        subprocess.run([sys.executable, "-c", _PROFILE, str(args.corpus)], check=True)


if __name__ == "__main__":
    main()
