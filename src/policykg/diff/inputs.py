"""One side of a diff read into triples by graph: a build output, a folder of them, facts built in
memory, or either of those at a git revision.

A facts file or a folder holding facts files (``*.yaml``) is built as ``policykg build
--no-validate --no-cache`` would build it, without writing anything; any other folder is read as
the RDF files inside it (``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``), merged. ``REV:PATH``
(git's own syntax for a file or folder at a revision), when no file of that name exists, is
taken from the git repository of the working directory into a temporary folder first.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from policykg.build import pipeline
from policykg.diff.report import GraphKey
from policykg.errors import GraphInputError
from policykg.facts.loader import FACTS_SUFFIXES
from policykg.namespaces import DEFAULT_BASE, ONTOLOGY_IRI
from policykg.rdf.files import GraphName, read_graphs
from policykg.rdf.in_memory import quads
from policykg.rdf.serialization import FORMATS

Side = dict[GraphKey, list[ox.Triple]]


def read_side(
    argument: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    include_ontology: bool = True,
    jobs: int | None = None,
) -> Side:
    """The triples of *argument* by graph (see the module's docstring for what it may name).

    :raises GraphInputError: no such file, folder or revision; an unreadable or unparsable file;
        a folder with neither facts nor RDF files.
    :raises FactsError: bad facts (with the file, the line and what to fix).
    """
    with _checked_out(str(argument)) as path:
        if _holds_facts(path):
            side = _built(path, base=base, include_ontology=include_ontology, jobs=jobs)
        else:
            side = _read_files(path)
    if not include_ontology:
        side.pop(ONTOLOGY_IRI, None)
    return side


def _holds_facts(path: Path) -> bool:
    if path.is_file():
        return path.name.endswith(FACTS_SUFFIXES)
    return any(
        name.endswith(FACTS_SUFFIXES)
        for folder, _, names in os.walk(path)
        for name in names
        if not _hidden(Path(folder).relative_to(path))
    )


def _built(path: Path, *, base: str, include_ontology: bool, jobs: int | None) -> Side:
    result = pipeline.build(
        [path], base=base, validate=False, include_ontology=include_ontology, jobs=jobs
    )
    side: Side = defaultdict(list)
    for quad in quads(result.graphs):
        side[_graph_key(quad.graph_name)].append(quad.triple)
    return dict(side)


def _read_files(path: Path) -> Side:
    files = [path] if path.is_file() else _rdf_files(path)
    side: Side = defaultdict(list)
    for file in files:
        for name, triples in read_graphs(file).items():
            side[_graph_key(name)].extend(triples)
    return dict(side)


def _rdf_files(folder: Path) -> list[Path]:
    suffixes = set(FORMATS.values())
    files = sorted(
        found
        for found in folder.rglob("*")
        if found.suffix.lower() in suffixes
        and found.is_file()
        and not _hidden(found.relative_to(folder))
    )
    if not files:
        raise GraphInputError(
            "the folder holds neither facts files (*.yaml) nor RDF files"
            f" ({' '.join(sorted(suffixes))})",
            folder,
        )
    return files


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _graph_key(name: GraphName) -> GraphKey:
    if isinstance(name, ox.DefaultGraph):
        return None
    return name.value if isinstance(name, ox.NamedNode) else f"_:{name.value}"


@contextmanager
def _checked_out(argument: str) -> Iterator[Path]:
    """*argument* as a path; ``REV:PATH`` that names no file is taken from git into a temporary
    folder, removed afterwards."""
    path = Path(argument)
    if path.exists() or ":" not in argument or argument.startswith("-"):  # never a git option
        if not path.exists():
            raise GraphInputError("no such file or folder", path)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="policykg-diff-") as temporary:
        yield _from_git(argument, Path(temporary))


def _from_git(argument: str, into: Path) -> Path:
    """Extract the file or folder git's ``REV:PATH`` *argument* names under *into*."""
    kind = _git(argument, "cat-file", "-t", argument).decode().strip()
    target = into / argument.replace(os.sep, "_")
    if kind == "blob":
        name = argument.rsplit("/", 1)[-1].split(":")[-1] or "file"
        target.mkdir(parents=True)
        (target / name).write_bytes(_git(argument, "cat-file", "blob", argument))
        return target / name
    if kind != "tree":
        raise GraphInputError(f"names a git {kind}, not a file or folder", Path(argument))
    archive = _git(argument, "archive", "--format=tar", argument)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _git(argument: str, *command: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GraphInputError(
            "no such file or folder (and git, to read REV:PATH, is not installed)", Path(argument)
        )
    done = subprocess.run([git, *command], capture_output=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphInputError(
            "no such file or folder, nor a git REV:PATH"
            + (f" (git: {detail[-1]})" if detail else ""),
            Path(argument),
        )
    return done.stdout
