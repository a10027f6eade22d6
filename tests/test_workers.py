"""The process pool's side of a build (build/workers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import minimal_corpus

SCRIPT = """
import gc, sys
from pathlib import Path
from policykg.build import workers
from policykg.facts.loader import find_facts_files, is_registry_file, load_registry
from policykg.facts.registry_files import RegistryFiles
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.mapping import map_registry
from policykg.rdf.ntriples import subject_lines

files = find_facts_files([Path(sys.argv[1])])
registry = load_registry(path for path in files if is_registry_file(path))
lines = subject_lines(map_registry(registry, DEFAULT_BASE).ntriples)
workers._setup = workers.WorkerSetup(RegistryFiles(registry.paths, registry), DEFAULT_BASE, True, lines)
frozen = []
for path in (path for path in files if not is_registry_file(path)):
    frozen.append(gc.get_freeze_count())
    workers.build_in_worker([path])
print(frozen[0], min(frozen[1:]) > 0)
"""


def test_a_worker_keeps_what_its_first_task_set_up_out_of_garbage_collections(
    tmp_path: Path,
) -> None:
    """What the first article's build sets up (shapes, parsed queries) lives as long as the
    worker: after the first task it is frozen, out of the collector's full scans."""
    corpus = minimal_corpus(tmp_path, 3)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(corpus)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "True"]
