"""The worker processes of a build and of `validate` (build/workers.py, build/datasets.py)."""

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


def test_a_validation_worker_does_the_same_and_a_caller_of_the_library_is_left_alone() -> None:
    """``validate`` of a file validates its units in workers that settle the same way; called in
    the caller's own process (one core), the library never freezes the caller's objects."""
    script = """
import gc
from policykg.build import datasets
units = [(b"", False), (b"", True)]
datasets.validate_units(units)
print(gc.get_freeze_count())
datasets._validate_units_in_worker(units)
print(gc.get_freeze_count() > 0)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "True"]
