"""Peak memory of ``policykg query`` for an answer of a million rows (not a test).

A file of 1,000 triples, and a query pairing every one with every other (1,000,000 rows, no
ORDER BY, so the rows are sorted), answered by the command in a child process whose output goes
to /dev/null; the child's peak resident set (its ``wait4`` maxrss) is printed per format.

    python benchmarks/query_memory.py [--rows-root 1000] [--formats csv,table]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = "SELECT ?a ?b WHERE { ?a <https://example.org/p> ?x . ?b <https://example.org/p> ?y }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-root", type=int, default=1000)
    parser.add_argument("--formats", default="csv,table")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "pairs.nt"
        data.write_text(
            "".join(
                f'<https://example.org/s{n}> <https://example.org/p> "{n}" .\n'
                for n in range(options.rows_root)
            ),
            encoding="utf-8",
        )
        for fmt in options.formats.split(","):
            print(f"{options.rows_root**2} rows as {fmt}: {_peak(data, fmt)}")


def _peak(data: Path, fmt: str) -> str:
    started = time.monotonic()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen(
            [sys.executable, "-m", "policykg", "query", str(data), QUERY, "--format", fmt],
            stdout=sink,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"policykg query failed with {child.returncode}")
    return f"peak {usage.ru_maxrss / 1024:.0f} MiB, {time.monotonic() - started:.1f} s"


if __name__ == "__main__":
    main()
